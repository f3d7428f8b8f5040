package dev.heartbeat.app;

/** The process exit codes, as documented in README. */
final class ExitCodes {

    static final int OK = 0;
    static final int FAILED = 1;
    static final int BAD_USAGE = 2;

    private ExitCodes() {
    }
}
