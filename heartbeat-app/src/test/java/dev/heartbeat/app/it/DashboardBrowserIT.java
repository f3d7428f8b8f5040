package dev.heartbeat.app.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dashboard in a real headless Chromium (Debian's, driven through its chromedriver), over the app
 * running on a real Kafka broker and PostgreSQL server with the simulator publishing: live tiles
 * arrive, they show what PostgreSQL holds, a customer's chart has points and the band thresholds, and
 * the page logs no error. Screenshots go to {@code target/screenshots/}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardBrowserIT {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final int CUSTOMERS = 24;
    static final Path SCREENSHOTS = Path.of("target", "screenshots");
    static final String PASSWORD = "a nurse's long password";

    @RegisterExtension
    static final TestServers servers = new TestServers();
    static Path logs;
    static ChildProcess app;
    static ChildProcess producer;
    static int webPort;
    static WebDriver browser;

    @BeforeAll
    static void start() throws Exception {
        assertTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "the browser test needs Debian's chromium and chromium-driver (.ci/run installs them)");
        logs = Files.createTempDirectory("heartbeat-browser-it");
        webPort = TestServers.freePort();
        // a person to sign in as, added as an operator would (the password from a file, never a flag)
        Path password = Files.writeString(logs.resolve("nurse-password"), PASSWORD + "\n");
        java.io.StringWriter added = new java.io.StringWriter();
        assertEquals(0, dev.heartbeat.app.Main.run(new String[]{"users", "add", "nurse", "--role", "responder",
                        "--password-file", password.toString(), "--jdbc-url", servers.jdbcUrl(), "--db-user", "postgres"},
                java.util.Map.of(), new java.io.PrintWriter(added, true), new java.io.PrintWriter(added, true)), added.toString());
        assertEquals(0, dev.heartbeat.app.Main.run(new String[]{"users", "add", "chief", "--role", "admin",
                        "--password-file", password.toString(), "--jdbc-url", servers.jdbcUrl(), "--db-user", "postgres"},
                java.util.Map.of(), new java.io.PrintWriter(added, true), new java.io.PrintWriter(added, true)), added.toString());
        app = ChildProcess.start(logs.resolve("run.log"), List.of("-Xmx256m"), "run",
                "--kafka-bootstrap", servers.bootstrap(), "--kafka-replication-factor", "1",
                "--jdbc-url", servers.jdbcUrl(), "--db-user", "postgres", "--web-port", Integer.toString(webPort));
        app.awaitLine(line -> line.startsWith("Consuming "), Duration.ofSeconds(60));
        // many anomalies so that the short run shows non-normal bands; the producer stops by itself
        producer = ChildProcess.start(logs.resolve("produce.log"), List.of("-Xmx128m"), "produce",
                "--kafka-bootstrap", servers.bootstrap(), "--kafka-replication-factor", "1",
                "--customers", Integer.toString(CUSTOMERS), "--anomalies-per-hour", "120", "--duration", "25s");
        browser = chromium();
    }

    static WebDriver chromium() throws Exception {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                "--user-data-dir=" + Files.createTempDirectory("heartbeat-chromium"));
        LoggingPreferences logging = new LoggingPreferences();
        logging.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logging);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER.toString()))
                .usingAnyFreePort()
                .build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().window().setSize(new Dimension(1400, 1000));
        return driver;
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (producer != null) {
            producer.close();
        }
        if (app != null) {
            app.close();
        }
    }

    String dashboard() {
        return "http://127.0.0.1:" + webPort + "/";
    }

    WebDriverWait waitUpTo(Duration timeout) {
        WebDriverWait wait = new WebDriverWait(browser, timeout);
        wait.pollingEvery(Duration.ofMillis(200));
        wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class); // the page reloads after signing out
        return wait;
    }

    /** customer id -> "heart_rate level", from the tiles on the page. */
    Map<String, String> tiles() {
        Map<String, String> shown = new HashMap<>();
        for (WebElement tile : browser.findElements(By.cssSelector("#view .tile"))) {
            shown.put(tile.getAttribute("data-customer"),
                    tile.findElement(By.cssSelector(".bpm")).getText() + " " + tile.getAttribute("data-level"));
        }
        return shown;
    }

    /** customer id -> "heart_rate level", the latest reading of each customer in PostgreSQL. */
    static Map<String, String> latestInDatabase() throws Exception {
        Map<String, String> stored = new HashMap<>();
        try (Connection c = servers.connect(); Statement s = c.createStatement();
             ResultSet rows = s.executeQuery("SELECT customer_id, heart_rate, anomaly_level FROM recent_heartbeats")) {
            while (rows.next()) {
                stored.put(rows.getString(1), rows.getInt(2) + " " + rows.getString(3));
            }
        }
        return stored;
    }

    void signIn() {
        signIn("nurse", "responder");
    }

    /** Signs in through the page's dialog, as a person does, and waits for the top bar to name them. */
    void signIn(String user, String role) {
        waitUpTo(Duration.ofSeconds(20)).withMessage("no sign-in dialog")
                .until(d -> d.findElement(By.id("sign-in-dialog")).getAttribute("open") != null);
        assertTrue(browser.findElements(By.cssSelector("#view .tile")).isEmpty(), "nothing is shown before signing in");
        browser.findElement(By.id("sign-in-user")).sendKeys(user);
        browser.findElement(By.id("sign-in-password")).sendKeys(PASSWORD);
        browser.findElement(By.cssSelector("#sign-in-form button[type='submit']")).click();
        waitUpTo(Duration.ofSeconds(20)).withMessage("the top bar never named who signed in")
                .until(d -> d.findElement(By.id("who-name")).getText().equals(user + " (" + role + ")"));
        assertTrue(browser.manage().getCookieNamed("heartbeat_session").isHttpOnly(), "the session cookie is HttpOnly");
    }

    void assertNoConsoleErrors() {
        List<LogEntry> errors = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
                .toList();
        assertTrue(errors.isEmpty(), "console errors: " + errors);
    }

    void screenshot(String name) throws Exception {
        Files.createDirectories(SCREENSHOTS);
        Path file = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(file, SCREENSHOTS.resolve(name), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    @Order(1)
    void tilesArriveLiveAndChangeWithoutAReload() throws Exception {
        browser.get(dashboard());
        signIn();
        waitUpTo(Duration.ofSeconds(45)).withMessage(() -> "no live tiles:\n" + app.output())
                .until(d -> d.findElements(By.cssSelector("#view .tile")).size() == CUSTOMERS);
        waitUpTo(Duration.ofSeconds(10)).withMessage("the live stream never connected")
                .until(d -> "live".equals(d.findElement(By.id("live-status")).getAttribute("data-state")));
        Map<String, String> first = tiles();
        waitUpTo(Duration.ofSeconds(10)).withMessage("no tile changed while readings kept coming")
                .until(d -> !tiles().equals(first));
        assertNoConsoleErrors();
    }

    @Test
    @Order(2)
    void tilesShowWhatPostgresHoldsOnceTheStreamIsDrained() throws Exception {
        assertEquals(0, producer.waitFor(Duration.ofSeconds(60)), "the producer stops after its --duration:\n" + producer.output());
        long drained = -1;
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            long now = servers.count("SELECT coalesce(sum(messages), 0) FROM stream_positions");
            if (now == drained) {
                break;
            }
            drained = now;
            Thread.sleep(2_000);
        }
        Map<String, String> stored = latestInDatabase();
        assertEquals(CUSTOMERS, stored.size(), "every simulated customer is stored");
        waitUpTo(Duration.ofSeconds(10)).withMessage(() -> "tiles " + tiles() + "\ndatabase " + stored)
                .until(d -> tiles().equals(stored));
        assertTrue(stored.values().stream().anyMatch(v -> !v.endsWith(" normal")),
                "the anomalies make at least one tile leave the normal band: " + stored);
        Set<String> firing = new HashSet<>();
        try (Connection c = servers.connect(); Statement s = c.createStatement();
             ResultSet rows = s.executeQuery("SELECT customer_id FROM alerts WHERE state = 'firing'")) {
            while (rows.next()) {
                firing.add(rows.getString(1));
            }
        }
        assertFalse(firing.isEmpty(), "120 episodes per customer-hour fire some alert within 25 s");
        waitUpTo(Duration.ofSeconds(15)).withMessage(() -> "the active alerts on the page are the firing ones in PostgreSQL " + firing)
                .until(d -> d.findElements(By.cssSelector("#alert-list .alert-item .alert-customer")).stream()
                        .map(WebElement::getText).collect(java.util.stream.Collectors.toSet()).equals(firing));
        screenshot("overview.png");
        assertNoConsoleErrors();
    }

    @Test
    @Order(3)
    void theCustomerViewChartsTheHistoryWithTheBandThresholds() throws Exception {
        Map<String, String> stored = latestInDatabase();
        String customer = stored.keySet().stream().sorted().findFirst().orElseThrow();
        browser.findElement(By.cssSelector("#view .tile[data-customer='" + customer + "']")).click();
        WebElement chart = waitUpTo(Duration.ofSeconds(15)).withMessage("the history chart never drew its thresholds")
                .until(d -> {
                    List<WebElement> charts = d.findElements(By.cssSelector("#history-chart[data-thresholds]"));
                    return charts.isEmpty() ? null : charts.getFirst();
                });
        assertEquals("40,60,100,160,200", chart.getAttribute("data-thresholds"));
        waitUpTo(Duration.ofSeconds(10)).until(d -> Integer.parseInt(chart.getAttribute("data-points")) > 0);
        assertFalse(chart.findElements(By.tagName("canvas")).isEmpty(), "uPlot drew on a canvas");
        String bpm = stored.get(customer).split(" ")[0];
        waitUpTo(Duration.ofSeconds(10)).withMessage("the header shows the stored latest reading " + bpm)
                .until(d -> d.findElement(By.id("current-bpm")).getText().equals(bpm));
        waitUpTo(Duration.ofSeconds(10)).withMessage("the latest readings table is filled")
                .until(d -> !d.findElements(By.cssSelector("#readings-table tbody tr")).isEmpty());
        screenshot("customer.png");
        assertNoConsoleErrors();
    }

    @Test
    @Order(4)
    void aCustomerIdWithMarkupIsShownAsText() throws Exception {
        String hostile = "<img src=x onerror=alert(1)>";
        browser.get(dashboard() + "#/customer/" + java.net.URLEncoder.encode(hostile, java.nio.charset.StandardCharsets.UTF_8));
        Thread.sleep(1_500);
        assertTrue(browser.findElements(By.cssSelector("#view img")).isEmpty(), "no element was created from the id");
        assertTrue(browser.findElement(By.id("view")).getText().contains(hostile) || browser.getPageSource().contains("&lt;img"),
                "the id is shown as text");
        browser.manage().logs().get(LogType.BROWSER); // a 404 for an unknown customer is expected here: drain it
    }

    @Test
    @Order(5)
    void anAdminSeesWhoReadWhatInTheAuditTrailAndAResponderDoesNot() throws Exception {
        browser.get(dashboard() + "#/overview");
        waitUpTo(Duration.ofSeconds(10)).until(d -> d.findElement(By.id("who-name")).getText().equals("nurse (responder)"));
        assertFalse(browser.findElement(By.id("audit-tab")).isDisplayed(), "a responder has no audit tab");
        WebElement page = browser.findElement(By.id("view"));
        browser.findElement(By.id("sign-out")).click();
        waitUpTo(Duration.ofSeconds(10)).until(org.openqa.selenium.support.ui.ExpectedConditions.stalenessOf(page));
        signIn("chief", "admin");
        WebElement tab = browser.findElement(By.id("audit-tab"));
        assertTrue(tab.isDisplayed(), "an admin has the audit tab");
        tab.click();
        browser.findElement(By.id("audit-actor")).sendKeys("nurse");
        browser.findElement(By.id("audit-apply")).click();
        waitUpTo(Duration.ofSeconds(15)).withMessage("the nurse's reads and sign-in are in the trail")
                .until(d -> {
                    List<String> actions = d.findElements(By.cssSelector("#audit-body tr td:nth-child(4)")).stream()
                            .map(WebElement::getText).toList();
                    return actions.contains("sign_in") && actions.contains("customer.history")
                            && d.findElements(By.cssSelector("#audit-body tr td:nth-child(2)")).stream()
                            .allMatch(cell -> cell.getText().equals("nurse"));
                });
        screenshot("audit.png");
        assertNoConsoleErrors();
    }

    @Test
    @Order(6)
    void aSnoozeAndAnAcknowledgementWithANoteFromTheInbox() throws Exception {
        String customer = latestInDatabase().keySet().stream().sorted().findFirst().orElseThrow();
        String id = customer + "/tachycardia/1700000000.000000";
        try (Connection c = servers.connect(); Statement s = c.createStatement()) {
            // a high alert, firing, as the consumer stores one (a snooze mutes high and low alerts, never critical ones)
            s.execute("""
                    INSERT INTO alerts (id, customer_id, rule, rule_pending_ms, rule_resolve_after_ms, severity, state,
                                        first_at, first_heart_rate, first_activity, last_at, last_heart_rate, last_activity,
                                        peak_at, peak_heart_rate, peak_activity, fired_at)
                    VALUES ('%s', '%s', 'tachycardia', 'high:60000,critical_high:10000', 30000, 'high', 'firing',
                            now() - interval '2 minutes', 170, 'normal', now(), 175, 'normal', now(), 175, 'normal',
                            now() - interval '1 minute')""".formatted(id, customer));
        }
        browser.get(dashboard() + "#/overview");
        By row = By.cssSelector("#alert-list li.alert-item[data-alert-id='" + id + "']");
        waitUpTo(Duration.ofSeconds(15)).withMessage("the high alert is in the inbox with its snooze buttons")
                .until(d -> !d.findElements(row).isEmpty()
                        && !d.findElement(row).findElements(By.cssSelector(".snooze-button[data-minutes='30']")).isEmpty());
        for (WebElement critical : browser.findElements(By.cssSelector("#alert-list li.alert-item[data-level^='critical']"))) {
            assertTrue(critical.findElements(By.cssSelector(".snooze-button")).isEmpty(), "no snooze for a critical alert");
        }
        browser.findElement(row).findElement(By.cssSelector(".snooze-button[data-minutes='30']")).click();
        waitUpTo(Duration.ofSeconds(15)).withMessage("the snoozed alert shows it is muted")
                .until(d -> !d.findElement(row).findElements(By.cssSelector(".muted-badge")).isEmpty());
        waitUpTo(Duration.ofSeconds(15)).withMessage("the customer's tile shows the muted badge")
                .until(d -> "true".equals(d.findElement(By.cssSelector("#view .tile[data-customer='" + customer + "']"))
                        .getAttribute("data-muted")));
        try (Connection c = servers.connect(); Statement s = c.createStatement();
             ResultSet rows = s.executeQuery("SELECT customer_id, rule, created_by, "
                     + "CAST(extract(epoch FROM ends_at - starts_at) AS integer), includes_critical FROM silences")) {
            assertTrue(rows.next(), "the snooze is stored as a silence");
            assertEquals(customer, rows.getString(1));
            assertEquals("tachycardia", rows.getString(2));
            assertEquals("chief", rows.getString(3), "made by who is signed in");
            assertEquals(1800, rows.getInt(4));
            assertFalse(rows.getBoolean(5), "a snooze never mutes critical alerts");
            assertFalse(rows.next());
        }
        browser.findElement(row).findElement(By.cssSelector(".ack-button")).click();
        waitUpTo(Duration.ofSeconds(10)).until(d -> d.findElement(By.id("ack-dialog")).getAttribute("open") != null);
        browser.findElement(By.id("ack-note")).sendKeys("called, sensor loose, refitted");
        browser.findElement(By.cssSelector("#ack-form button[type='submit']")).click();
        waitUpTo(Duration.ofSeconds(15)).withMessage("the row shows who acknowledged it, with the note")
                .until(d -> d.findElement(row).findElements(By.cssSelector(".acked-by")).stream().anyMatch(e -> e.getText().equals("chief"))
                        && d.findElement(row).findElement(By.cssSelector(".ack-note")).getText().contains("sensor loose"));
        try (Connection c = servers.connect(); Statement s = c.createStatement();
             ResultSet rows = s.executeQuery("SELECT acknowledged_by, acknowledged_note FROM alerts WHERE id = '" + id + "'")) {
            assertTrue(rows.next());
            assertEquals("chief", rows.getString(1));
            assertEquals("called, sensor loose, refitted", rows.getString(2));
        }
        screenshot("inbox-snoozed.png");
        By silenceRow = By.cssSelector("#silence-list li.silence-item");
        assertEquals(1, browser.findElements(silenceRow).size(), "the snooze is listed under the alerts");
        browser.findElement(silenceRow).findElement(By.cssSelector(".silence-end")).click();
        waitUpTo(Duration.ofSeconds(15)).withMessage("ended: the list is empty and the alert no longer muted")
                .until(d -> d.findElements(silenceRow).isEmpty() && d.findElement(row).findElements(By.cssSelector(".muted-badge")).isEmpty());
        assertEquals(1, servers.count("SELECT count(*) FROM silences WHERE ended_by = 'chief' AND ended_at IS NOT NULL"));
        assertNoConsoleErrors();
    }
}
