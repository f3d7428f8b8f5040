package dev.heartbeat.web;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The page is served by the app itself: every file it loads (its own and uPlot's from the webjar)
 * answers 200 with the right type, nothing comes from another origin, and no script builds HTML
 * from strings.
 */
class StaticPageTest {

    private static DashboardFixture fixture;

    @BeforeAll
    static void start() throws InterruptedException {
        fixture = DashboardFixture.empty(DashboardSettings.defaults());
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    @Test
    void theIndexLoadsUPlotFromTheWebjarAndTheAppAsAModule() {
        ApiClient.Answer index = fixture.api.get("/");
        assertEquals(200, index.status());
        assertTrue(index.header("Content-Type").orElseThrow().startsWith("text/html"));
        assertTrue(index.body().contains("<script src=\"/webjars/uplot/1.6.30/dist/uPlot.iife.min.js\" defer></script>"));
        assertTrue(index.body().contains("<link rel=\"stylesheet\" href=\"/webjars/uplot/1.6.30/dist/uPlot.min.css\">"));
        assertTrue(index.body().contains("<script type=\"module\" src=\"js/app.js\"></script>"));
    }

    @Test
    void everyFileThePageReferencesIsServed() throws IOException {
        List<String> paths = new ArrayList<>(List.of("/webjars/uplot/1.6.30/dist/uPlot.iife.min.js",
                "/webjars/uplot/1.6.30/dist/uPlot.min.css", "/app.css", "/favicon.svg", "/js/app.js"));
        // every module imported by another one
        Pattern imports = Pattern.compile("from '\\./([a-z]+\\.js)'");
        for (Path file : pageFiles()) {
            if (file.toString().endsWith(".js")) {
                Matcher m = imports.matcher(Files.readString(file));
                while (m.find()) {
                    paths.add("/js/" + m.group(1));
                }
            }
        }
        for (String path : paths.stream().distinct().toList()) {
            ApiClient.Answer answer = fixture.api.get(path);
            assertEquals(200, answer.status(), path);
            String type = answer.header("Content-Type").orElseThrow();
            if (path.endsWith(".js")) {
                assertTrue(type.contains("javascript"), path + " is " + type);
            } else if (path.endsWith(".css")) {
                assertTrue(type.startsWith("text/css"), path + " is " + type);
            } else if (path.endsWith(".svg")) {
                assertTrue(type.startsWith("image/svg+xml"), path + " is " + type);
            }
            assertFalse(answer.body().isEmpty(), path);
        }
        assertTrue(paths.size() >= 12, "found the modules: " + paths);
    }

    @Test
    void nothingIsLoadedFromAnotherOrigin() throws IOException {
        Pattern external = Pattern.compile("(?i)(src|href)\\s*=\\s*[\"']?(https?:)?//|url\\(\\s*[\"']?(https?:)?//"
                + "|from\\s+[\"']https?:|import\\(\\s*[\"']https?:|fetch\\(\\s*[\"']https?:|new EventSource\\(\\s*[\"']https?:");
        for (Path file : pageFiles()) {
            String text = Files.readString(file);
            Matcher m = external.matcher(text);
            assertFalse(m.find(), file + " loads from elsewhere: " + (m.hitEnd() ? "" : text.substring(m.start(), Math.min(text.length(), m.start() + 60))));
        }
    }

    @Test
    void noScriptTurnsDataIntoMarkup() throws IOException {
        for (Path file : pageFiles()) {
            if (!file.toString().endsWith(".js")) {
                continue;
            }
            String code = Files.readString(file);
            for (String sink : List.of("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(",
                    "new Function", "DOMParser", "createContextualFragment")) {
                assertFalse(code.contains(sink), file.getFileName() + " uses " + sink);
            }
        }
    }

    @Test
    void thePageHasTheAlertsSectionFirstTheAckDialogAndTheHistory() throws IOException {
        String index = fixture.api.get("/").body();
        assertTrue(index.contains("<dialog id=\"ack-dialog\""), "the acknowledge dialog");
        assertFalse(index.contains("id=\"ack-by\""), "no name to type: the author is who is signed in");
        assertTrue(index.contains("<dialog id=\"sign-in-dialog\"") && index.contains("autocomplete=\"current-password\""),
                "the sign-in dialog");

        String overview = fixture.api.get("/js/overview.js").body();
        assertTrue(overview.contains("el('section', { id: 'alerts'"), "the #alerts section");
        assertTrue(overview.contains("hidden: true"), "hidden until the API says alerts are on");
        assertTrue(overview.contains("app.meta.alerts ? mountActiveAlerts(alerts"), "shown only with an alert store");
        int alertsAt = overview.indexOf("fill(root,\n    alerts,");
        assertTrue(alertsAt > 0 && alertsAt < overview.indexOf("el('section', { class: 'panel headline' }"),
                "the active alerts come first, above the headline and the tiles");

        String alerts = fixture.api.get("/js/alerts.js").body();
        assertEquals(200, fixture.api.get("/js/alerts.js").status());
        assertTrue(alerts.contains("get('alerts/active'"), "the active alerts are polled");
        assertTrue(alerts.contains("post(alertPath(alert.id) + '/ack', note.value.trim() ? { note: note.value.trim() } : {})"),
                "the acknowledgement, with its note and no author in it");
        assertTrue(alerts.contains("await post('silences', {") && !alerts.contains("createdBy:"),
                "the snooze makes a silence, with no author in it");
        assertTrue(alerts.contains("text: alert.customer"), "customer ids as text, never markup");
        String api = fixture.api.get("/js/api.js").body();
        assertTrue(api.contains("'Content-Type': 'application/json'"), "the ack is sent as JSON, as the API requires");

        String customer = fixture.api.get("/js/customer.js").body();
        assertTrue(customer.contains("id: 'customer-alerts'"), "the customer's alert history");
        assertTrue(alerts.contains("id: 'alert-history'"));
    }

    @Test
    void theUPlotWebjarIsTheVersionThePageNames() throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/META-INF/resources/webjars/uplot/1.6.30/dist/uPlot.iife.min.js")) {
            assertTrue(in != null, "uPlot 1.6.30 is on the classpath");
            String head = new String(in.readNBytes(200), StandardCharsets.UTF_8);
            assertTrue(head.contains("v1.6.30"), head);
        }
    }

    /** The page's files as they are on the classpath (the module's resources). */
    static List<Path> pageFiles() throws IOException {
        URL root = StaticPageTest.class.getResource(DashboardServer.PAGE_DIRECTORY);
        assertTrue(root != null, "the page is on the classpath");
        try (Stream<Path> files = Files.walk(Path.of(root.toURI()))) {
            return files.filter(Files::isRegularFile).toList();
        } catch (URISyntaxException e) {
            throw new IOException(e);
        }
    }
}
