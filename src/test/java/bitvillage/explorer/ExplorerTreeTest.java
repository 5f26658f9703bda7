package bitvillage.explorer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitvillage.BitVillage;
import bitvillage.testing.Http;
import bitvillage.testing.Settled;
import bitvillage.testing.WebNode;
import bitvillage.util.cli.World;
import bitvillage.util.python.PyJson;
import bitvillage.util.python.Sha256;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Issue 22: the explorer draws a village of B18 villagers as one tree, in Debian's chromium, headless.
 * Five villagers in a mesh are cut into {A, B} and {C, D, E} (each side forgets the other), both sides
 * mine, and the tree shows two branches, A's and B's tip on one, C's, D's and E's on the other. Then
 * the cut heals (each side registers the other again): every villager takes the chain with more work,
 * and the branch the village left is drawn grey. The page learns all of it from the explorer's server,
 * which follows the villagers for it. With -Dbitvillage.writePages=true the partition's picture is
 * written for the explorer's page.
 */
class ExplorerTreeTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Pattern PAGE = Pattern.compile("The explorer's page: (http://\\S+)/ ");
    private static final List<String> NAMES = List.of("A", "B", "C", "D", "E");

    private final List<AutoCloseable> closing = new ArrayList<>();
    private final Map<String, WebNode> village = new LinkedHashMap<>();
    private WebDriver browser;

    @AfterEach
    void stopEverything() throws Exception {
        if (browser != null) browser.quit();
        for (int i = closing.size() - 1; i >= 0; i--) closing.get(i).close();
    }

    @Test
    void aPartitionIsTwoBranchesAndTheHealGreysTheLosingOne() throws Exception {
        for (String name : NAMES) village.put(name, node());
        for (String name : NAMES) register(name, others(name));
        Http.json(village.get("A").get("/mine"), 200);
        awaitOneTip(NAMES);
        openThePage();
        String common = tip("A");
        awaitTree("every villager's tip on block " + common, () -> tipsOn(common).equals("A B C D E"));

        // The cut: each side forgets the other, as Bitcoin Core's tests disconnect nodes.
        List<String> small = List.of("A", "B");
        List<String> large = List.of("C", "D", "E");
        for (String name : small) forget(name, large);
        for (String name : large) forget(name, small);
        // The larger side mines more: two blocks, one after the other (two at once would be a tie).
        Http.json(village.get("A").get("/mine"), 200);
        Http.json(village.get("C").get("/mine"), 200);
        awaitOneTip(large);
        Http.json(village.get("D").get("/mine"), 200);
        awaitOneTip(small);
        awaitOneTip(large);
        String smallTip = tip("A");
        String largeTip = tip("C");
        assertNotEquals(smallTip, largeTip);
        awaitTree("A's and B's tip on " + smallTip + ", C's, D's and E's on " + largeTip,
                () -> tipsOn(smallTip).equals("A B") && tipsOn(largeTip).equals("C D E"));
        assertEquals("false", block(smallTip).getAttribute("data-stale"), "both branches are held: neither is grey");
        assertEquals("false", block(largeTip).getAttribute("data-stale"));
        assertNotEquals(block(smallTip).getAttribute("data-lane"), block(largeTip).getAttribute("data-lane"), "two branches, two lanes");
        assertEquals("false", block(common).getAttribute("data-stale"));
        if (Boolean.getBoolean("bitvillage.writePages")) screenshot(Path.of("chapters/images/explorer-partition.png"));

        // The heal: each side registers the other again; the villagers catch up by themselves.
        for (String name : small) register(name, large);
        for (String name : large) register(name, small);
        awaitOneTip(NAMES);
        assertEquals(largeTip, tip("A"), "the chain with more work wins");
        awaitTree("every tip on " + largeTip + " and A's old tip grey",
                () -> tipsOn(largeTip).equals("A B C D E") && "true".equals(block(smallTip).getAttribute("data-stale")));
        assertEquals("", tipsOn(smallTip));
        assertEquals(1, browser.findElements(By.cssSelector("#tree-picture .tree-block.stale")).size(), "the losing branch, one block, is grey");
        assertTrue(browser.findElements(By.cssSelector("#tree-picture .tree-block:not(.stale)")).size() >= 4,
                "genesis, the common block and the two blocks of the winning branch");
    }

    private WebNode node() throws Exception {
        WebNode node = new WebNode("B18", "--zeros", "2", "--seed", "礦工");
        closing.add(node);
        return node;
    }

    private List<String> others(String name) {
        return NAMES.stream().filter(other -> !other.equals(name)).toList();
    }

    private void register(String name, List<String> neighbours) throws Exception {
        Http.json(village.get(name).postJson("/nodes/register", addresses(neighbours)), 200);
    }

    private void forget(String name, List<String> neighbours) throws Exception {
        Http.json(village.get(name).postJson("/nodes/forget", addresses(neighbours)), 200);
    }

    private String addresses(List<String> names) {
        return PyJson.dumps(Map.of("nodes", names.stream().map(name -> village.get(name).app.url()).toList()));
    }

    /** The hash of a villager's tip, as the book hashes a block. */
    private String tip(String name) throws Exception {
        List<?> chain = village.get(name).chain();
        return Sha256.hex(PyJson.dumps(chain.get(chain.size() - 1)));
    }

    /** Waits until gossip has settled and these villagers hold one tip. */
    private void awaitOneTip(List<String> names) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (true) {
            Settled.await(names.stream().map(name -> village.get(name).app.url()).toList());
            List<String> tips = new ArrayList<>();
            for (String name : names) tips.add(tip(name));
            if (tips.stream().distinct().count() == 1) return;
            assertTrue(System.nanoTime() < deadline, "villagers " + names + " still hold tips " + tips);
            Thread.sleep(100);
        }
    }

    private void openThePage() throws Exception {
        List<String> args = new ArrayList<>(List.of("explorer", "--port", "0"));
        for (WebNode node : village.values()) args.addAll(List.of("--node", node.app.url()));
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        closing.add(BitVillage.launch(args.toArray(String[]::new),
                new World(new PrintStream(printed, true, StandardCharsets.UTF_8), World::pythonTime, World::uuid4Hex)));
        Matcher page = PAGE.matcher(printed.toString(StandardCharsets.UTF_8));
        assertTrue(page.find(), printed.toString(StandardCharsets.UTF_8));

        assertTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "the browser tests need Debian's chromium and chromium-driver: apt-get install -y chromium chromium-driver");
        java.util.logging.Logger.getLogger("org.openqa.selenium").setLevel(java.util.logging.Level.SEVERE);
        Path profile = Files.createTempDirectory("bitvillage-chromium");
        closing.add(() -> {
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        });
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--user-data-dir=" + profile, "--window-size=1400,1300");
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        browser.get(page.group(1) + "/");
    }

    private WebElement block(String hash) {
        return browser.findElement(By.cssSelector("#tree-picture .tree-block[data-hash='" + hash + "']"));
    }

    /** Which villagers' tips the tree draws on this block ("" when none, or when the block is not drawn). */
    private String tipsOn(String hash) {
        List<WebElement> found = browser.findElements(By.cssSelector("#tree-picture .tree-block[data-hash='" + hash + "']"));
        return found.isEmpty() ? "" : found.get(0).getAttribute("data-tips");
    }

    /** Asks the page every 50 ms, for up to 60 s, until the tree shows what is waited for. */
    private void awaitTree(String what, BooleanSupplier drawn) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            try {
                if (drawn.getAsBoolean()) return;
            } catch (org.openqa.selenium.WebDriverException e) {
                // the tree was redrawn while read: ask again
            }
            assertTrue(System.nanoTime() < deadline, () -> "the tree never showed " + what + "; it shows " + treeNow().get());
            Thread.sleep(50);
        }
    }

    private Supplier<String> treeNow() {
        return () -> browser.findElements(By.cssSelector("#tree-picture .tree-block")).stream()
                .map(block -> block.getAttribute("data-hash").substring(0, 8) + " tips[" + block.getAttribute("data-tips")
                        + "] stale=" + block.getAttribute("data-stale"))
                .toList().toString();
    }

    /** The page's top, the tree and the first villagers' rows. */
    private void screenshot(Path file) throws Exception {
        browser.manage().window().setSize(new org.openqa.selenium.Dimension(1400, 900));
        ((JavascriptExecutor) browser).executeScript("document.activeElement.blur(); window.scrollTo(0, 0);");
        byte[] png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES);
        Files.createDirectories(file.getParent());
        Files.write(file, png);
    }
}
