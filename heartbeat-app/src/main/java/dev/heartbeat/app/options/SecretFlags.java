package dev.heartbeat.app.options;

import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * Secrets given as flags: a command line is visible to every user of the machine ({@code ps},
 * {@code /proc/<pid>/cmdline}), so each secret option typed there draws one warning line naming the
 * {@code _FILE} variable that keeps it out of sight. Secret options are those whose name ends in
 * {@code -password} or {@code -token}, and the webhook URL (which often carries its secret in the path).
 */
public final class SecretFlags {

    private SecretFlags() {
    }

    /** Whether an option carries a secret. */
    public static boolean isSecret(String longestName) {
        String name = longestName.toLowerCase(Locale.ROOT);
        return name.endsWith("-password") || name.endsWith("-token") || name.equals("--alert-webhook-url");
    }

    /** Writes one line to {@code err} for each secret option given on the command line of {@code parsed}. */
    public static void warnAbout(ParseResult parsed, PrintWriter err) {
        for (ParseResult command = parsed; command != null; command = command.subcommand()) {
            for (OptionSpec option : command.matchedOptions()) {
                if (isSecret(option.longestName())) {
                    err.println("heartbeat: warning: " + option.longestName() + " on the command line is visible to every user"
                            + " of this machine (ps); put it in a file and set " + EnvironmentDefaults.variableOf(option.longestName())
                            + "_FILE instead");
                }
            }
        }
        err.flush();
    }
}
