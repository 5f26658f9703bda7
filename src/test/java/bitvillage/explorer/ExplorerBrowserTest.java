package bitvillage.explorer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import bitvillage.BitVillage;
import bitvillage.stages.taught.CoinSelection;
import bitvillage.stages.taught.CoinTransaction;
import bitvillage.stages.taught.FeeRate;
import bitvillage.stages.taught.SignedPayment;
import bitvillage.stages.taught.UnspentCoins;
import bitvillage.testing.Http;
import bitvillage.util.cli.World;
import bitvillage.util.python.PyJson;
import bitvillage.util.python.Sha256;
import bitvillage.util.web.WebApp;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * The explorer's page in a real browser: Debian's chromium, headless, driven through its own
 * chromedriver (nothing is downloaded). One browser and one village for the class; the tests run in
 * order, as a reader would use the page: look, mine, tamper, resolve, with the keyboard too.
 * Without chromium these tests fail, loudly: CI installs it (.ci/run).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ExplorerBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Pattern PAGE = Pattern.compile("The explorer's page: (http://\\S+)/ ");
    private static final Pattern VILLAGER = Pattern.compile("Villager ([A-E])[^:]*: (http://\\S+)");
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private static AutoCloseable explorer;
    private static String page;
    private static final Map<String, String> villagers = new LinkedHashMap<>();
    private static WebDriver browser;
    private static Path profile;
    /** Selenium's own log says that it has no DevTools classes for this chromium; the tests use none. */
    private static final java.util.logging.Logger SELENIUM_LOG = java.util.logging.Logger.getLogger("org.openqa.selenium");

    @BeforeAll
    static void startTheVillageAndTheBrowser() throws Exception {
        assertTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "the browser tests need Debian's chromium and chromium-driver: apt-get install -y chromium chromium-driver");
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        // B12's villagers: each writes a genesis block of its own and the book's rules let a copy be
        // re-linked for free, the lessons these tests watch the page draw (B13's are in the double below).
        explorer = BitVillage.launch(new String[] {"explorer", "--stage", "B12", "--port", "0"},
                new World(new PrintStream(printed, true, StandardCharsets.UTF_8), World::pythonTime, World::uuid4Hex));
        String text = printed.toString(StandardCharsets.UTF_8);
        Matcher where = PAGE.matcher(text);
        assertTrue(where.find(), "the explorer printed no address: " + text);
        page = where.group(1);
        Matcher villager = VILLAGER.matcher(text);
        while (villager.find()) villagers.put(villager.group(1), villager.group(2));
        assertEquals(2, villagers.size(), text);

        SELENIUM_LOG.setLevel(java.util.logging.Level.SEVERE);
        profile = Files.createTempDirectory("bitvillage-chromium");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--user-data-dir=" + profile, "--window-size=1400,1300");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, java.util.logging.Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        // The driver given outright: Selenium Manager, which would download one, never runs.
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().scriptTimeout(Duration.ofSeconds(120));
        browser.get(page + "/");
    }

    @AfterAll
    static void stopEverything() throws Exception {
        if (browser != null) browser.quit();
        if (explorer != null) explorer.close();
        if (profile != null) {
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
    }

    private static Wait waitUpTo(double seconds) {
        return new Wait(seconds, () -> "");
    }

    /** Asks a condition of the page every 50 ms until it holds; fails with what was waited for once the time is up. */
    private record Wait(double seconds, java.util.function.Supplier<String> message) {
        Wait withMessage(java.util.function.Supplier<String> what) {
            return new Wait(seconds, what);
        }

        void until(java.util.function.Function<WebDriver, Boolean> condition) {
            long deadline = System.nanoTime() + (long) (seconds * 1e9);
            RuntimeException last = null;
            while (true) {
                try {
                    if (Boolean.TRUE.equals(condition.apply(browser))) return;
                    last = null;
                } catch (org.openqa.selenium.WebDriverException e) {
                    last = e; // an element redrawn while read: ask again
                }
                if (System.nanoTime() > deadline) break;
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            throw new AssertionError("waited " + seconds + " s in vain " + message.get(), last);
        }
    }

    private static WebElement row(String name) {
        return browser.findElement(By.cssSelector("article.villager[aria-label='Villager " + name + "']"));
    }

    private static List<String> hashes(String name) {
        return row(name).findElements(By.cssSelector(".strip .card")).stream().map(card -> card.getAttribute("data-hash")).toList();
    }

    private static void awaitBlocks(String name, int count, double seconds) {
        waitUpTo(seconds).withMessage(() -> "villager " + name + "'s row shows " + hashes(name).size() + " blocks, not " + count)
                .until(driver -> hashes(name).size() == count);
    }

    private static String answerOf(String name) {
        return row(name).findElement(By.cssSelector(".answer")).getText();
    }

    @Test
    @Order(1)
    void thePageDrawsBothVillagersWithNoConsoleErrors() {
        waitUpTo(5).until(driver -> hashes("A").size() == 1 && hashes("B").size() == 1);
        // Each villager made its own genesis block, at its own time: two new villagers share no block.
        assertTrue(!hashes("A").equals(hashes("B")), "two genesis blocks of different times");
        assertEquals(2, browser.findElements(By.cssSelector(".card.fork")).size(), "blocks no other villager holds are drawn plain");
        assertTrue(row("A").getText().contains(villagers.get("A")), row("A").getText());
        assertTrue(row("B").getText().contains("answers"), row("B").getText());
        assertTrue(!row("A").findElement(By.name("fee")).isDisplayed(), "the book's node takes no fee: no fee field");
        String features = row("A").findElement(By.cssSelector(".features")).getText();
        assertTrue(features.contains("ids: not known yet") && features.contains("proof: not known yet"), features);
        List<LogEntry> errors = new ArrayList<>();
        for (LogEntry entry : browser.manage().logs().get(LogType.BROWSER)) {
            if (entry.getLevel().intValue() >= java.util.logging.Level.WARNING.intValue()) errors.add(entry);
        }
        assertEquals(List.of(), errors.stream().map(LogEntry::getMessage).toList(), "the console has errors or warnings");
    }

    @Test
    @Order(2)
    void mineOnAShowsTheBlock() {
        WebElement mine = row("A").findElement(By.cssSelector("button.mine"));
        long start = System.nanoTime();
        mine.click();
        awaitBlocks("A", 2, 15.0); // generous: a busy machine; the figure printed is for the record
        System.out.printf("explorer: the mined block showed after %d ms%n", (System.nanoTime() - start) / 1_000_000);
        assertTrue(answerOf("A").contains("New Block Forged"), answerOf("A"));
        assertEquals(2, browser.findElements(By.cssSelector("article[aria-label='Villager A'] .card.fork")).size(),
                "A's blocks are A's alone: drawn plain");
        mine.click();
        awaitBlocks("A", 3, 2.0);
    }

    @Test
    @Order(3)
    void aTamperedCopyShowsTheBrokenLinkAndTheVillagersVerdicts() throws Exception {
        row("A").findElements(By.cssSelector(".strip .card")).get(1).click();
        browser.findElement(By.id("open-copy")).click();
        WebElement editor = browser.findElement(By.id("copy-transactions"));
        String original = editor.getAttribute("value");
        assertTrue(original.contains("\"sender\": \"0\""), original);
        setText(editor, original.replace("\"amount\": 1", "\"amount\": 1000000"));
        WebElement verdict = browser.findElement(By.id("copy-verdict"));
        waitUpTo(5).until(driver -> "1".equals(verdict.getAttribute("data-broken")));
        assertEquals("0", verdict.getAttribute("data-failing"), "on the book's rules no nonce depends on the transactions");
        assertTrue(!browser.findElement(By.id("remine")).isEnabled(), "on the book's rules there is nothing to re-mine");
        assertEquals(1, browser.findElements(By.cssSelector("#copy-strip .link.broken")).size());
        assertTrue(browser.findElement(By.id("copy-marks")).getText().contains("link broken: block #3"),
                browser.findElement(By.id("copy-marks")).getText());

        // Served as it is, the copy is refused; re-linked, it costs nothing and B, shorter, takes it.
        browser.findElement(By.cssSelector("#tamper-body button.offer:nth-of-type(2)")).click();
        WebElement answer = browser.findElement(By.id("tamper-answer"));
        waitUpTo(15).until(driver -> "B 200".equals(answer.getAttribute("data-verdict")));
        assertTrue(answer.getText().contains("Our chain is authoritative"), answer.getText());

        browser.findElement(By.id("relink")).click();
        waitUpTo(5).until(driver -> "0".equals(verdict.getAttribute("data-broken")));
        assertEquals("0", verdict.getAttribute("data-failing"));
        browser.findElement(By.id("serve-copy")).click();
        waitUpTo(5).until(driver -> answer.getText().contains("HTTP 200"));
        ((JavascriptExecutor) browser).executeScript("document.getElementById('tamper-answer').dataset.verdict = ''");
        browser.findElement(By.cssSelector("#tamper-body button.offer:nth-of-type(2)")).click();
        waitUpTo(15).until(driver -> "B 200".equals(answer.getAttribute("data-verdict")));
        assertTrue(answer.getText().contains("Our chain was replaced"), answer.getText());
        awaitBlocks("B", 3, 2.0);
        List<String> a = hashes("A");
        List<String> b = hashes("B");
        assertEquals(a.get(0), b.get(0));
        assertTrue(!a.get(1).equals(b.get(1)) && !a.get(2).equals(b.get(2)), "B holds the forged blocks: a fork at block 2");
        assertEquals(4, browser.findElements(By.cssSelector("#village .card.fork")).size(), "blocks 2 and 3 of each row are drawn plain");
        if (Boolean.getBoolean("bitvillage.writePages")) screenshot(Path.of("chapters/images/explorer.png"));
    }

    @Test
    @Order(4)
    void resolveOnBMakesTheRowsAgree() {
        row("A").findElement(By.cssSelector("button.mine")).click();
        awaitBlocks("A", 4, 2.0);
        WebElement register = row("B").findElement(By.cssSelector("form.register"));
        assertEquals(villagers.get("A"), register.findElement(By.name("nodes")).getAttribute("value"), "B's form offers A's address");
        register.findElement(By.cssSelector("button")).click();
        waitUpTo(5).until(driver -> answerOf("B").contains("New nodes have been added"));
        row("B").findElement(By.cssSelector("button.resolve")).click();
        waitUpTo(10).until(driver -> hashes("B").equals(hashes("A")));
        assertTrue(answerOf("B").contains("Our chain was replaced"), answerOf("B"));
        waitUpTo(10).until(driver -> browser.findElements(By.cssSelector("#village .card.fork")).isEmpty());
        assertEquals(8, browser.findElements(By.cssSelector("#village .card.shared")).size());
    }

    @Test
    @Order(5)
    void theKeyboardAloneCanMinePayAndResolve() {
        int blocks = hashes("A").size();
        browser.findElement(By.tagName("body")).click();
        tabTo(active -> "Mine".equals(active.getText()) && inRow(active, "A"));
        new Actions(browser).sendKeys(Keys.ENTER).perform();
        awaitBlocks("A", blocks + 1, 2.0);

        tabTo(active -> "sender".equals(active.getAttribute("name")) && inRow(active, "A"));
        new Actions(browser).keyDown(Keys.CONTROL).sendKeys("a").keyUp(Keys.CONTROL).sendKeys("小美").sendKeys(Keys.TAB)
                .keyDown(Keys.CONTROL).sendKeys("a").keyUp(Keys.CONTROL).sendKeys("大華").sendKeys(Keys.TAB)
                .keyDown(Keys.CONTROL).sendKeys("a").keyUp(Keys.CONTROL).sendKeys("5").sendKeys(Keys.ENTER).perform();
        waitUpTo(5).until(driver -> answerOf("A").contains("HTTP 201"));
        assertTrue(answerOf("A").contains("\"amount\": 5"), answerOf("A"));
        waitUpTo(10).until(driver -> row("A").findElement(By.cssSelector(".pending")).getText().contains("小美 → 大華: 5"));

        tabTo(active -> "Resolve".equals(active.getText()) && inRow(active, "B"));
        new Actions(browser).sendKeys(Keys.ENTER).perform();
        waitUpTo(10).until(driver -> answerOf("B").contains("GET /nodes/resolve\nHTTP 200"));
        waitUpTo(5).until(driver -> hashes("B").equals(hashes("A")));
    }

    @Test
    @Order(6)
    void theCanonicalJsonMatchesPythonOnEveryFixture() throws Exception {
        String values = Files.readString(Path.of("src/test/resources/python-json-dumps.jsonl"), StandardCharsets.UTF_8);
        String floats = Files.readString(Path.of("src/test/resources/python-float-repr.txt"), StandardCharsets.UTF_8);
        Object result = ((JavascriptExecutor) browser).executeAsyncScript("""
                const [values, floats, done] = arguments;
                (async () => {
                  const wrong = [];
                  let dumped = 0, digests = 0, reprs = 0;
                  for (const line of values.split("\\n")) {
                    if (!line) continue;
                    const f = JSON.parse(line);
                    const text = PyJson.dumps(PyJson.loads(f.input));
                    if (text !== f.dumps) { wrong.push("dumps " + f.input.slice(0, 80) + " -> " + text.slice(0, 80)); continue; }
                    dumped++;
                    const ours = Sha256.ours(text), web = await Sha256.webCrypto(text);
                    if (ours !== f.sha256 || web !== f.sha256) wrong.push("sha256 of " + text.slice(0, 80) + ": " + ours + " / " + web);
                    else digests++;
                  }
                  const bits = new DataView(new ArrayBuffer(8));
                  for (const line of floats.split("\\n")) {
                    if (!line || line.startsWith("#")) continue;
                    const [hex, repr] = line.split(" ");
                    bits.setBigUint64(0, BigInt("0x" + hex));
                    const mine = PyJson.floatRepr(bits.getFloat64(0));
                    if (mine !== repr) wrong.push("repr " + hex + ": " + mine + " not " + repr); else reprs++;
                  }
                  return { dumped, digests, reprs, wrong: wrong.slice(0, 5), secure: Sha256.useWebCrypto };
                })().then(done, (e) => done({ error: String(e) }));
                """, values, floats);
        Map<?, ?> answer = (Map<?, ?>) result;
        assertEquals(List.of(), answer.get("wrong"), String.valueOf(answer));
        assertEquals(2000L, answer.get("dumped"));
        assertEquals(2000L, answer.get("digests"));
        assertEquals(20000L, answer.get("reprs"));
        assertEquals(Boolean.TRUE, answer.get("secure"), "a page from 127.0.0.1 is a secure context: Web Crypto hashes");
    }

    @Test
    @Order(7)
    void onlyASecureContextHashesWithWebCrypto() {
        // A page over plain http from another computer is no secure context: it has no crypto.subtle.
        Object result = ((JavascriptExecutor) browser).executeAsyncScript("""
                const done = arguments[0];
                Sha256.hex("apple").then((digest) => done({
                  here: Sha256.webCryptoIn(window),
                  insecure: Sha256.webCryptoIn({ isSecureContext: false, crypto: window.crypto }),
                  apple: Sha256.ours("apple"), hex: digest }));
                """);
        Map<?, ?> answer = (Map<?, ?>) result;
        assertEquals(Boolean.TRUE, answer.get("here"), String.valueOf(answer));
        assertEquals(Boolean.FALSE, answer.get("insecure"), String.valueOf(answer));
        assertEquals(answer.get("apple"), answer.get("hex"));
        assertEquals("3a7bd3e2360a3d29eea436fcfb7e44c735d117c42d1c1835420b6b9942dd4f1b", answer.get("apple"));
    }

    @Test
    @Order(8)
    void theProxyRefusesAnAddressItWasNotGivenAndOtherSitesPages() throws Exception {
        assertEquals(403, get("/api/ask?node=http://127.0.0.1:1&path=/chain", Map.of()).statusCode());
        assertEquals(403, get("/api/ask?node=http://example.com:80&path=/chain", Map.of()).statusCode());
        assertEquals(404, get("/api/ask?node=" + villagers.get("A") + "&path=/nodes/forget", Map.of()).statusCode());
        assertEquals(200, get("/api/ask?node=" + villagers.get("A") + "&path=/chain", Map.of()).statusCode());
        assertEquals(403, get("/api/ask?node=" + villagers.get("A") + "&path=/mine", Map.of("Origin", "http://evil.example")).statusCode());
        assertEquals(403, get("/api/ask?node=" + villagers.get("A") + "&path=/mine", Map.of("Sec-Fetch-Site", "cross-site")).statusCode());
        assertEquals(403, get("/", Map.of("Host", "evil.example:8000")).statusCode());
    }

    @Test
    @Order(9)
    void nodesOfLaterStagesShowIdsConfirmationsProjectedBlocksAndAProofOverTheBlock() throws Exception {
        try (WebApp later = LaterStageDouble.start();
             AutoCloseable second = BitVillage.launch(new String[] {"explorer", "--port", "0", "--node", later.url()},
                     new World(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), World::pythonTime, World::uuid4Hex))) {
            browser.get(((WebApp) second).url() + "/");
            waitUpTo(5).until(driver -> hashes("A").size() == 3);
            String features = row("A").findElement(By.cssSelector(".features")).getText();
            assertTrue(features.contains("payments have ids") && features.contains("GET /transactions/pending answers")
                    && features.contains("proof over the whole block (3 zeros)"), features);
            assertTrue(row("A").findElement(By.name("fee")).isDisplayed(), "a node that takes fees gets a fee field");
            assertEquals(3, row("A").findElements(By.cssSelector(".pending .square")).size());
            assertEquals(2, row("A").findElements(By.cssSelector(".pending .next-block")).size());

            row("A").findElements(By.cssSelector(".strip .card")).get(1).click();
            browser.findElement(By.cssSelector("button.confirmations")).click();
            WebElement confirmations = browser.findElement(By.id("confirmations"));
            waitUpTo(5).until(driver -> confirmations.getText().contains("In block 2: 2 confirmations"));
            row("A").findElements(By.cssSelector(".pending .square")).get(0).click();
            waitUpTo(5).until(driver -> confirmations.getText().contains("Payment pending on villager A"));

            browser.findElement(By.id("open-copy")).click();
            WebElement editor = browser.findElement(By.id("copy-transactions"));
            setText(editor, editor.getAttribute("value").replace("\"amount\": 699", "\"amount\": 1"));
            WebElement verdict = browser.findElement(By.id("copy-verdict"));
            waitUpTo(5).until(driver -> "1".equals(verdict.getAttribute("data-broken")) && "1".equals(verdict.getAttribute("data-failing")));
            browser.findElement(By.id("relink")).click();
            waitUpTo(5).until(driver -> "0".equals(verdict.getAttribute("data-broken")));
            assertEquals("2", verdict.getAttribute("data-failing"), "re-linked, blocks 2 and 3 no longer have their zeros");
            long start = System.nanoTime();
            browser.findElement(By.id("remine")).click();
            waitUpTo(60).until(driver -> "0".equals(verdict.getAttribute("data-failing")) && "0".equals(verdict.getAttribute("data-broken")));
            System.out.printf("explorer: re-mined two blocks at 3 zeros in the browser in %d ms%n", (System.nanoTime() - start) / 1_000_000);
            assertEquals("1", browser.findElement(By.id("remine-progress")).getAttribute("value"));
        } finally {
            browser.get(page + "/");
        }
    }

    /**
     * Issue 17, item 3: a villager whose blocks hold timestamps no date can hold (1e300, a string, null,
     * a huge negative), and an entry that is no block at all, listed before an honest villager: the
     * page draws every block of both, and the honest one's row is whole.
     */
    @Test
    @Order(10)
    void aVillagerWithStrangeTimestampsIsDrawnAndSoIsTheVillagerAfterIt() throws Exception {
        List<Object> chain = new ArrayList<>();
        Object[] stamps = {1e300, "soon", null, -1e20, Double.MAX_VALUE};
        for (int i = 0; i < stamps.length; i++) {
            Map<String, Object> block = new LinkedHashMap<>();
            block.put("index", (long) i + 1);
            block.put("timestamp", stamps[i]);
            block.put("transactions", List.of());
            block.put("nonce", 100L);
            block.put("previous_hash", "1");
            chain.add(block);
        }
        chain.add("no block at all");
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("chain", chain);
        answer.put("length", (long) chain.size());
        try (WebApp strange = new WebApp("127.0.0.1", 0, new World(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                World::pythonTime, World::uuid4Hex)).get("/chain", request -> WebApp.Reply.json(200, answer)).start();
             AutoCloseable second = BitVillage.launch(new String[] {"explorer", "--port", "0", "--node", strange.url(), "--node", villagers.get("A")},
                     new World(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), World::pythonTime, World::uuid4Hex))) {
            browser.manage().logs().get(LogType.BROWSER); // what earlier tests logged is theirs
            browser.get(((WebApp) second).url() + "/");
            waitUpTo(10).withMessage(() -> "A draws " + hashes("A").size() + " of 6, B " + hashes("B").size() + ": " + row("A").getAttribute("innerHTML") + browser.manage().logs().get(LogType.BROWSER).getAll().stream().map(LogEntry::getMessage).toList())
                    .until(driver -> hashes("A").size() == 6 && hashes("B").size() >= 1);
            String strip = row("A").findElement(By.cssSelector(".strip")).getText();
            assertTrue(strip.contains("timestamp 1e+300") && strip.contains("timestamp \"soon\"") && strip.contains("timestamp null")
                    && strip.contains("not a block"), strip);
            assertTrue(row("B").getText().contains("answers"), row("B").getText());
            for (LogEntry entry : browser.manage().logs().get(LogType.BROWSER)) {
                assertTrue(entry.getLevel().intValue() < java.util.logging.Level.SEVERE.intValue(), entry.getMessage());
            }
        } finally {
            browser.get(page + "/");
        }
    }

    /** Issue 18: 小美 in the pay form is drawn with a CJK font, each character one em wide, not as two narrow boxes. */
    @Test
    @Order(11)
    void chineseNamesRenderWithACjkFont() {
        waitUpTo(5).until(driver -> hashes("A").size() >= 1);
        WebElement sender = row("A").findElement(By.name("sender"));
        assertEquals("小美", sender.getAttribute("value"));
        String family = sender.getCssValue("font-family");
        assertTrue(family.contains("Noto Sans CJK TC"), family);
        Object ratio = ((JavascriptExecutor) browser).executeScript(
                "const input = arguments[0]; const style = getComputedStyle(input);"
                + "const context = document.createElement('canvas').getContext('2d');"
                + "context.font = style.fontSize + ' ' + style.fontFamily;"
                + "return context.measureText('小美').width / parseFloat(style.fontSize);", sender);
        double ems = ((Number) ratio).doubleValue();
        System.out.printf("explorer: 小美 is %.2f em wide%n", ems);
        assertTrue(ems > 1.9 && ems < 2.1, "小美 should be two full-width glyphs (2 em), is " + ems
                + " em: is a CJK font installed (apt-get install fonts-noto-cjk)?");
    }

    /**
     * Issue 22: the page asks no villager by itself; it follows the village through the explorer's
     * /api/changes, which answers when something changed. With nothing changing, over 4 s the page
     * asks /api/changes at most once (a long ask, answered after 20 s of quiet) and never /api/ask.
     */
    @Test
    @Order(12)
    void anIdlePageAsksNothingUntilSomethingChanges() {
        waitUpTo(5).until(driver -> hashes("A").size() >= 1 && hashes("B").size() >= 1);
        Object counted = ((JavascriptExecutor) browser).executeAsyncScript(
                "const done = arguments[arguments.length - 1]; const asks = [];"
                + "const observer = new PerformanceObserver((list) => list.getEntries().forEach((e) => asks.push(e.name)));"
                + "observer.observe({ type: 'resource' });"
                + "setTimeout(() => { observer.disconnect(); done([asks.filter((name) => name.includes('/api/ask')).length,"
                + " asks.filter((name) => name.includes('/api/changes')).length]); }, 4000);");
        List<?> asks = (List<?>) counted;
        System.out.printf("explorer: idle for 4 s, the page asked villagers %s times and the explorer's changes %s times%n", asks.get(0), asks.get(1));
        assertEquals(0L, ((Number) asks.get(0)).longValue(), "the page asks no villager by itself");
        assertTrue(((Number) asks.get(1)).longValue() <= 1, asks.get(1) + " asks for changes while nothing changed");
    }

    /**
     * Issue 18: the labels say only what the evidence shows. Two fresh villagers of the newest stage are
     * labelled alike (its fixed genesis block shows the proof over the block; from B17 on its genesis
     * transaction's inputs and outputs show coins), and after A mines, no label of B's contradicts one of A's.
     */
    @Test
    @Order(13)
    @SuppressWarnings("try") // the explorer is closed at the end; the page is reached by its address
    void theLabelsSayOnlyWhatTheEvidenceShows() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try (AutoCloseable newest = BitVillage.launch(new String[] {"explorer", "--port", "0"},
                new World(new PrintStream(printed, true, StandardCharsets.UTF_8), World::pythonTime, World::uuid4Hex))) {
            Matcher where = PAGE.matcher(printed.toString(StandardCharsets.UTF_8));
            assertTrue(where.find(), printed.toString(StandardCharsets.UTF_8));
            browser.get(where.group(1) + "/");
            java.util.function.Function<String, String> features = name -> row(name).findElement(By.cssSelector(".features")).getText();
            waitUpTo(10).withMessage(() -> features.apply("A") + " | " + features.apply("B"))
                    .until(driver -> features.apply("A").contains("GET /transactions/pending answers")
                            && features.apply("A").equals(features.apply("B")));
            assertTrue(features.apply("A").contains("coins in and out, each spent by its owner's signature")
                    && features.apply("A").contains("proof over the whole block (B17's genesis block)"), features.apply("A"));
            row("A").findElement(By.cssSelector("button.mine")).click();
            waitUpTo(60).until(driver -> hashes("A").size() == 2);
            waitUpTo(10).withMessage(() -> features.apply("A")).until(driver -> features.apply("A").contains("payments have ids"));
            List<String> a = List.of(features.apply("A").split(" · "));
            List<String> b = List.of(features.apply("B").split(" · "));
            assertEquals(a.size(), b.size(), a + " | " + b);
            for (int i = 1; i < a.size(); i++) {
                boolean agree = a.get(i).equals(b.get(i)) || a.get(i).contains("not known yet") || b.get(i).contains("not known yet")
                        || a.get(i).startsWith("proof over the whole block") && b.get(i).startsWith("proof over the whole block");
                assertTrue(agree, "A says " + a.get(i) + ", B says " + b.get(i));
            }
        } finally {
            browser.get(page + "/");
        }
    }

    /**
     * Issue 19, on two real B16 villagers: a payment 小美 signed, mined by A, is marked verified by the
     * explorer's own check, and her address in the block asks A her balance, which the row shows.
     */
    @Test
    @Order(14)
    @SuppressWarnings("try") // the explorer is closed at the end; the page is reached by its address
    void onB16VillagersASignedPaymentIsVerifiedAndAnAddressShowsItsBalance() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try (AutoCloseable village = BitVillage.launch(new String[] {"explorer", "--stage", "B16", "--port", "0"},
                new World(new PrintStream(printed, true, StandardCharsets.UTF_8), World::pythonTime, World::uuid4Hex))) {
            String text = printed.toString(StandardCharsets.UTF_8);
            Matcher where = PAGE.matcher(text);
            Matcher villager = VILLAGER.matcher(text);
            assertTrue(where.find() && villager.find(), text);
            byte[] xiaomei = bitvillage.keys.Keys.fromSeed("小美");
            String xiaomeisAddress = bitvillage.keys.Keys.address(xiaomei);
            Map<String, Object> payment = SignedPayment.signed(xiaomei,
                    SignedPayment.unsigned(xiaomeisAddress, bitvillage.keys.Keys.address(bitvillage.keys.Keys.fromSeed("大華")), 699, 1, 1));
            HttpResponse<String> paid = Http.postJson(villager.group(2) + "/transactions/new", PyJson.dumps(payment));
            assertEquals(201, paid.statusCode(), paid.body());

            browser.get(where.group(1) + "/");
            waitUpTo(10).until(driver -> hashes("A").size() == 1);
            assertTrue(row("A").findElement(By.cssSelector("form.balance")).isDisplayed(), "a node of signed payments gets a balance field");
            row("A").findElement(By.cssSelector("button.mine")).click();
            waitUpTo(60).until(driver -> hashes("A").size() == 2);
            row("A").findElements(By.cssSelector(".strip .card")).get(1).click();
            waitUpTo(10).withMessage(() -> browser.findElement(By.id("block-body")).getText())
                    .until(driver -> signatureMarks().equals(List.of("", "verified")));
            String block = browser.findElement(By.id("block-body")).getText();
            assertTrue(block.contains("✓ verified") && block.contains("new coins: no one signs them"), block);

            browser.findElement(By.cssSelector("#block-body button.address[title='" + xiaomeisAddress + "']")).click();
            WebElement balance = row("A").findElement(By.cssSelector(".balance-answer"));
            waitUpTo(10).withMessage(balance::getText).until(driver -> balance.getText().contains("holds 300 confirmed, 300 after its pending payments;"
                    + " its next payment's sequence is 2"));
            assertTrue(answerOf("A").startsWith("GET /balance/" + xiaomeisAddress + "\nHTTP 200"), answerOf("A"));
        } finally {
            browser.get(page + "/");
        }
    }

    /**
     * Issue 19: no node adopts a block with a forged signature, so a stub villager serves one. The
     * explorer checks each payment itself: 小美's own is verified; one 大華 signed in her name, one
     * changed after signing, one that claims "verified" of itself, one with markup for an address and
     * one with no signature are not, and the markup is drawn as text.
     */
    @Test
    @Order(15)
    void aStubVillagersForgedSignaturesAreMarkedNotVerified() throws Exception {
        byte[] xiaomei = bitvillage.keys.Keys.fromSeed("小美");
        byte[] dahua = bitvillage.keys.Keys.fromSeed("大華");
        Map<String, Object> unsigned = SignedPayment.unsigned(bitvillage.keys.Keys.address(xiaomei), bitvillage.keys.Keys.address(dahua), 699, 1, 1);
        Map<String, Object> honest = SignedPayment.withId(SignedPayment.signed(xiaomei, unsigned));
        Map<String, Object> inHerName = SignedPayment.withId(SignedPayment.signed(dahua, unsigned));
        Map<String, Object> changed = new LinkedHashMap<>(honest);
        changed.put("amount", 700L);
        changed.put("id", SignedPayment.id(changed));
        Map<String, Object> claimsVerified = new LinkedHashMap<>(inHerName);
        claimsVerified.put("verified", true);
        Map<String, Object> markup = new LinkedHashMap<>(honest);
        markup.put("sender", "<img src=x onerror=\"document.title='owned'\">");
        Map<String, Object> unsignedPayment = SignedPayment.withId(unsigned);
        Map<String, Object> block = new LinkedHashMap<>();
        block.put("index", 1L);
        block.put("timestamp", 1546678801.6103268);
        block.put("transactions", List.of(SignedPayment.reward(bitvillage.keys.Keys.address(dahua), 1, 1), honest, inHerName, changed, claimsVerified, markup,
                unsignedPayment));
        block.put("nonce", 100L);
        block.put("previous_hash", 1L);
        byte[] chain = PyJson.dumps(Map.of("chain", List.of(block), "length", 1L)).getBytes(StandardCharsets.UTF_8);
        List<AutoCloseable> closing = new ArrayList<>();
        String stub = Http.stub("/", exchange -> {
            boolean isChain = exchange.getRequestURI().getPath().equals("/chain");
            byte[] body = isChain ? chain : "{\"error\": \"Not Found\"}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(isChain ? 200 : 404, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        }, closing);
        try (AutoCloseable second = BitVillage.launch(new String[] {"explorer", "--port", "0", "--node", stub},
                new World(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), World::pythonTime, World::uuid4Hex))) {
            browser.manage().logs().get(LogType.BROWSER); // what earlier tests logged is theirs
            browser.get(((WebApp) second).url() + "/");
            waitUpTo(10).until(driver -> hashes("A").size() == 1);
            assertTrue(row("A").findElement(By.cssSelector(".features")).getText().contains("payments signed by their senders"));
            row("A").findElement(By.cssSelector(".strip .card")).click();
            waitUpTo(10).withMessage(() -> signatureMarks().toString()).until(driver -> !signatureMarks().contains("checking"));
            assertEquals(List.of("", "verified", "not verified", "not verified", "not a signed payment", "not a signed payment",
                    "not a signed payment"), signatureMarks());
            String text = browser.findElement(By.id("block-body")).getText();
            assertTrue(text.contains("✗ not verified: signature does not verify for the sender")
                    && text.contains("<img src=x") && text.contains("it has no signature"), text);
            assertTrue(browser.findElements(By.cssSelector("#block-body img")).isEmpty(), "markup is drawn as text, never run");
            assertEquals("Bit Village explorer", browser.getTitle());
            for (LogEntry entry : browser.manage().logs().get(LogType.BROWSER)) {
                assertTrue(entry.getLevel().intValue() < java.util.logging.Level.SEVERE.intValue(), entry.getMessage());
            }
        } finally {
            for (AutoCloseable stop : closing) stop.close();
            browser.get(page + "/");
        }
    }

    /**
     * B17, on two real villagers: 小美 pays 大華 699 with a fee of 1 from her genesis coin of 1000, and
     * A mines it. The block draws the payment as 1 coin in (her 1000) and 2 out (699 to 大華, 300 of
     * change back to her), the fee 1, every input verified by the explorer; her address lists her coins.
     */
    @Test
    @Order(16)
    @SuppressWarnings("try") // the explorer is closed at the end; the page is reached by its address
    void onB17VillagersAPaymentWithChangeIsOneCoinInTwoOutAndItsFee() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try (AutoCloseable village = BitVillage.launch(new String[] {"explorer", "--stage", "B17", "--port", "0"},
                new World(new PrintStream(printed, true, StandardCharsets.UTF_8), World::pythonTime, World::uuid4Hex))) {
            String text = printed.toString(StandardCharsets.UTF_8);
            Matcher where = PAGE.matcher(text);
            Matcher villager = VILLAGER.matcher(text);
            assertTrue(where.find() && villager.find(), text);
            byte[] xiaomei = bitvillage.keys.Keys.fromSeed("小美");
            String xiaomeisAddress = bitvillage.keys.Keys.address(xiaomei);
            String genesisId = CoinTransaction.id(CoinTransaction.genesis());
            Map<String, Object> payment = CoinSelection.pay(xiaomei, Map.of(new UnspentCoins.Outpoint(genesisId, 0), 1000L),
                    bitvillage.keys.Keys.address(bitvillage.keys.Keys.fromSeed("大華")), 699, 1);
            HttpResponse<String> paid = Http.postJson(villager.group(2) + "/transactions/new", PyJson.dumps(payment));
            assertEquals(201, paid.statusCode(), paid.body());

            browser.get(where.group(1) + "/");
            waitUpTo(10).until(driver -> hashes("A").size() == 1);
            row("A").findElement(By.cssSelector("button.mine")).click();
            waitUpTo(60).until(driver -> hashes("A").size() == 2);
            row("A").findElements(By.cssSelector(".strip .card")).get(1).click();
            waitUpTo(10).withMessage(() -> browser.findElement(By.id("block-body")).getText())
                    .until(driver -> signatureMarks().equals(List.of("new coins", "verified")));
            List<WebElement> rows = browser.findElements(By.cssSelector("#block-body tr.coins"));
            WebElement paying = rows.get(1);
            assertEquals(1, paying.findElements(By.cssSelector("li.coin-in")).size(), paying.getText());
            assertEquals(2, paying.findElements(By.cssSelector("li.coin-out")).size(), paying.getText());
            assertEquals("1", paying.findElement(By.cssSelector("td.fee")).getText());
            String coinIn = paying.findElement(By.cssSelector("li.coin-in")).getText();
            assertTrue(coinIn.startsWith(genesisId.substring(0, 8) + "…:0 1000 of "), coinIn);
            assertEquals(List.of("699", "300"), paying.findElements(By.cssSelector("li.coin-out")).stream()
                    .map(out -> out.getText().substring(out.getText().lastIndexOf(' ') + 1)).toList());
            assertEquals("none: new coins", rows.get(0).findElement(By.cssSelector("td.fee")).getText(), "the reward: 1 + the fee");

            assertEquals("Coins", row("A").findElement(By.cssSelector("button.balance-button")).getText());
            paying.findElement(By.cssSelector("li.coin-in button.address[title='" + xiaomeisAddress + "']")).click();
            WebElement coins = row("A").findElement(By.cssSelector(".balance-answer"));
            waitUpTo(10).withMessage(coins::getText).until(driver -> coins.getText().contains("holds 300 in 1 coin:"));
            assertTrue(coins.getText().contains(":0 300, 1 confirmations, spendable")
                    || coins.getText().contains(":1 300, 1 confirmations, spendable"), coins.getText());
            assertTrue(answerOf("A").startsWith("GET /coins/" + xiaomeisAddress + "\nHTTP 200"), answerOf("A"));
        } finally {
            browser.get(page + "/");
        }
    }

    /**
     * B17, on a stub villager (no node adopts a forged block): whatever a block holds is drawn. A
     * payment changed after signing and one that claims its owner under a forged coin are not verified,
     * one spending a coin no block holds has no known owner nor fee, and junk shapes and markup are
     * drawn as "not a coin transaction", as text.
     */
    @Test
    @Order(17)
    void aStubVillagersCoinsOfEveryShapeAreDrawnAndJudged() throws Exception {
        byte[] xiaomei = bitvillage.keys.Keys.fromSeed("小美");
        String dahua = bitvillage.keys.Keys.address(bitvillage.keys.Keys.fromSeed("大華"));
        Map<String, Object> genesis = CoinTransaction.withId(CoinTransaction.genesis());
        String genesisId = (String) genesis.get("id");
        Map<String, Object> honest = CoinTransaction.withId(CoinSelection.pay(xiaomei,
                Map.of(new UnspentCoins.Outpoint(genesisId, 0), 1000L), dahua, 699, 1));
        Map<String, Object> changed = new LinkedHashMap<>(honest);
        changed.put("outputs", List.of(CoinTransaction.output(dahua, 999)));
        changed.put("id", CoinTransaction.id(changed));
        Map<String, Object> unknownCoin = CoinTransaction.withId(CoinSelection.pay(xiaomei,
                Map.of(new UnspentCoins.Outpoint("ab".repeat(32), 0), 5L), dahua, 4, 1));
        Map<String, Object> markup = new LinkedHashMap<>(honest);
        markup.put("outputs", List.of(Map.of("address", "<img src=x onerror=\"document.title='owned'\">", "amount", 1L)));
        Map<String, Object> stringInputs = new LinkedHashMap<>(honest);
        stringInputs.put("inputs", "all of them");
        Map<String, Object> block = new LinkedHashMap<>();
        block.put("index", 1L);
        block.put("timestamp", 1546678801.6103268);
        block.put("transactions", java.util.Arrays.asList(genesis, honest, changed, unknownCoin, markup, stringInputs, null, List.of()));
        block.put("nonce", 100L);
        block.put("previous_hash", 1L);
        byte[] chain = PyJson.dumps(Map.of("chain", List.of(block), "length", 1L)).getBytes(StandardCharsets.UTF_8);
        List<AutoCloseable> closing = new ArrayList<>();
        String stub = Http.stub("/", exchange -> {
            boolean isChain = exchange.getRequestURI().getPath().equals("/chain");
            byte[] body = isChain ? chain : "{\"error\": \"Not Found\"}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(isChain ? 200 : 404, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        }, closing);
        try (AutoCloseable second = BitVillage.launch(new String[] {"explorer", "--port", "0", "--node", stub},
                new World(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), World::pythonTime, World::uuid4Hex))) {
            browser.manage().logs().get(LogType.BROWSER); // what earlier tests logged is theirs
            browser.get(((WebApp) second).url() + "/");
            waitUpTo(10).withMessage(() -> row("A").getText()).until(driver -> hashes("A").size() == 1);
            row("A").findElement(By.cssSelector(".strip .card")).click();
            waitUpTo(10).withMessage(() -> signatureMarks().toString()).until(driver -> !signatureMarks().contains("checking"));
            assertEquals(List.of("new coins", "verified", "not verified", "owner not found", "not a coin transaction",
                    "not a coin transaction", "not a coin transaction", "not a coin transaction"), signatureMarks());
            List<WebElement> fees = browser.findElements(By.cssSelector("#block-body td.fee"));
            assertEquals(List.of("none: new coins", "1", "1", "not known: a coin it spends is in no block drawn here"),
                    fees.subList(0, 4).stream().map(WebElement::getText).toList());
            String text = browser.findElement(By.id("block-body")).getText();
            assertTrue(text.contains("✗ not verified: input 0: signature does not verify for the owner of the coin it spends")
                    && text.contains("(not in this chain)") && text.contains("<img src=x"), text);
            assertTrue(browser.findElements(By.cssSelector("#block-body img")).isEmpty(), "markup is drawn as text, never run");
            assertEquals("Bit Village explorer", browser.getTitle());
            for (LogEntry entry : browser.manage().logs().get(LogType.BROWSER)) {
                assertTrue(entry.getLevel().intValue() < java.util.logging.Level.SEVERE.intValue(), entry.getMessage());
            }
        } finally {
            for (AutoCloseable stop : closing) stop.close();
            browser.get(page + "/");
        }
    }

    /** The verdict of each transaction of the block picked ("" for new coins, "checking" until the explorer answers). */
    private static List<String> signatureMarks() {
        return browser.findElements(By.cssSelector("#block-body .signature")).stream()
                .map(mark -> mark.getText().equals("checking…") ? "checking" : mark.getAttribute("data-verdict") == null ? "" : mark.getAttribute("data-verdict"))
                .toList();
    }

    private static boolean inRow(WebElement element, String name) {
        return element.findElements(By.xpath("ancestor::article[@aria-label='Villager " + name + "']")).size() == 1;
    }

    /** Presses Tab until the focused element is the one wanted; fails after 200 presses. */
    private static void tabTo(Predicate<WebElement> wanted) {
        for (int i = 0; i < 200; i++) {
            new Actions(browser).sendKeys(Keys.TAB).perform();
            WebElement active = browser.switchTo().activeElement();
            if (wanted.test(active)) return;
        }
        fail("Tab never reached the element wanted");
    }

    /** Types into a textarea as a reader would: the page hears its input event. */
    private static void setText(WebElement editor, String text) {
        ((JavascriptExecutor) browser).executeScript(
                "arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input'));", editor, text);
    }

    private static HttpResponse<String> get(String path, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(page + path)).timeout(Duration.ofSeconds(30));
        headers.forEach(request::header);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    /** The whole page from its top, in a window tall enough for both rows and the copy. */
    private static void screenshot(Path file) throws Exception {
        org.openqa.selenium.Dimension size = browser.manage().window().getSize();
        browser.manage().window().setSize(new org.openqa.selenium.Dimension(1400, 1900));
        ((JavascriptExecutor) browser).executeScript("document.activeElement.blur(); window.scrollTo(0, 0);");
        byte[] png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES);
        browser.manage().window().setSize(size);
        Files.createDirectories(file.getParent());
        Files.write(file, png);
    }

    /**
     * A node that answers as B12-B15 do (issues 9 and 11): payments with ids and fees,
     * GET /transactions/pending with projected blocks (B15), GET /transactions/ID with confirmations, and a
     * chain whose every block was mined over the whole block, at 3 zeros.
     */
    static final class LaterStageDouble {
        static final String PAYMENT_ID = "5f1c0ffee0000000000000000000beef";

        static WebApp start() {
            List<Object> chain = new ArrayList<>();
            chain.add(block(1, List.of(), "1", 100));
            chain.add(mined(2, List.of(transaction("小美", "大華", 699, 3, PAYMENT_ID), transaction("0", "miner", 4, 0, "a".repeat(32))), chain));
            chain.add(mined(3, List.of(transaction("0", "miner", 1, 0, "b".repeat(32))), chain));
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("chain", chain);
            answer.put("length", 3L);
            List<Object> pending = List.of(
                    pendingEntry("c".repeat(32), 50, 120, 4), pendingEntry("d".repeat(32), 5, 400, 4), pendingEntry("e".repeat(32), 1, 300, 5));
            Map<String, Object> confirmed = new LinkedHashMap<>();
            confirmed.put("id", PAYMENT_ID);
            confirmed.put("status", "confirmed");
            confirmed.put("block", 2L);
            confirmed.put("confirmations", 2L);
            confirmed.put("transaction", ((List<?>) ((Map<?, ?>) chain.get(1)).get("transactions")).get(0));
            WebApp app = new WebApp("127.0.0.1", 0, new World(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                    World::pythonTime, World::uuid4Hex));
            return app.get("/chain", request -> WebApp.Reply.json(200, answer))
                    .get("/transactions/pending", request -> WebApp.Reply.json(200, Map.of("pending", pending)))
                    .get("/transactions/" + PAYMENT_ID, request -> WebApp.Reply.json(200, confirmed))
                    .get("/transactions/" + "c".repeat(32), request -> WebApp.Reply.json(200,
                            Map.of("id", "c".repeat(32), "status", "pending", "projected_block", 4L, "transaction", pending.get(0))))
                    .start();
        }

        private static Map<String, Object> transaction(String sender, String recipient, long amount, long fee, String id) {
            return FeeRate.transaction(id, sender, recipient, amount, fee);
        }

        private static Map<String, Object> pendingEntry(String id, long fee, long bytes, long projected) {
            Map<String, Object> entry = transaction("小美", "大華", 1, fee, id);
            entry.put("bytes", bytes);
            entry.put("fee_rate", (double) fee / bytes);
            entry.put("projected_block", projected);
            return entry;
        }

        private static Map<String, Object> block(long index, List<Object> transactions, Object previousHash, long nonce) {
            Map<String, Object> block = new LinkedHashMap<>();
            block.put("index", index);
            block.put("timestamp", 1795770021.25 + index);
            block.put("transactions", transactions);
            block.put("nonce", nonce);
            block.put("previous_hash", previousHash);
            return block;
        }

        /** The block after the chain's last, with a nonce that gives its whole JSON a hash with 3 leading zeros. */
        private static Map<String, Object> mined(long index, List<Object> transactions, List<Object> chain) {
            String previous = Sha256.hex(PyJson.dumps(chain.get(chain.size() - 1)));
            for (long nonce = 0; ; nonce++) {
                Map<String, Object> block = block(index, transactions, previous, nonce);
                if (Sha256.hex(PyJson.dumps(block)).startsWith("000")) return block;
            }
        }
    }
}
