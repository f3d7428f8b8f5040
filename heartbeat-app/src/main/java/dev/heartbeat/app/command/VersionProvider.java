package dev.heartbeat.app.command;

import dev.heartbeat.app.Main;
import picocli.CommandLine;

/** The version from the jar's manifest (the build's project version). */
final class VersionProvider implements CommandLine.IVersionProvider {

    @Override
    public String[] getVersion() {
        String version = Main.class.getPackage().getImplementationVersion();
        return new String[] {"heartbeat " + (version == null ? "(development build)" : version)};
    }
}
