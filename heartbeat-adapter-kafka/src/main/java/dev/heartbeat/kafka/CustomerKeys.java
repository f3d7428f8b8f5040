package dev.heartbeat.kafka;

import dev.heartbeat.core.reading.CustomerId;
import dev.heartbeat.core.validation.RawMessage;
import dev.heartbeat.core.validation.RawReading;
import dev.heartbeat.core.validation.RawValue;
import dev.heartbeat.core.validation.RejectReason;
import dev.heartbeat.core.validation.Undecodable;

import java.nio.charset.StandardCharsets;

/**
 * One customer, one partition: alerting keeps a customer's state in the engine of the partition that
 * customer's readings arrive on, so a reading must carry its customer_id as the Kafka key. A reading
 * under another key, or none, could land on another partition and be judged by a second engine (two
 * open alerts for one condition, resolutions that flap), so it is a reject of its own,
 * {@code key_mismatch}, counted and shown with the other rejects, never silently re-routed.
 */
final class CustomerKeys {

    private static final int SHOWN_KEY_BYTES = 60;

    private CustomerKeys() {
    }

    /** {@code decoded} as it is when its key is its customer_id (or it has no valid id to compare), else a key_mismatch reject. */
    static RawMessage checked(byte[] key, RawMessage decoded) {
        if (!(decoded instanceof RawReading reading) || !(reading.customerId() instanceof RawValue.Text(String id))
                || !CustomerId.isValid(id)) {
            return decoded;
        }
        if (key == null) {
            return new Undecodable(RejectReason.KEY_MISMATCH, "the message has no key: key it by its customer_id (" + id
                    + ") so that one customer's readings share a partition");
        }
        if (!isKey(key, id)) {
            return new Undecodable(RejectReason.KEY_MISMATCH, "the key " + shown(key) + " is not the customer_id " + id
                    + ": key each reading by its customer_id so that one customer's readings share a partition");
        }
        return decoded;
    }

    /** Whether {@code key} is the bytes of {@code id} (a valid id is ASCII), compared in place: nothing allocated per message. */
    private static boolean isKey(byte[] key, String id) {
        if (key.length != id.length()) {
            return false;
        }
        for (int i = 0; i < key.length; i++) {
            if (key[i] != id.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static String shown(byte[] key) {
        String text = new String(key, 0, Math.min(key.length, SHOWN_KEY_BYTES), StandardCharsets.UTF_8)
                .replaceAll("[^\\x20-\\x7e]", "?");
        return '"' + text + (key.length > SHOWN_KEY_BYTES ? "...\" (" + key.length + " bytes)" : "\"");
    }
}
