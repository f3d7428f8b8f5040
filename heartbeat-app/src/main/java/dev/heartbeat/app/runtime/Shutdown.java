package dev.heartbeat.app.runtime;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Orderly stop on Ctrl-C / SIGTERM: the signal wakes the command's main thread, which stops the
 * pipeline in order; the JVM waits (up to 10 s) for it to finish before exiting.
 */
public final class Shutdown implements AutoCloseable {

    public static final Duration GRACE = Duration.ofSeconds(10);

    private final CountDownLatch requested = new CountDownLatch(1);
    private final CountDownLatch finished = new CountDownLatch(1);
    private final Thread hook;

    public Shutdown() {
        hook = new Thread(() -> {
            requested.countDown();
            try {
                finished.await(GRACE.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /**
     * Waits until a stop is requested, {@code duration} passes (zero: no limit), or {@code tick} returns
     * false; calls {@code tick} every {@code every}.
     */
    public void await(Duration duration, Duration every, BooleanSupplier tick) throws InterruptedException {
        long deadline = duration.isZero() ? Long.MAX_VALUE : System.nanoTime() + duration.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            if (requested.await(Math.min(every.toNanos(), left), TimeUnit.NANOSECONDS)) {
                return;
            }
            if (!tick.getAsBoolean()) {
                return;
            }
        }
    }

    public void request() {
        requested.countDown();
    }

    public boolean requested() {
        return requested.getCount() == 0;
    }

    /** The command finished its cleanup: lets the JVM exit, or removes the hook when no signal came. */
    @Override
    public void close() {
        finished.countDown();
        if (!requested()) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException alreadyShuttingDown) {
                // the JVM is exiting anyway
            }
        }
    }
}
