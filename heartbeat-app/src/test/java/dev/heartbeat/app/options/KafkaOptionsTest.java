package dev.heartbeat.app.options;

import dev.heartbeat.kafka.KafkaSettings;
import dev.heartbeat.kafka.TopicReplication;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class KafkaOptionsTest {

    static KafkaSettings settings(int brokersAlive, Optional<TopicReplication> existing, String... args) {
        return CommandLine.populateCommand(new KafkaOptions(), args).settings("localhost:9092", brokersAlive, existing);
    }

    static String replication(KafkaSettings settings) {
        return settings.replicationFactor() + "/" + settings.minInsyncReplicas();
    }

    @Test
    void aTopicStillToBeCreatedGetsThreeReplicasOrAsManyAsThereAreBrokers() {
        assertEquals("3/2", replication(settings(5, Optional.empty())));
        assertEquals("3/2", replication(settings(3, Optional.empty())));
        assertEquals("2/1", replication(settings(2, Optional.empty())));
        assertEquals("1/1", replication(settings(1, Optional.empty())));
    }

    @Test
    void anExistingTopicIsTakenAsItIsWhateverBrokersAreDownNow() {
        TopicReplication production = new TopicReplication((short) 3, 2);
        assertEquals("3/2", replication(settings(2, Optional.of(production))), "one broker of three down");
        assertEquals("3/2", replication(settings(1, Optional.of(production))), "two down: the topic check then waits for the ISR");
        assertEquals("2/2", replication(settings(3, Optional.of(new TopicReplication((short) 2, 2)))));
    }

    @Test
    void whatTheOperatorAskedForIsWhatTheTopicIsCheckedAgainst() {
        TopicReplication existing = new TopicReplication((short) 3, 2);
        assertEquals("2/1", replication(settings(3, Optional.of(existing), "--kafka-replication-factor", "2")),
                "asked for 2 replicas: the topic admin then refuses the topic of 3, naming both");
        assertEquals("3/3", replication(settings(3, Optional.of(existing), "--kafka-min-insync-replicas", "3")));
        assertEquals("3/1", replication(settings(2, Optional.of(existing), "--kafka-replication-factor", "3",
                "--kafka-min-insync-replicas", "1")));
    }
}
