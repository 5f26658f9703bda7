package bitvillage.util;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The command-line options of a stage: {@code --zeros 5}, {@code --port 5002}, {@code --peer URL}. */
public final class Options {

    /** One option a stage accepts; {@code valueName} is null for a flag without a value. */
    public record Option(String name, String valueName, String help) {}

    /** A command line we cannot run: the launcher shows the message and exits with status 2. */
    public static final class UsageError extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public UsageError(String message) {
            super(message);
        }
    }

    public static final Option HELP = new Option("--help", null, "explain this stage's options and stop");

    private final Map<String, List<String>> given;

    private Options(Map<String, List<String>> given) {
        this.given = given;
    }

    public static Options parse(String[] args, List<Option> accepted) {
        Map<String, List<String>> given = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            Option option = find(args[i], accepted);
            String value = null;
            if (option.valueName() != null) {
                if (i + 1 >= args.length) throw new UsageError(option.name() + " needs a value: " + option.valueName());
                value = args[++i];
            }
            given.computeIfAbsent(option.name(), name -> new ArrayList<>()).add(value);
        }
        return new Options(given);
    }

    private static Option find(String arg, List<Option> accepted) {
        if (arg.equals(HELP.name())) return HELP;
        for (Option option : accepted) {
            if (option.name().equals(arg)) return option;
        }
        throw new UsageError("unknown option: " + arg);
    }

    public boolean has(String name) {
        return given.containsKey(name);
    }

    /** The last value given for {@code name}, or {@code fallback}. */
    public String text(String name, String fallback) {
        List<String> values = given.get(name);
        return values == null ? fallback : values.get(values.size() - 1);
    }

    /** Every value given for a repeatable option, in order. */
    public List<String> all(String name) {
        return given.getOrDefault(name, List.of());
    }

    /** A whole number between {@code min} and {@code max}, or {@code fallback} when not given. */
    public int number(String name, int fallback, int min, int max) {
        String text = text(name, null);
        if (text == null) return fallback;
        try {
            int value = Integer.parseInt(text);
            if (value >= min && value <= max) return value;
        } catch (NumberFormatException e) {
            // reported below, with the range
        }
        throw new UsageError(name + " takes a whole number from " + min + " to " + max + ", not '" + text + "'");
    }

    /** The help text for a list of options, one per line. */
    public static String describe(List<Option> accepted) {
        StringBuilder text = new StringBuilder();
        List<Option> all = new ArrayList<>(accepted);
        all.add(HELP);
        for (Option option : all) {
            String left = option.valueName() == null ? option.name() : option.name() + " " + option.valueName();
            text.append(String.format("  %-16s %s%n", left, option.help()));
        }
        return text.toString();
    }
}
