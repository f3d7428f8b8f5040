package dev.heartbeat.app.options;

/** The process exit codes, as documented in README. */
public final class ExitCodes {

    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int BAD_USAGE = 2;

    private ExitCodes() {
    }
}
