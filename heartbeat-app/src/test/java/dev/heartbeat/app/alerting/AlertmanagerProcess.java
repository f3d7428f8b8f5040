package dev.heartbeat.app.alerting;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A real Alertmanager (Debian's {@code prometheus-alertmanager}) started by a test on a free loopback
 * port with a configuration of its own, clustering off, its data and log in a directory of the test's.
 */
public final class AlertmanagerProcess implements AutoCloseable {

    static final Path BINARY = Path.of("/usr/bin/prometheus-alertmanager");

    private final Process process;
    private final Path log;
    private final URI url;

    private AlertmanagerProcess(Process process, Path log, URI url) {
        this.process = process;
        this.log = log;
        this.url = url;
    }

    /** Starts it with {@code config} (the YAML text) and waits until it is ready. */
    public static AlertmanagerProcess start(Path directory, String config) throws IOException, InterruptedException {
        if (!Files.isExecutable(BINARY)) {
            throw new IllegalStateException(BINARY + " is missing: install Debian's prometheus-alertmanager (.ci/run does)");
        }
        Path file = directory.resolve("alertmanager.yml");
        Files.writeString(file, config);
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path log = directory.resolve("alertmanager.log");
        Process process = new ProcessBuilder(BINARY.toString(), "--config.file=" + file,
                "--storage.path=" + directory.resolve("data"), "--web.listen-address=127.0.0.1:" + port,
                "--cluster.listen-address=", "--log.level=info")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        AlertmanagerProcess started = new AlertmanagerProcess(process, log, URI.create("http://127.0.0.1:" + port));
        started.awaitReady(Duration.ofSeconds(30));
        return started;
    }

    /** A configuration that sends every alert, and its resolution, to the webhook at {@code url} at once. */
    public static String everythingTo(String url) {
        return """
                route:
                  receiver: webhook
                  group_by: ['alertname', 'customer_id']
                  group_wait: 1s
                  group_interval: 1s
                  repeat_interval: 1h
                receivers:
                  - name: webhook
                    webhook_configs:
                      - url: '%s'
                        send_resolved: true
                """.formatted(url);
    }

    public URI url() {
        return url;
    }

    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** GET {@code path} of its API, the body. */
    public String get(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(url.resolve(path)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("GET " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    private void awaitReady(Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Alertmanager exited with " + process.exitValue() + ":\n" + log());
            }
            try {
                get("/-/ready");
                return;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("Alertmanager not ready within " + within + ":\n" + log());
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
