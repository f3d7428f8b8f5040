package dev.heartbeat.app.bench;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A terminal sees the bar redrawn in place; a file one line per phase and no carriage return. */
class ProgressBarTest {

    @Test
    void piedToAFileItWritesOneLinePerPhaseAndNoCarriageReturn() {
        StringWriter text = new StringWriter();
        ProgressBar bar = new ProgressBar(new PrintWriter(text), false);
        for (long done = 0; done <= 200_000; done += 1_000) {
            bar.show(done, 200_000, "published");
        }
        bar.finish(200_000, 200_000, "published");
        bar.show(10, 20, "stored");
        bar.finish(20, 20, "stored");
        assertEquals("  200,000/200,000 published" + System.lineSeparator() + "  20/20 stored" + System.lineSeparator(),
                text.toString());
    }

    @Test
    void onATerminalItRedrawsOneBarInPlaceAndEndsTheLine() {
        StringWriter text = new StringWriter();
        ProgressBar bar = new ProgressBar(new PrintWriter(text), true);
        bar.show(0, 4, "stored");
        bar.show(1, 4, "stored");
        bar.finish(4, 4, "stored");
        assertEquals("\r  [........................................]   0% 0/4 stored"
                        + "\r  [##########..............................]  25% 1/4 stored"
                        + "\r  [########################################] 100% 4/4 stored" + System.lineSeparator(),
                text.toString());
    }
}
