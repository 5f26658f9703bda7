package bitvillage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitvillage.util.cli.Options.UsageError;
import bitvillage.util.python.PyJson;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.xml.sax.helpers.DefaultHandler;

/** {@code java -jar target/bitvillage.jar odds}: what it prints, its JSON, its chart, its options. */
class OddsCommandTest {
    static final Path CHART = Path.of("chapters/images/odds.svg");

    private static String odds(String... args) throws Exception {
        String[] all = new String[args.length + 1];
        all[0] = "odds";
        System.arraycopy(args, 0, all, 1, args.length);
        return StageOutputTest.run(all);
    }

    @Test
    void theTableSetsThePapersFormulaBesideTheExactOne() throws Exception {
        String table = odds("--q", "0.1", "--z", "0..10", "--trials", "0");
        assertTrue(table.contains("\n    1  0.2045873  0.2000000  0.0311111\n"), table);
        assertTrue(table.contains("\n    5  0.0009137  0.0017818  0.0003286\n"), table);
        assertTrue(table.contains("\n   10  0.0000012  0.0000079  0.0000015\n"), table);
        assertFalse(table.contains("simulated"), "--trials 0 leaves the simulation out:\n" + table);
    }

    @Test
    void aSmallPIsPrintedWithItsDigitsAndAFarOneWithoutOverflow() throws Exception {
        String table = odds("--q", "0.1", "--z", "30,600", "--trials", "0");
        assertTrue(table.contains("\n   30  5.01e-18   6.21e-15   1.22e-15\n"), table);
        // 1.74e-268 fits a double; nakamoto's 6.14e-342 does not, and comes from its logarithm.
        assertTrue(table.contains("\n  600  6.14e-342  1.74e-268  3.48e-269\n"), table);
    }

    @Test
    void halfTheHashingPowerPrintsOne() throws Exception {
        String table = odds("--q", "0.5", "--z", "0,6", "--trials", "0");
        assertTrue(table.contains("\n    6  1.0000000  1.0000000  1.0000000\n"), table);
        assertTrue(table.contains("the formulas print 1"), table);
    }

    @Test
    void theSimulationIsTheSameForTheSameSeed() throws Exception {
        String first = odds("--q", "0.3", "--z", "6", "--trials", "20000", "--seed", "5");
        assertEquals(first, odds("--q", "0.3", "--z", "6", "--trials", "20000", "--seed", "5"));
        assertTrue(first.contains("20,000 races per row from seed 5"), first);
    }

    @Test
    void theWhitepaperTablesMatchThePrintedFigures() throws Exception {
        String tables = odds("--whitepaper", "--trials", "0");
        assertTrue(tables.contains("The nakamoto column reproduces all 30 printed figures"), tables);
        assertTrue(tables.contains("\n    1  0.2045873  0.2045873  0.2000000  0.0311111\n"), tables);
        assertTrue(tables.contains("\n   50  0.0000006  0.0000006  0.0000311  0.0000185\n"), tables);
        assertTrue(tables.contains("\n  0.45      340       340    539    530\n"), tables);
    }

    @Test
    void theJsonRowsHaveTheIssuesShape() throws Exception {
        List<?> rows = (List<?>) PyJson.loads(odds("--q", "0.1", "--z", "0..2", "--json", "--trials", "1000"));
        assertEquals(3, rows.size());
        for (Object row : rows) {
            Map<?, ?> fields = (Map<?, ?>) row;
            assertEquals(List.of("q", "z", "nakamoto", "exact", "simulated", "low", "high", "trials"),
                    List.copyOf(fields.keySet()));
            assertEquals(1000L, fields.get("trials"));
            double low = (Double) fields.get("low");
            double high = (Double) fields.get("high");
            double simulated = (Double) fields.get("simulated");
            assertTrue(low <= simulated && simulated <= high, fields.toString());
        }
        Map<?, ?> second = (Map<?, ?>) rows.get(1);
        assertEquals(0.1, second.get("q"));
        assertEquals(1L, second.get("z"));
        assertEquals(0.2, second.get("exact"));
        assertEquals(0.204587273943, second.get("nakamoto"));

        List<?> withoutSimulation = (List<?>) PyJson.loads(odds("--z", "6", "--json", "--trials", "0"));
        assertEquals(List.of("q", "z", "nakamoto", "exact"), List.copyOf(((Map<?, ?>) withoutSimulation.get(0)).keySet()));
    }

    @Test
    void confirmationListsReadAsTheIssueWritesThem() throws Exception {
        assertEquals(3, rowsOf("0,1,2"));
        assertEquals(11, rowsOf("0..10"));
        assertEquals(11, rowsOf("0..50:5"));
        assertEquals(1, rowsOf("6"));
        assertEquals(5, rowsOf("0..2,10,20"));
        for (String bad : List.of("", "1,", "a", "5..1", "0..10:0", "-1", "10001", "0..", "1.5", "0..10:")) {
            UsageError error = assertThrows(UsageError.class, () -> odds("--z", bad), bad);
            assertTrue(error.getMessage().startsWith("--z takes confirmations"), error.getMessage());
        }
    }

    private static int rowsOf(String list) throws Exception {
        return ((List<?>) PyJson.loads(odds("--z", list, "--json", "--trials", "0"))).size();
    }

    @Test
    void badOptionsAreUsageErrors() {
        for (List<String> bad : List.of(List.of("--q", "1"), List.of("--q", "0.3.1"), List.of("--q", "-0.1"),
                List.of("--q", "NaN"), List.of("--trials", "-1"), List.of("--trials", "10000001"),
                List.of("--seed", "one"), List.of("--whitepaper", "--q", "0.1"), List.of("--whitepaper", "--json"),
                List.of("--svg", "x.svg", "--z", "6"), List.of("--q"), List.of("--share", "0.3"))) {
            assertThrows(UsageError.class, () -> odds(bad.toArray(String[]::new)), bad.toString());
        }
    }

    @Test
    void theLauncherExits2OnABadOption0OnHelpAnd1WhenTheChartCannotBeWritten(@TempDir Path folder) throws Exception {
        LauncherTest.Result bad = LauncherTest.java("odds", "--q", "0.7.");
        assertEquals(2, bad.status(), bad.err());
        assertTrue(bad.err().contains("--q takes a share of the hashing power"), bad.err());
        assertTrue(bad.err().contains("usage: java -jar target/bitvillage.jar odds [options]"), bad.err());
        assertEquals("", bad.out());

        LauncherTest.Result help = LauncherTest.java("odds", "--help");
        assertEquals(0, help.status(), help.err());
        for (String option : List.of("--q", "--z", "--trials", "--seed", "--whitepaper", "--json", "--svg")) {
            assertTrue(help.out().contains("  " + option + " "), option + " in\n" + help.out());
        }

        LauncherTest.Result unwritable = LauncherTest.java("odds", "--svg", folder.resolve("no/such/folder.svg").toString());
        assertEquals(1, unwritable.status(), unwritable.err());
        assertTrue(unwritable.err().contains("its folder does not exist"), unwritable.err());
    }

    @Test
    void theChartIsWellFormedSvgAndTheCommittedOneIsWhatTheCommandWrites(@TempDir Path folder) throws Exception {
        Path written = folder.resolve("odds.svg");
        String said = odds("--svg", written.toString());
        assertTrue(said.startsWith("Wrote " + written), said);
        byte[] svg = Files.readAllBytes(written);

        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        DocumentBuilder builder = factory.newDocumentBuilder();
        builder.setErrorHandler(new DefaultHandler()); // a fatal error still throws; nothing is printed
        Document chart = builder.parse(new ByteArrayInputStream(svg));
        assertEquals("svg", chart.getDocumentElement().getLocalName());
        assertEquals("http://www.w3.org/2000/svg", chart.getDocumentElement().getNamespaceURI());
        assertEquals(10, chart.getElementsByTagNameNS("http://www.w3.org/2000/svg", "polyline").getLength(),
                "five shares, two formulas each");

        assertEquals(new String(svg, StandardCharsets.UTF_8), Files.readString(CHART, StandardCharsets.UTF_8),
                CHART + " is not what the command writes now; rewrite it with: java -jar target/bitvillage.jar odds --svg " + CHART);
    }
}
