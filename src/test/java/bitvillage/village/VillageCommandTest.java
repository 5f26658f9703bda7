package bitvillage.village;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitvillage.BitVillage;
import bitvillage.testing.Http;
import bitvillage.util.cli.World;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The village command, started as the launcher starts it: its villagers answer, each with the neighbours its topology gives it. */
class VillageCommandTest {
    private static final Pattern VILLAGER = Pattern.compile("Villager ([A-Z]) \\(B18\\): (http://127\\.0\\.0\\.1:\\d+), neighbours ");

    @Test
    void aRingOfFourIsFourVillagersEachWithItsTwoNeighbours() throws Exception {
        Map<String, List<String>> ring = Map.of("A", List.of("B", "D"), "B", List.of("A", "C"), "C", List.of("B", "D"), "D", List.of("A", "C"));
        assertNeighbours(new String[] {"village", "--villagers", "4", "--topology", "ring", "--port", "0"}, ring);
    }

    @Test
    void aLineOfThreeLeavesItsEndsOneNeighbourEach() throws Exception {
        Map<String, List<String>> line = Map.of("A", List.of("B"), "B", List.of("A", "C"), "C", List.of("B"));
        assertNeighbours(new String[] {"village", "--villagers", "3", "--port", "0"}, line);
    }

    private static void assertNeighbours(String[] args, Map<String, List<String>> expected) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
             AutoCloseable village = BitVillage.launch(args, World.fixed(out))) {
            String said = bytes.toString(StandardCharsets.UTF_8);
            assertTrue(village instanceof Village, said);
            Map<String, String> urls = new TreeMap<>();
            Matcher villager = VILLAGER.matcher(said);
            while (villager.find()) urls.put(villager.group(1), villager.group(2));
            assertEquals(expected.keySet(), urls.keySet(), said);
            String explorer = said.lines().filter(line -> line.startsWith("The explorer's page: ")).findFirst().orElseThrow()
                    .replaceAll("The explorer's page: (\\S+) .*", "$1");
            assertEquals(200, Http.get(explorer).statusCode(), said);
            for (Map.Entry<String, String> each : urls.entrySet()) {
                List<String> neighbours = new ArrayList<>();
                for (Object node : (List<?>) Http.json(Http.get(each.getValue() + "/nodes"), 200).get("nodes")) {
                    String address = (String) ((Map<?, ?>) node).get("address");
                    urls.forEach((name, url) -> {
                        if (url.equals(address)) neighbours.add(name);
                    });
                }
                assertEquals(expected.get(each.getKey()), neighbours.stream().sorted().toList(), each.getKey() + "\n" + said);
            }
        }
    }
}
