package dev.ghostnet.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A one-line progress bar on stderr, redrawn in place with a carriage return. A disabled bar prints
 * nothing, so callers need not test. Other output must go through {@link #hide()} first, or it would land
 * in the middle of the bar.
 */
final class ProgressBar {
    private static final int WIDTH = 30;

    private final PrintWriter err;
    private final int total;
    private final boolean enabled;
    private final long start = System.nanoTime();
    private int done;
    private boolean shown;

    ProgressBar(PrintWriter err, int total, boolean enabled) {
        this.err = err;
        this.total = total;
        this.enabled = enabled;
    }

    /**
     * Whether this process's stderr is a terminal. Java only tells about stdin and stdout
     * ({@code System.console()}), and piping stdout to a file is exactly when a bar on stderr is wanted,
     * so on Linux file descriptor 2's target is read instead; elsewhere the answer is no.
     */
    static boolean stderrIsTerminal() {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (Exception e) {
            return false;
        }
    }

    void advance(int images) {
        done += images;
        draw();
    }

    /** Clears the line so that other output can be printed; the next {@link #advance} draws it again. */
    void hide() {
        if (shown) {
            err.print("\r" + " ".repeat(WIDTH + 40) + "\r");
            err.flush();
            shown = false;
        }
    }

    /** Leaves the final state on its own line. */
    void finish() {
        if (enabled) {
            if (!shown) {
                draw();
            }
            err.println();
            err.flush();
            shown = false;
        }
    }

    private void draw() {
        if (!enabled) {
            return;
        }
        int filled = total == 0 ? WIDTH : (int) ((long) WIDTH * done / total);
        double seconds = (System.nanoTime() - start) / 1e9;
        String rate = seconds > 0 ? String.format(Locale.ROOT, " %.1f images/s", done / seconds) : "";
        err.print("\r[" + "#".repeat(filled) + ".".repeat(WIDTH - filled) + "] " + done + "/" + total + rate);
        err.flush();
        shown = true;
    }
}
