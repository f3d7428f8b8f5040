package dev.heartbeat.app.command;

import dev.heartbeat.app.options.DatabaseOptions;
import dev.heartbeat.app.options.ExitCodes;
import dev.heartbeat.core.audit.AuditRecord;
import dev.heartbeat.postgres.PostgresAuditLog;
import dev.heartbeat.postgres.PostgresDatabase;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** The audit trail's own commands: {@code audit verify} checks its hash chain. */
@Command(name = "audit", mixinStandardHelpOptions = true,
        description = "The audit trail: 'audit verify' checks its hash chain and names the first broken record.",
        subcommands = AuditCommand.Verify.class)
final class AuditCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return ExitCodes.BAD_USAGE;
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Check every audit record against its hash and the one before it; exit 0 when the chain holds, "
                    + "1 naming the first record that does not.")
    static final class Verify implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        DatabaseOptions database;

        @Override
        public Integer call() {
            try (PostgresDatabase db = Commands.connect(database)) {
                AuditRecord.Verifier verifier = new AuditRecord.Verifier();
                new PostgresAuditLog(db).forEachInOrder(verifier::accept);
                AuditRecord.Verification result = verifier.result();
                if (result.broken().isPresent()) {
                    spec.commandLine().getErr().println("heartbeat: audit chain broken: " + result.broken().get()
                            + "; " + result.checked() + " records before it hold");
                    return ExitCodes.FAILED;
                }
                spec.commandLine().getOut().println(result.checked() == 0 ? "audit trail is empty"
                        : "audit chain intact: " + result.checked() + " records, " + result.firstSeq() + " to " + result.lastSeq()
                        + (result.firstSeq() > 1 ? " (the records before " + result.firstSeq() + " passed their retention)" : ""));
                return ExitCodes.OK;
            }
        }
    }
}
