package bitvillage.village;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitvillage.BitVillage;
import bitvillage.testing.Http;
import bitvillage.testing.Settled;
import bitvillage.util.cli.World;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The village command, started as the launcher starts it: its villagers answer, each with the neighbours its topology gives it. */
class VillageCommandTest {
    private static final Pattern VILLAGER = Pattern.compile("Villager ([A-Z]) \\(B19\\): (http://127\\.0\\.0\\.1:\\d+), neighbours ");

    @Test
    void aRingOfFourIsFourVillagersEachWithItsTwoNeighbours() throws Exception {
        Map<String, List<String>> ring = Map.of("A", List.of("B", "D"), "B", List.of("A", "C"), "C", List.of("B", "D"), "D", List.of("A", "C"));
        try (Started village = new Started("village", "--villagers", "4", "--topology", "ring", "--port", "0")) {
            village.assertNeighbours(ring);
        }
    }

    @Test
    void aLineOfThreeLeavesItsEndsOneNeighbourEach() throws Exception {
        Map<String, List<String>> line = Map.of("A", List.of("B"), "B", List.of("A", "C"), "C", List.of("B"));
        try (Started village = new Started("village", "--villagers", "3", "--port", "0")) {
            village.assertNeighbours(line);
        }
    }

    @Test
    void aVillageStartedAgainOnItsNotebooksRemembersItsBlocksAndOnlyItsTopologysNeighbours() throws Exception {
        Path data = Files.createTempDirectory("village-data");
        String[] args = {"village", "--villagers", "3", "--port", "0", "--data", data.toString()};
        Map<String, List<String>> line = Map.of("A", List.of("B"), "B", List.of("A", "C"), "C", List.of("B"));
        try {
            Object mined;
            try (Started village = new Started(args)) {
                assertTrue(village.said.contains("Notebooks: " + data.toAbsolutePath().resolve("A") + " to "
                        + data.toAbsolutePath().resolve("C")), village.said);
                assertEquals(200, Http.get(village.urls.get("C") + "/mine").statusCode());
                Settled.await(List.copyOf(village.urls.values()));
                mined = village.tip("C");
                for (String name : line.keySet()) assertEquals(mined, village.tip(name), name + " heard of C's block");
            }
            // Started again: new ports, each villager's notebook read again; the addresses it saved are no neighbours any more.
            try (Started again = new Started(args)) {
                for (String name : line.keySet()) assertEquals(mined, again.tip(name), name + " remembers C's block");
                again.assertNeighbours(line);
            }
        } finally {
            try (Stream<Path> files = Files.walk(data)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) Files.delete(file);
            }
        }
    }

    /** The village command, launched: what it said, and its villagers' addresses by letter. */
    private static final class Started implements AutoCloseable {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        private final Village village;
        final String said;
        final Map<String, String> urls = new TreeMap<>();

        Started(String... args) throws Exception {
            AutoCloseable launched = BitVillage.launch(args, World.fixed(out));
            said = bytes.toString(StandardCharsets.UTF_8);
            assertTrue(launched instanceof Village, said);
            village = (Village) launched;
            Matcher villager = VILLAGER.matcher(said);
            while (villager.find()) urls.put(villager.group(1), villager.group(2));
            String explorer = said.lines().filter(line -> line.startsWith("The explorer's page: ")).findFirst().orElseThrow()
                    .replaceAll("The explorer's page: (\\S+) .*", "$1");
            assertEquals(200, Http.get(explorer).statusCode(), said);
        }

        void assertNeighbours(Map<String, List<String>> expected) throws Exception {
            assertEquals(expected.keySet(), urls.keySet(), said);
            for (Map.Entry<String, String> each : urls.entrySet()) {
                List<String> neighbours = new ArrayList<>();
                for (Object node : (List<?>) Http.json(Http.get(each.getValue() + "/nodes"), 200).get("nodes")) {
                    String address = (String) ((Map<?, ?>) node).get("address");
                    neighbours.add(urls.entrySet().stream().filter(url -> url.getValue().equals(address)).map(Map.Entry::getKey)
                            .findFirst().orElse(address));
                }
                assertEquals(expected.get(each.getKey()), neighbours.stream().sorted().toList(), each.getKey() + "\n" + said);
            }
        }

        /** The last block of this villager's chain. */
        Object tip(String name) throws Exception {
            List<?> chain = (List<?>) Http.json(Http.get(urls.get(name) + "/chain"), 200).get("chain");
            return chain.get(chain.size() - 1);
        }

        @Override
        public void close() {
            try (out) {
                village.close();
            }
        }
    }
}
