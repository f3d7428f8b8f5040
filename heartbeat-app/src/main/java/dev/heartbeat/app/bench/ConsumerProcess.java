package dev.heartbeat.app.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code consume} process of its own, started with a capped heap and the collector the Docker image
 * runs the app with, its output in a file, watched through its probe port: readiness and heap used.
 * Closing it stops it (SIGTERM, then SIGKILL after 20 s).
 */
final class ConsumerProcess implements AutoCloseable {

    private static final Pattern HEAP = Pattern.compile("(?m)^jvm_memory_used_bytes\\{area=\"heap\",id=\"[^\"]*\"\\} ([0-9.E+-]+)$");

    private final Process process;
    private final int probe;
    private final HttpClient http = HttpClient.newHttpClient();

    private ConsumerProcess(Process process, int probe) {
        this.process = process;
        this.probe = probe;
    }

    /** Starts {@code main} (the app's entry point) with {@code consume}'s arguments and {@code -Xmx heap}, writing to {@code log}. */
    static ConsumerProcess start(Class<?> main, List<String> consume, String heap, Path log) throws IOException {
        int probe = freePort();
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-Xmx" + heap, "-XX:+ExitOnOutOfMemoryError", "-XX:+UseParallelGC", "-cp",
                System.getProperty("java.class.path"), main.getName()));
        command.addAll(consume);
        command.addAll(List.of("--probe-port", Integer.toString(probe)));
        return new ConsumerProcess(new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start(), probe);
    }

    /** Waits until it answers ready; fails if it exits first or takes more than a minute. */
    void awaitReady() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            checkAlive();
            try {
                if (http.send(request("/health/ready"), HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // starting
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the consumer did not become ready within 60 s");
    }

    /** Fails if the process has exited. */
    void checkAlive() {
        if (!process.isAlive()) {
            throw new IllegalStateException("the consumer died (exit " + process.exitValue() + "; heap too small?)");
        }
    }

    /** Bytes of heap in use, from its metrics (0 if it does not answer). */
    double heapUsed() {
        try {
            Matcher m = HEAP.matcher(http.send(request("/metrics"), HttpResponse.BodyHandlers.ofString()).body());
            double total = 0;
            while (m.find()) {
                total += Double.parseDouble(m.group(1));
            }
            return total;
        } catch (IOException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    @Override
    public void close() throws InterruptedException {
        try {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } finally {
            http.close();
        }
    }

    private HttpRequest request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + probe + path)).build();
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
