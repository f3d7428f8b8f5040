package dev.heartbeat.app.options;

import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Every option can also come from the environment, by one rule: {@code --kafka-bootstrap} is read
 * from {@code HEARTBEAT_KAFKA_BOOTSTRAP}. When that is unset, {@code HEARTBEAT_KAFKA_BOOTSTRAP_FILE}
 * names a file holding the value (Docker and Kubernetes secrets). A flag on the command line wins
 * over the environment, which wins over the built-in default.
 */
public final class EnvironmentDefaults implements CommandLine.IDefaultValueProvider {

    private final Map<String, String> environment;

    public EnvironmentDefaults(Map<String, String> environment) {
        this.environment = Map.copyOf(Objects.requireNonNull(environment, "environment"));
    }

    /** The environment variable an option is read from. */
    public static String variableOf(String longestName) {
        return "HEARTBEAT_" + longestName.replaceFirst("^-+", "").replace('-', '_').toUpperCase(Locale.ROOT);
    }

    @Override
    public String defaultValue(ArgSpec argSpec) throws IOException {
        if (!(argSpec instanceof OptionSpec option) || option.usageHelp() || option.versionHelp()) {
            return null;
        }
        String variable = variableOf(option.longestName());
        String value = environment.get(variable);
        if (value != null && !value.isEmpty()) {
            return value;
        }
        String file = environment.get(variable + "_FILE");
        if (file != null && !file.isEmpty()) {
            try {
                return Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                throw new IOException(variable + "_FILE names " + file + ", which cannot be read: " + e.getMessage(), e);
            }
        }
        return null;
    }
}
