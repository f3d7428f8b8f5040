package dev.heartbeat.kafka;

import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The message a refused login becomes, for the settings the brokers cannot be made to produce here
 * (a JAAS config in other spellings, no JAAS config, a reason quoting the password, a TLS failure);
 * {@link KafkaScramTest} shows the real refusal end to end.
 */
class CredentialsRefusedTest {

    static KafkaSettings withJaas(String jaas) {
        return KafkaSettings.singleBroker("kafka-1:9096")
                .withClientProperties(Map.of("security.protocol", "SASL_SSL", "sasl.mechanism", "SCRAM-SHA-256",
                        "sasl.jaas.config", jaas));
    }

    @Test
    void readsTheUserFromQuotedBareAndEscapedOptions() {
        assertEquals(Optional.of("alice"), CredentialsRefused.jaasOption(withJaas(
                "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"alice\" password=\"s3cret\";"),
                "username"));
        assertEquals(Optional.of("bob"), CredentialsRefused.jaasOption(withJaas(
                "org.apache.kafka.common.security.plain.PlainLoginModule required\n  username = bob\n  password=x;"),
                "username"));
        assertEquals(Optional.of("we\"ird\\name"), CredentialsRefused.jaasOption(withJaas(
                "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"we\\\"ird\\\\name\";"),
                "username"));
        // an option whose name merely ends in "username" is not the username
        assertEquals(Optional.empty(), CredentialsRefused.jaasOption(withJaas(
                "com.example.Login required my.username=\"carol\";"), "username"));
        assertEquals(Optional.empty(), CredentialsRefused.jaasOption(KafkaSettings.singleBroker("k:9092"), "username"));
    }

    @Test
    void namesClusterUserAndReasonButNeverThePassword() {
        KafkaSettings settings = withJaas(
                "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"alice\" password=\"s3cret-pw\";");
        SaslAuthenticationException refused = new SaslAuthenticationException("login of alice with s3cret-pw refused");

        assertEquals("Kafka at kafka-1:9096 refused the credentials of user alice: login of alice with [hidden]"
                + " refused; check the username/password", CredentialsRefused.message(settings, refused));
        assertEquals(CredentialsRefused.message(settings, refused), CredentialsRefused.exception(settings, refused).getMessage());
        assertEquals(refused, CredentialsRefused.exception(settings, refused).getCause());
    }

    @Test
    void saysWhenNoUserIsConfiguredAndWhenTlsFailed() {
        KafkaSettings noJaas = KafkaSettings.singleBroker("kafka-1:9093")
                .withClientProperties(Map.of("security.protocol", "SASL_SSL"));
        assertEquals("Kafka at kafka-1:9093 refused the credentials of user (no username in sasl.jaas.config):"
                        + " invalid credentials; check the username/password",
                CredentialsRefused.message(noJaas, new SaslAuthenticationException("invalid credentials")));
        assertEquals("Kafka at kafka-1:9093 refused the TLS handshake: PKIX path building failed;"
                        + " check the truststore/keystore (ssl.* client properties)",
                CredentialsRefused.message(noJaas, new SslAuthenticationException("PKIX path building failed")));
    }
}
