package dev.heartbeat.app.observability;

import java.util.Locale;
import java.util.Map;

/**
 * Chooses the log format before anything logs: human-readable lines by default, one JSON object per
 * line with {@code --log-format json} (or {@code HEARTBEAT_LOG_FORMAT=json}), for log shippers.
 */
public final class LogFormat {

    public static final String OPTION = "--log-format";

    private LogFormat() {
    }

    public static void configure(String[] args, Map<String, String> environment) {
        String format = environment.getOrDefault("HEARTBEAT_LOG_FORMAT", "text");
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals(OPTION) && i + 1 < args.length) {
                format = args[i + 1];
            } else if (args[i].startsWith(OPTION + "=")) {
                format = args[i].substring(OPTION.length() + 1);
            }
        }
        if (format.toLowerCase(Locale.ROOT).equals("json") && System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "logback-json.xml");
        }
    }
}
