package dev.heartbeat.kafka;

/**
 * Strict UTF-8 well-formedness (Unicode table 3-7): no stray continuation bytes, no overlong forms, no
 * UTF-16 surrogates, nothing above U+10FFFF, no truncated sequence. Jackson decodes only what it reads
 * as text and may let some of these through (or call them a syntax error), so the codec checks the
 * whole value first and says {@code not_utf8} for exactly these inputs.
 */
final class Utf8 {

    private Utf8() {
    }

    /** The index of the first byte that starts an ill-formed sequence, or -1 when all of {@code bytes} is UTF-8. */
    static int firstInvalidByte(byte[] bytes) {
        int i = 0;
        int n = bytes.length;
        while (i < n) {
            int b = bytes[i];
            if (b >= 0) {
                i++;
                continue;
            }
            b &= 0xFF;
            if (b < 0xC2) {
                return i; // a continuation byte without a lead, or an overlong two-byte form (C0, C1)
            }
            if (b < 0xE0) {
                if (i + 1 >= n || !isContinuation(bytes[i + 1])) {
                    return i;
                }
                i += 2;
            } else if (b < 0xF0) {
                if (i + 2 >= n) {
                    return i;
                }
                int b1 = bytes[i + 1] & 0xFF;
                int low = b == 0xE0 ? 0xA0 : 0x80;   // E0 80..9F would be overlong
                int high = b == 0xED ? 0x9F : 0xBF;  // ED A0..BF would be a surrogate
                if (b1 < low || b1 > high || !isContinuation(bytes[i + 2])) {
                    return i;
                }
                i += 3;
            } else if (b < 0xF5) {
                if (i + 3 >= n) {
                    return i;
                }
                int b1 = bytes[i + 1] & 0xFF;
                int low = b == 0xF0 ? 0x90 : 0x80;   // F0 80..8F would be overlong
                int high = b == 0xF4 ? 0x8F : 0xBF;  // F4 90.. would be above U+10FFFF
                if (b1 < low || b1 > high || !isContinuation(bytes[i + 2]) || !isContinuation(bytes[i + 3])) {
                    return i;
                }
                i += 4;
            } else {
                return i; // F5..FF never occur in UTF-8
            }
        }
        return -1;
    }

    private static boolean isContinuation(byte b) {
        return (b & 0xC0) == 0x80;
    }
}
