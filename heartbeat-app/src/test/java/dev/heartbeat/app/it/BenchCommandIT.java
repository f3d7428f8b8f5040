package dev.heartbeat.app.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code bench} on a small scale runs every phase through the built jar and reports every figure: the
 * measuring works (its speed is for the benchmark run by hand, not for a test on a shared machine).
 */
class BenchCommandIT {

    @Test
    void aSmallBenchRunsEveryPhaseAndReportsEveryFigure(@TempDir Path dir) throws Exception {
        try (ChildProcess bench = ChildProcess.start(dir.resolve("bench.log"), List.of("-Djava.io.tmpdir=" + dir),
                "bench", "--readings", "20000", "--customers", "200", "--steady-rate", "200", "--steady-duration", "3s", "--steady-warmup", "2s",
                "--repeats", "2")) {
            int exit = bench.waitFor(Duration.ofMinutes(4));
            String output = bench.output();
            assertEquals(0, exit, output);
            for (String run : List.of("run 1:", "run 2:")) {
                Matcher burst = Pattern.compile(Pattern.quote(run) + " ceiling .*? ([0-9,]+) rows/s; warm consumer, sustained +([0-9,]+) readings/s")
                        .matcher(output);
                assertTrue(burst.find(), "a ceiling and a burst per repeat:\n" + output);
                assertTrue(number(burst.group(1)) > 0 && number(burst.group(2)) > 0, burst.group());
            }
            // the ceiling copies each burst's rows into a table that grows as the consumer's does
            assertTrue(output.contains("1/2 ceiling: one COPY of the burst's 20,000 rows into a table of 0:"), output);
            assertTrue(output.contains("2/2 ceiling: one COPY of the burst's 20,000 rows into a table of 20,000:"), output);
            assertTrue(Pattern.compile("median \\d+\\.\\d\\d x ceiling").matcher(output).find(), output);
            Matcher cold = Pattern.compile("cold consumer .*? ([0-9,]+) readings/s").matcher(output);
            assertTrue(cold.find() && number(cold.group(1)) > 0, output);
            Matcher latency = Pattern.compile("p50 [0-9,]+ ms, p99 [0-9,]+ ms, max [0-9,]+ ms \\(([0-9,]+) readings\\)").matcher(output);
            assertTrue(latency.find(), output);
            assertEquals(600, number(latency.group(1)), "every reading of the steady phase measured:\n" + output);
            assertTrue(output.contains("consumer heap used, at most: warm"), output);
        }
        try (var left = java.nio.file.Files.list(dir)) {
            assertTrue(left.noneMatch(p -> p.getFileName().toString().startsWith("heartbeat-bench")),
                    "the bench deletes its servers' data");
        }
    }

    private static long number(String digits) {
        return Long.parseLong(digits.replace(",", ""));
    }
}
