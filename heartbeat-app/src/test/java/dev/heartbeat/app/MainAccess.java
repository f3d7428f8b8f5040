package dev.heartbeat.app;

import picocli.CommandLine;

import java.io.PrintWriter;

/** Test access to the command-line model (to check deployment files against the options the app reads). */
public final class MainAccess {

    private MainAccess() {
    }

    public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        return Main.commandLine(out, err);
    }
}
