package dev.heartbeat.app;

import dev.heartbeat.app.options.ExitCodes;
import dev.heartbeat.app.command.HeartbeatCommand;
import dev.heartbeat.app.observability.LogFormat;
import dev.heartbeat.app.options.ConfigurationException;
import dev.heartbeat.app.options.EnvironmentDefaults;
import dev.heartbeat.app.options.SecretFlags;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.util.List;
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
        return commandLine.execute(withDefaultCommand(args, commandLine));
    }

    /** Runs {@code demo} when no command is named: no arguments, or only the top-level options. */
    static String[] withDefaultCommand(String[] args, CommandLine commandLine) {
        for (String arg : args) {
            if (commandLine.getSubcommands().containsKey(arg) || List.of("-h", "--help", "-V", "--version").contains(arg)) {
                return args;
            }
        }
        String[] withDemo = new String[args.length + 1];
        withDemo[0] = "demo";
        System.arraycopy(args, 0, withDemo, 1, args.length);
        return withDemo;
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
        commandLine.setExecutionStrategy(parsed -> {
            SecretFlags.warnAbout(parsed, err);
            return new CommandLine.RunLast().execute(parsed);
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
