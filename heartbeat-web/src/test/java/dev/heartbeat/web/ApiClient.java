package dev.heartbeat.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/** A real HTTP client for the dashboard under test (java.net.http), with the answers as JSON. */
final class ApiClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final String token;

    ApiClient(int port) {
        this(port, null);
    }

    ApiClient(int port, String token) {
        this.base = "http://127.0.0.1:" + port;
        this.token = token;
    }

    ApiClient withToken(String newToken) {
        return new ApiClient(Integer.parseInt(base.substring(base.lastIndexOf(':') + 1)), newToken);
    }

    /** One answer: status, headers and body, with the body parsed as JSON when it is JSON. */
    record Answer(int status, HttpResponse<String> response) {
        String body() {
            return response.body();
        }

        Optional<String> header(String name) {
            return response.headers().firstValue(name);
        }

        JsonNode json() {
            try {
                return JSON.readTree(response.body());
            } catch (IOException e) {
                throw new AssertionError("not JSON (HTTP " + status + "): " + response.body(), e);
            }
        }
    }

    Answer get(String pathAndQuery) {
        return send(HttpRequest.newBuilder(URI.create(base + pathAndQuery)).GET());
    }

    Answer get(String pathAndQuery, String headerName, String headerValue) {
        return send(HttpRequest.newBuilder(URI.create(base + pathAndQuery)).header(headerName, headerValue).GET());
    }

    Answer post(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).POST(HttpRequest.BodyPublishers.ofString("{}")));
    }

    /** POST with a body of the given type ({@code contentType} null: no Content-Type header). */
    Answer post(String path, String contentType, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return send(request);
    }

    /** POST with a body of the given type and one extra header. */
    Answer post(String path, String contentType, String body, String headerName, String headerValue) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", contentType)
                .header(headerName, headerValue).POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** POST of a JSON body, as the page sends it. */
    Answer postJson(String path, String json) {
        return post(path, "application/json", json);
    }

    /** Any method, no body, with one extra header (for preflights). */
    Answer request(String method, String path, String headerName, String headerValue) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header(headerName, headerValue)
                .method(method, HttpRequest.BodyPublishers.noBody()));
    }

    /** GET that must answer 200; the JSON body. */
    JsonNode ok(String pathAndQuery) {
        Answer answer = get(pathAndQuery);
        if (answer.status() != 200) {
            throw new AssertionError("GET " + pathAndQuery + " answered " + answer.status() + ": " + answer.body());
        }
        return answer.json();
    }

    private Answer send(HttpRequest.Builder request) {
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpRequest built = request.copy().build();
        if (!built.method().equals("GET") && !built.method().equals("HEAD") && built.headers().firstValue("Origin").isEmpty()) {
            request.header("Origin", base); // as a browser sends it from the dashboard's own page
        }
        try {
            HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(20)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
