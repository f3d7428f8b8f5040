package dev.heartbeat.app;

import dev.heartbeat.app.options.ConfigurationException;
import dev.heartbeat.app.options.EnvironmentDefaults;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.util.Map;

/**
 * The composition root's entry point: parses the command line once and runs the chosen command.
 * With no arguments it runs {@code demo}. Exit codes: 0 done, 1 failed while running, 2 bad
 * command line or configuration (with one actionable line on stderr).
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        LogFormat.configure(args, System.getenv());
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs one command line and returns its exit code; tests call this instead of {@link #main}. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        return run(args, System.getenv(), out, err);
    }

    /** As {@link #run(String[], PrintWriter, PrintWriter)}, reading settings from {@code environment}. */
    public static int run(String[] args, Map<String, String> environment, PrintWriter out, PrintWriter err) {
        CommandLine commandLine = commandLine(out, err);
        commandLine.setDefaultValueProvider(new EnvironmentDefaults(environment));
        return commandLine.execute(args.length == 0 ? new String[] {"demo"} : args);
    }

    static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        CommandLine commandLine = new CommandLine(new HeartbeatCommand());
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setParameterExceptionHandler((problem, args) -> {
            CommandLine failed = problem.getCommandLine();
            failed.getErr().println("heartbeat: " + problem.getMessage()
                    + " (see '" + failed.getCommandSpec().qualifiedName() + " --help')");
            return ExitCodes.BAD_USAGE;
        });
        commandLine.setExecutionExceptionHandler((problem, failed, parseResult) -> {
            if (problem instanceof ConfigurationException bad) {
                failed.getErr().println("heartbeat: " + bad.getMessage());
                return ExitCodes.BAD_USAGE;
            }
            failed.getErr().println("heartbeat: " + failed.getCommandName() + " failed: " + problem);
            return ExitCodes.FAILED;
        });
        return commandLine;
    }
}
