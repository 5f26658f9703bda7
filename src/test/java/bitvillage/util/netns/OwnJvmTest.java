package bitvillage.util.netns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The class path a villager process is started with: this JVM's, absolute, a manifest-only jar's Class-Path read as the JVM reads it. */
class OwnJvmTest {

    @Test
    void aManifestOnlyJarBringsItsClassPathRelativeToTheJarOrAbsolute(@TempDir Path dir) throws Exception {
        Path classes = Files.createDirectories(dir.resolve("target/classes"));
        Path other = Files.createDirectories(dir.resolve("lib with space"));
        Path booter = dir.resolve("booter/booter.jar");
        Files.createDirectories(booter.getParent());
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, "../target/classes/ " + other.toUri());
        try (OutputStream out = Files.newOutputStream(booter); JarOutputStream jar = new JarOutputStream(out, manifest)) {
            jar.flush();
        }
        assertEquals(List.of(booter.toString(), classes.toString(), other.toString()), OwnJvm.expanded(booter.toString()));
    }

    @Test
    void theCommandIsThisJavaWithThisClassPath() {
        List<String> command = OwnJvm.command(List.of("-Xmx64m"), OwnJvm.class);
        assertTrue(Files.isExecutable(Path.of(command.get(0))), command.get(0));
        assertEquals(List.of("-Xmx64m", "-cp"), command.subList(1, 3));
        assertEquals(OwnJvm.class.getName(), command.get(command.size() - 1));
        assertTrue(List.of(command.get(3).split(java.io.File.pathSeparator)).stream().allMatch(entry -> Path.of(entry).isAbsolute()), command.get(3));
    }
}
