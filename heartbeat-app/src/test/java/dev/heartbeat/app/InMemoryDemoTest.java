package dev.heartbeat.app;

import dev.heartbeat.app.options.ExitCodes;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InMemoryDemoTest {

    record Run(int exitCode, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void theDemoPrintsALiveSummaryAndAccountsForEveryReading() {
        Run run = run("demo", "--in-memory", "--customers", "40", "--duration", "3s", "--status-every", "500ms");

        assertEquals(0, run.exitCode(), run.err());
        long statusLines = run.out().lines().filter(l -> l.contains("readings/s")).count();
        assertTrue(statusLines >= 4, run.out());
        assertTrue(run.out().contains("critical_low") && run.out().contains("critical_high"), run.out());
        Matcher totals = Pattern.compile("published (\\d+), stored (\\d+), rejected (\\d+), duplicates (\\d+) "
                + "\\(stored \\+ rejected \\+ duplicates = (\\d+)\\)").matcher(run.out());
        assertTrue(totals.find(), run.out());
        long published = Long.parseLong(totals.group(1));
        assertTrue(published >= 80, "40 customers for 3 s publish at least 80 readings: " + published);
        assertEquals(published, Long.parseLong(totals.group(5)), "every published reading is accounted for");
        assertEquals(published, Long.parseLong(totals.group(2)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"--bogus", "demo --rate -5", "demo --customers 0", "demo --duration soon",
            "demo --kafka-partitions 0", "demo --seed x", "bench --repeats 0", "bench --readings 1000000 --customers 10", "bench --steady-rate 2000000",
            "demo --ingest-threads 0", "consume --ingest-threads 33", "run --ingest-threads -1",
            "consume --ingest-threads 7 --db-pool-size 8", "bench --ingest-threads 0"})
    void badFlagsExitWithTwoAndOneActionableLine(String commandLine) {
        Run run = run(commandLine.split(" "));
        assertEquals(ExitCodes.BAD_USAGE, run.exitCode());
        assertEquals(1, run.err().lines().count(), run.err());
        assertTrue(run.err().startsWith("heartbeat: "), run.err());
    }

    @ParameterizedTest
    @ValueSource(strings = {"consume --ingest-threads 33|--ingest-threads must be 1-32, got 33",
            "run --ingest-threads 0|--ingest-threads must be 1-32, got 0",
            "consume --ingest-threads 5 --db-pool-size 10|--db-pool-size 10 is too small for --ingest-threads 5: make it at least 12",
            "demo --ingest-threads 4 --db-pool-size 9|--db-pool-size 9 is too small for --ingest-threads 4: make it at least 10",
            "run --status-every 0s|--status-every must be positive, got PT0S",
            "consume --status-every 0ms|--status-every must be positive, got PT0S",
            "produce --status-every 5 s|'5' is not a duration (never negative); write e.g. 500ms, 30s, 5m, 2h or 7d",
            "demo --in-memory --status-every 0s|--status-every must be positive, got PT0S"})
    void optionsAreCheckedBeforeAnyServerIsContacted(String caseLine) {
        String[] parts = caseLine.split("\\|");
        Run run = run(parts[0].split(" "));
        assertEquals(ExitCodes.BAD_USAGE, run.exitCode());
        assertTrue(run.err().contains(parts[1]), run.err());
    }

    @Test
    void everyCommandHasHelp() {
        Run top = run("--help");
        assertEquals(0, top.exitCode());
        assertTrue(top.out().contains("demo"), top.out());
        Run demo = run("demo", "--help");
        assertEquals(0, demo.exitCode());
        assertTrue(demo.out().contains("--customers"), demo.out());
    }

    @Test
    void onlyTopLevelOptionsStillRunTheDemo() {
        Run run = run("--log-format", "JSON", "--in-memory", "--customers", "5", "--duration", "1s");
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().startsWith("Heartbeat demo (in-memory)"), run.out());
    }
}
