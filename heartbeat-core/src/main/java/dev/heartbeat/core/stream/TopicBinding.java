package dev.heartbeat.core.stream;

import java.util.List;
import java.util.Objects;

/**
 * What binding a topic's stored positions to the broker's topic id found. Positions are offsets in one
 * particular topic; a topic deleted and made again under the same name starts its offsets over, so
 * positions of the old one must never be applied to the new one.
 */
public sealed interface TopicBinding {

    /** The detail of the gap a replaced topic leaves: which topic replaced which, and what is not known. */
    static String replacedDetail(String previousId, String topicId) {
        return "topic id " + previousId + " was replaced by " + topicId
                + ": messages of the old topic from this offset on, if any, were never read";
    }

    /** The positions belong to this topic (bound now for the first time, or before). */
    record Bound(String topicId) implements TopicBinding {
        public Bound {
            Objects.requireNonNull(topicId, "topicId");
        }
    }

    /** The positions belong to another topic of that name ({@code storedId}): nothing was changed. */
    record Mismatch(String storedId, String topicId) implements TopicBinding {
        public Mismatch {
            Objects.requireNonNull(storedId, "storedId");
            Objects.requireNonNull(topicId, "topicId");
        }
    }

    /**
     * The operator allowed it: the positions of the old topic ({@code previousId}) were forgotten and a
     * {@link StreamGap.Reason#TOPIC_REPLACED} gap recorded for each of its partitions, in one transaction.
     */
    record Replaced(String previousId, String topicId, List<StreamGap> gaps) implements TopicBinding {
        public Replaced {
            Objects.requireNonNull(previousId, "previousId");
            Objects.requireNonNull(topicId, "topicId");
            gaps = List.copyOf(gaps);
        }
    }
}
