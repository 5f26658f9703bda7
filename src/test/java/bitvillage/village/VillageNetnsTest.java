package bitvillage.village;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitvillage.BitVillage;
import bitvillage.testing.Http;
import bitvillage.testing.Netns;
import bitvillage.util.cli.World;
import bitvillage.util.netns.Namespaces;
import bitvillage.util.netns.OwnJvm;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** village --netns: villagers in namespaces of their own that answer and know their neighbours; nothing left when it stops, or is killed. */
class VillageNetnsTest {
    private static final Pattern VILLAGER = Pattern.compile("Villager ([A-Z]) \\(B18\\): (http://10\\.77\\.\\d+\\.\\d+:5000), neighbours ");

    @Test
    void aRingOfThreeInNamespacesStartsAndStopsCleanly() throws Exception {
        Netns.assumeAvailable();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        String said;
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
             AutoCloseable village = BitVillage.launch(new String[] {"village", "--netns", "--villagers", "3", "--topology", "ring",
                 "--port", "0", "--link-delay", "20"}, World.fixed(out))) {
            said = bytes.toString(StandardCharsets.UTF_8);
            assertTrue(village instanceof Village village3 && village3.inNamespaces(), said);
            Map<String, String> urls = new TreeMap<>();
            Matcher villager = VILLAGER.matcher(said);
            while (villager.find()) urls.put(villager.group(1), villager.group(2));
            assertEquals(List.of("A", "B", "C"), List.copyOf(urls.keySet()), said);
            for (Map.Entry<String, String> each : urls.entrySet()) {
                List<String> neighbours = new ArrayList<>();
                for (Object node : (List<?>) Http.json(Http.get(each.getValue() + "/nodes"), 200).get("nodes")) {
                    urls.forEach((name, url) -> {
                        if (url.equals(((Map<?, ?>) node).get("address"))) neighbours.add(name);
                    });
                }
                assertEquals(2, neighbours.size(), each.getKey() + " in a ring of three has the two others: " + neighbours + "\n" + said);
            }
            assertEquals(3, Netns.namespacesOfThisJvm().size(), said);
        }
        assertTrue(said.contains("Press CTRL+C to stop the village and remove its namespaces."), said);
        Netns.assertNothingLeft("after village --netns stopped");
    }

    @Test
    void withoutTheCapabilitiesItRefusesInOneLineWithStatus2() throws Exception {
        List<String> command = new ArrayList<>();
        // As root, drop every capability first: the probe must see what an ordinary user has.
        if (Namespaces.whyNot() == null) command.addAll(List.of("setpriv", "--bounding-set=-all", "--inh-caps=-all"));
        command.addAll(OwnJvm.command(List.of(), BitVillage.class));
        command.addAll(List.of("partition", "--netns"));
        Process process = new ProcessBuilder(command).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(5, TimeUnit.MINUTES));
        assertEquals(2, process.exitValue(), out + err);
        assertEquals("", out);
        assertEquals(1, err.lines().count(), err);
        assertTrue(err.startsWith("bitvillage: --netns needs root, or the capabilities CAP_SYS_ADMIN and CAP_NET_ADMIN"), err);
    }

    @Test
    void whatARunKilledOutrightLeftIsRemovedByTheNextRun() throws Exception {
        Netns.assumeAvailable();
        Path log = Files.createTempFile("village-netns", ".log");
        List<String> command = new ArrayList<>(OwnJvm.command(List.of(), BitVillage.class));
        command.addAll(List.of("village", "--netns", "--villagers", "2", "--port", "0"));
        Process killed = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        List<String> itsNamespaces;
        List<ProcessHandle> itsVillagers;
        try {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
            while (!Files.readString(log).contains("Press CTRL+C") && killed.isAlive() && System.nanoTime() < deadline) Thread.sleep(200);
            assertTrue(Files.readString(log).contains("Press CTRL+C"), Files.readString(log));
            String tag = "bitvillage-bv" + killed.pid() + "x";
            itsNamespaces = Netns.allNamespaces().stream().filter(name -> name.startsWith(tag)).toList();
            itsVillagers = Netns.processesIn(itsNamespaces);
            assertEquals(2, itsNamespaces.size(), Netns.allNamespaces().toString());
            assertEquals(2, itsVillagers.size(), itsNamespaces.toString());
        } finally {
            killed.destroyForcibly().waitFor(); // kill -9: no shutdown hook runs, the villagers live on
            Files.delete(log);
        }
        assertTrue(itsVillagers.stream().allMatch(ProcessHandle::isAlive), "the killed run's villagers outlive it");
        Village.startInNamespaces(2, Village.Topology.LINE, List.of()).close();
        for (ProcessHandle villager : itsVillagers) villager.onExit().get(1, TimeUnit.MINUTES);
        List<String> left = Netns.allNamespaces().stream().filter(itsNamespaces::contains).toList();
        assertEquals(List.of(), left, "the killed run's namespaces are still here");
        Netns.assertNothingLeft("after the next run");
    }
}
