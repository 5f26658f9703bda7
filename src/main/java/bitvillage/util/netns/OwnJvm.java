package bitvillage.util.netns;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * The command that starts another Java process with our classes: this JVM's own java, and the class
 * path it was started with. That is the jar under {@code java -jar target/bitvillage.jar}; under
 * {@code mvn test} it is target/classes and the dependencies, named in the Class-Path of the jar that
 * Maven's test runner starts the JVM with. The entries are made absolute, so the command runs from
 * any directory.
 */
public final class OwnJvm {
    private OwnJvm() {}

    /** {@code java -cp ... mainClass}, with {@code jvmOptions} before the class. */
    public static List<String> command(List<String> jvmOptions, Class<?> mainClass) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", String.join(File.pathSeparator, classPath()), mainClass.getName()));
        return command;
    }

    /** This JVM's class path, absolute, with the entries each jar's manifest adds (as the JVM reads them). */
    static List<String> classPath() {
        return expanded(System.getProperty("java.class.path"));
    }

    /** A class path's entries, absolute, each jar followed by the entries its manifest's Class-Path adds. */
    static List<String> expanded(String classPath) {
        Set<String> entries = new LinkedHashSet<>();
        for (String entry : classPath.split(File.pathSeparator)) {
            if (!entry.isEmpty()) add(Path.of(entry).toAbsolutePath().normalize(), entries);
        }
        return List.copyOf(entries);
    }

    private static void add(Path entry, Set<String> entries) {
        if (!entries.add(entry.toString()) || !Files.isRegularFile(entry)) return;
        try (JarFile jar = new JarFile(entry.toFile())) {
            Manifest manifest = jar.getManifest();
            String more = manifest == null ? null : manifest.getMainAttributes().getValue("Class-Path");
            if (more == null) return;
            URI base = entry.getParent().toUri();
            for (String relative : more.strip().split("\\s+")) {
                if (!relative.isEmpty()) add(Path.of(base.resolve(relative)).normalize(), entries); // a URL, relative to the jar or absolute
            }
        } catch (IOException | IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
            // not a jar we can read: the JVM skips it too
        }
    }
}
