package dev.heartbeat.app.runtime;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.heartbeat.app.options.ConfigurationException;

import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The probes of a process without a dashboard (a producer, a scaled-out consumer): {@code /health/live},
 * {@code /health/ready} and Prometheus {@code /metrics}, on the JDK's own HTTP server. Processes with
 * the dashboard serve the same paths from it.
 */
public final class ProbeServer implements AutoCloseable {

    private final HttpServer server;

    private ProbeServer(HttpServer server) {
        this.server = server;
    }

    public static ProbeServer start(String bindAddress, int port, Readiness ready, Supplier<String> metrics) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(bindAddress, port), 0);
        } catch (BindException e) {
            throw new ConfigurationException("port " + port + " on " + bindAddress + " is in use: stop what uses it or choose another with --probe-port");
        } catch (IOException e) {
            throw new ConfigurationException("cannot listen on " + bindAddress + ":" + port + ": " + e.getMessage());
        }
        server.createContext("/health/live", exchange -> answer(exchange, 200, "text/plain", "live\n"));
        server.createContext("/health/ready", exchange -> {
            Optional<String> why = ready.reason();
            answer(exchange, why.isEmpty() ? 200 : 503, "text/plain", why.map(reason -> "not ready: " + reason + "\n").orElse("ready\n"));
        });
        server.createContext("/metrics", exchange ->
                answer(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.get()));
        server.createContext("/", exchange -> answer(exchange, 404, "text/plain", "not found\n"));
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        return new ProbeServer(server);
    }

    private static void answer(HttpExchange exchange, int status, String type, String body) throws IOException {
        try (exchange) {
            if (!"GET".equals(exchange.getRequestMethod()) && !"HEAD".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", type);
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
