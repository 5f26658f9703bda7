package bitvillage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import org.junit.jupiter.api.Test;

/**
 * The layers CONTRIBUTING.md draws, as jdeps reads them from the compiled classes: no two packages
 * depend on each other, directly or around a circle, and nothing depends on the launcher's package.
 */
class ArchitectureTest {

    /** Package to the packages of ours it uses, from {@code jdeps -verbose:package} on target/classes. */
    private static Map<String, Set<String>> packageUses() {
        ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow();
        StringWriter out = new StringWriter();
        int status = jdeps.run(new PrintWriter(out), new PrintWriter(out), "-verbose:package", "-filter:none", "target/classes");
        assertEquals(0, status, out.toString());
        Map<String, Set<String>> uses = new TreeMap<>();
        Matcher edge = Pattern.compile("(?m)^\\s+(bitvillage[\\w.]*)\\s+->\\s+(bitvillage[\\w.]*)\\s").matcher(out.toString());
        while (edge.find()) {
            uses.computeIfAbsent(edge.group(1), key -> new TreeSet<>());
            if (!edge.group(1).equals(edge.group(2))) uses.get(edge.group(1)).add(edge.group(2));
        }
        assertTrue(uses.size() > 10, "jdeps listed too few of our packages:\n" + out);
        return uses;
    }

    @Test
    void noPackageUsesTheLauncher() {
        packageUses().forEach((from, to) -> assertTrue(!to.contains("bitvillage"), from + " uses the launcher's package"));
    }

    @Test
    void noTwoPackagesDependOnEachOtherAroundACircle() {
        Map<String, Set<String>> uses = packageUses();
        for (String start : uses.keySet()) {
            List<String> path = new ArrayList<>();
            String circle = circleThrough(start, start, uses, path, new HashSet<>());
            assertEquals(null, circle, "packages in a circle: " + circle);
        }
    }

    private static String circleThrough(String start, String at, Map<String, Set<String>> uses, List<String> path,
            Set<String> seen) {
        path.add(at);
        for (String next : uses.getOrDefault(at, Set.of())) {
            if (next.equals(start)) return String.join(" -> ", path) + " -> " + start;
            if (seen.add(next)) {
                String circle = circleThrough(start, next, uses, path, seen);
                if (circle != null) return circle;
            }
        }
        path.remove(path.size() - 1);
        return null;
    }
}
