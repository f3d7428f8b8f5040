package dev.heartbeat.kafka;

import dev.heartbeat.core.HeartbeatException;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns Kafka's refusal to authenticate a client into one line an operator can act on: which cluster
 * refused which user, Kafka's reason, and what to check. Retrying cannot help until someone fixes the
 * settings, so the clients stop (source, admin) or fail the send (publisher) with this message.
 *
 * <p>The user is read from the {@code username} option of {@code sasl.jaas.config}; the password never
 * appears in a message, not even if Kafka's reason were to quote it.
 */
final class CredentialsRefused {

    private static final String HIDDEN = "[hidden]";

    private CredentialsRefused() {
    }

    static HeartbeatException exception(KafkaSettings settings, AuthenticationException refused) {
        return new HeartbeatException(message(settings, refused), refused);
    }

    static String message(KafkaSettings settings, AuthenticationException refused) {
        String reason = hidePassword(settings, String.valueOf(refused.getMessage()));
        if (refused instanceof SslAuthenticationException) {
            // a TLS handshake failure has nothing to do with the user's password
            return "Kafka at " + settings.bootstrapServers() + " refused the TLS handshake: " + reason
                    + "; check the truststore/keystore (ssl.* client properties)";
        }
        String user = jaasOption(settings, "username").orElse("(no username in sasl.jaas.config)");
        return "Kafka at " + settings.bootstrapServers() + " refused the credentials of user " + user + ": " + reason
                + "; check the username/password";
    }

    private static String hidePassword(KafkaSettings settings, String text) {
        Optional<String> password = jaasOption(settings, "password").filter(p -> !p.isEmpty());
        return password.map(p -> text.replace(p, HIDDEN)).orElse(text);
    }

    /** The value of a login-module option in {@code sasl.jaas.config}: quoted (with backslash escapes) or a bare token. */
    static Optional<String> jaasOption(KafkaSettings settings, String option) {
        String jaas = settings.clientProperties().get(SaslConfigs.SASL_JAAS_CONFIG);
        if (jaas == null) {
            return Optional.empty();
        }
        Matcher matcher = Pattern.compile("(?<![\\w.-])" + Pattern.quote(option)
                + "\\s*=\\s*(?:\"((?:[^\"\\\\]|\\\\.)*)\"|([^\\s;\"]+))").matcher(jaas);
        if (!matcher.find()) {
            return Optional.empty();
        }
        return Optional.of(matcher.group(1) != null ? matcher.group(1).replaceAll("\\\\(.)", "$1") : matcher.group(2));
    }
}
