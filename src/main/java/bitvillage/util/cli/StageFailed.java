package bitvillage.util.cli;

/** A command that checks its own outcome found it wrong: the launcher shows why and exits with its status. */
public final class StageFailed extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;

    public StageFailed(String message) {
        this(message, 1);
    }

    /** An outcome with an exit status of its own (attack: 3 when the attack failed). */
    public StageFailed(String message, int status) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
