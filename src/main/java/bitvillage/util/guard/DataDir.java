package bitvillage.util.guard;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A node's data directory, held by one node at a time: an OS lock ({@link FileChannel#tryLock}) on
 * the file {@value #LOCK_FILE} in it, taken when the node starts and held for as long as it runs.
 * The operating system lets the lock go when the process ends, however it ends ({@code kill -9}
 * too), so a crash never leaves a directory that no one may use; the lock file's existence means
 * nothing (it stays behind), only the lock does. A directory the node cannot write is refused
 * before anything is read, not at its first block.
 */
public final class DataDir implements AutoCloseable {
    /** The file whose lock says a node holds the directory; it holds the process id of the last holder, for the message. */
    public static final String LOCK_FILE = "lock";
    /**
     * The longest line a node's notebook may hold: a block no larger than the chain a neighbour
     * reads ({@link ServedChain#MAX_BYTES}). A longer line is damage, and is not read into memory.
     */
    public static final int MAX_LINE_BYTES = ServedChain.MAX_BYTES;

    private final Path dir;
    private final FileChannel channel;
    private final FileLock lock;

    private DataDir(Path dir, FileChannel channel, FileLock lock) {
        this.dir = dir;
        this.channel = channel;
        this.lock = lock;
    }

    /** A directory a node may not use: another node holds it, or it cannot be written. */
    public static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Refused(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Takes the directory for this process (creating it if need be), or says why not. */
    public static DataDir claim(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (FileAlreadyExistsException e) {
            throw new Refused(dir + " is a file, not a directory: give --data a directory (it is created if missing)", e);
        } catch (IOException e) {
            throw new Refused("cannot create the directory " + dir + " (" + e.getMessage() + "): give --data a directory you can write", e);
        }
        if (!Files.isWritable(dir)) throw new Refused("cannot write in " + dir + ": give --data a directory you can write", null);
        Path lockFile = dir.resolve(LOCK_FILE);
        FileChannel channel;
        try {
            channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new Refused("cannot write in " + dir + " (" + e.getMessage() + "): give --data a directory you can write", e);
        }
        try {
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) { // this very process holds it already
                lock = null;
            }
            if (lock == null) {
                channel.close();
                throw new Refused(dir + " is in use by another villager" + holder(lockFile)
                        + ": stop it first, or give this one a --data of its own", null);
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)));
            return new DataDir(dir, channel, lock);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new Refused("cannot lock " + lockFile + " (" + e.getMessage() + ")", e);
        }
    }

    /** " (process N)" from the lock file, for the message; nothing if it cannot be read. */
    private static String holder(Path lockFile) {
        try {
            String pid = Files.readString(lockFile, StandardCharsets.US_ASCII).strip();
            return pid.matches("\\d{1,19}") ? " (process " + pid + ")" : "";
        } catch (IOException e) {
            return "";
        }
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // the lock was not taken; nothing to give back
        }
    }

    public Path path() {
        return dir;
    }

    /**
     * Forces the directory's own entries to disk: a file just created, or renamed into place, is
     * only sure to be found after a crash once its directory is forced too. Linux and macOS can;
     * where a directory cannot be opened (Windows), the file system journals names itself.
     */
    public static void forceDirectory(Path dir) throws IOException {
        FileChannel channel;
        try {
            channel = FileChannel.open(dir, StandardOpenOption.READ);
        } catch (IOException | UnsupportedOperationException e) {
            return;
        }
        try (channel) {
            channel.force(true);
        }
    }

    /** Lets the directory go: another node may take it. */
    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException ignored) {
            // closing the channel releases it all the same
        }
        closeQuietly(channel);
    }
}
