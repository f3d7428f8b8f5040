package dev.heartbeat.app.command;

import dev.heartbeat.app.options.ExitCodes;
import dev.heartbeat.app.options.DatabaseOptions;
import dev.heartbeat.postgres.PostgresDatabase;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** Brings the schema up to this build's version (every other command does it on start too). */
@Command(name = "migrate", mixinStandardHelpOptions = true,
        description = "Apply the schema migrations from sql/ to the database; refuses a schema newer than this build.")
final class MigrateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;
    @Mixin
    DatabaseOptions database;

    @Override
    public Integer call() {
        try (PostgresDatabase db = Commands.connect(database)) {
            spec.commandLine().getOut().println("Schema is at version " + db.migrate());
        }
        return ExitCodes.OK;
    }
}
