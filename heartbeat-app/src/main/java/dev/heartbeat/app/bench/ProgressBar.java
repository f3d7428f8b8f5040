package dev.heartbeat.app.bench;

import java.io.PrintWriter;
import java.lang.reflect.Method;
import java.util.Locale;

/**
 * How far a phase has come. On a terminal, one bar redrawn in place ({@code \r}); anywhere else (a
 * file, a pipe, CI's log) nothing while it runs and one line when it is done, so that a log holds a
 * line per phase instead of hundreds of frames.
 */
public final class ProgressBar {

    private static final int WIDTH = 40;

    private final PrintWriter out;
    private final boolean redraw;

    public ProgressBar(PrintWriter out, boolean redraw) {
        this.out = out;
        this.redraw = redraw;
    }

    /** Whether this process writes to a terminal: redrawing is for people watching, not for files. */
    public static boolean onTerminal() {
        java.io.Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            // Console.isTerminal() (JDK 22+): from then on System.console() is there even when redirected
            Method isTerminal = java.io.Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(console);
        } catch (ReflectiveOperationException olderJdk) {
            return true;
        }
    }

    /** {@code done} of {@code total} {@code what} (for example "published"). */
    public void show(long done, long total, String what) {
        if (redraw) {
            out.print("\r" + frame(done, total, what));
            out.flush();
        }
    }

    /** The phase is over with {@code done} of {@code total}: the last frame and a line break, or the one line. */
    public void finish(long done, long total, String what) {
        if (redraw) {
            out.println("\r" + frame(done, total, what));
        } else {
            out.printf(Locale.ROOT, "  %,d/%,d %s%n", done, total, what);
        }
        out.flush();
    }

    static String frame(long done, long total, String what) {
        int filled = (int) (WIDTH * Math.min(1.0, (double) done / total));
        return String.format(Locale.ROOT, "  [%s%s] %3.0f%% %,d/%,d %s", "#".repeat(filled), ".".repeat(WIDTH - filled),
                100.0 * done / total, done, total, what);
    }
}
