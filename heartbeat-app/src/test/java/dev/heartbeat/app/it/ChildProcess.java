package dev.heartbeat.app.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** The built jar run as a separate OS process, its output in a file, killable with SIGKILL. */
final class ChildProcess implements AutoCloseable {

    private final Process process;
    private final Path output;

    private ChildProcess(Process process, Path output) {
        this.process = process;
        this.output = output;
    }

    static Path jar() {
        Path jar = Path.of(System.getProperty("heartbeat.jar", "target/heartbeat-app.jar"));
        if (!Files.exists(jar)) {
            throw new IllegalStateException("the app jar " + jar + " is missing: these tests run in `mvn verify`, after `package`");
        }
        return jar;
    }

    static ChildProcess start(Path output, List<String> jvmOptions, String... args) throws IOException {
        return start(output, jvmOptions, java.util.Map.of(), args);
    }

    /**
     * The app jar with its clock shifted by libfaketime ({@code shift} as faketime takes it: {@code +40d},
     * {@code -10m}); monotonic time is left alone, so timeouts and sleeps behave. The library is preloaded
     * into the JVM itself rather than through the {@code faketime} wrapper, which would fork: killing the
     * wrapper would leave the JVM running.
     */
    static ChildProcess startWithClock(String shift, Path output, List<String> jvmOptions, String... args) throws IOException {
        if (!Files.isReadable(FAKETIME_LIBRARY)) {
            throw new IllegalStateException("the clock tests need Debian's faketime (.ci/run installs it): no " + FAKETIME_LIBRARY);
        }
        return start(output, jvmOptions, java.util.Map.of("LD_PRELOAD", FAKETIME_LIBRARY.toString(),
                "FAKETIME", shift, "FAKETIME_DONT_FAKE_MONOTONIC", "1"), args);
    }

    static final Path FAKETIME_LIBRARY = Path.of("/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1");

    /** The app jar with {@code args}, its environment holding no HEARTBEAT_ variable but those of {@code environment}. */
    static ChildProcess start(Path output, List<String> jvmOptions, java.util.Map<String, String> environment, String... args)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(jar().toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("HEARTBEAT_"));
        builder.environment().putAll(environment);
        return new ChildProcess(builder.start(), output);
    }

    String output() {
        try {
            return Files.readString(output, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }

    /** Waits until the output has a line matching {@code line}; fails when the process exits first or time runs out. */
    void awaitLine(Predicate<String> line, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (output().lines().anyMatch(line)) {
                return;
            }
            if (!process.isAlive()) {
                throw new AssertionError("the process exited with " + process.exitValue() + " before the line came:\n" + output());
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no such line within " + timeout + ":\n" + output());
    }

    boolean isAlive() {
        return process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    /** SIGKILL: no shutdown hook, no clean commit, like a crash. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** SIGTERM, then the exit code, or -1 when it is still running after {@code timeout}. */
    int terminate(Duration timeout) throws InterruptedException {
        process.destroy();
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
    }

    /** The exit code, or -1 when it is still running after {@code timeout}. */
    int waitFor(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
