package dev.heartbeat.web;

/** Client-supplied text made safe for one log line or an error message: no control characters, bounded. */
final class LogText {

    private LogText() {
    }

    static String safe(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(Math.min(text.length(), 200));
        text.codePoints().limit(200).forEach(c -> out.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return text.length() > 200 ? out + "..." : out.toString();
    }

    static String shortened(String text) {
        String safe = safe(text);
        return safe.length() > 80 ? safe.substring(0, 80) + "..." : safe;
    }
}
