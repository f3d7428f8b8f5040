package dev.heartbeat.web;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.heartbeat.core.alert.Acknowledgement;

import java.io.IOException;
import java.util.Iterator;
import java.util.Locale;

/**
 * The body of {@code POST /api/alerts/{id}/ack}: {@code {"by": "who takes it on"}}, as JSON only.
 *
 * <p>Requiring {@code Content-Type: application/json} is the guard against cross-site request
 * forgery: a form on another site can only send form, multipart or plain-text bodies, and a script
 * on another origin that sets this type must first pass a CORS preflight, which this server never
 * grants (it sends no {@code Access-Control-Allow-*} header). With a bearer token configured the
 * token is a second guard, since a browser never adds it to a cross-site request by itself.
 */
record AckRequest(String by) {

    /** Far more than {@code {"by": <80 characters>}} needs; anything longer is refused unread. */
    static final int MAX_BODY_BYTES = 2_048;

    /** Whether a {@code Content-Type} header names JSON ({@code application/json}, parameters allowed). */
    static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semicolon = contentType.indexOf(';');
        String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip();
        return type.toLowerCase(Locale.ROOT).equals("application/json");
    }

    /** The request in {@code body}; a {@link BadParameterException} names what is wrong with it. */
    static AckRequest parse(byte[] body, ObjectMapper mapper) {
        JsonNode json;
        try {
            ObjectReader reader = mapper.reader()
                    .with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                    .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
            json = reader.readTree(body);
        } catch (IOException notJson) {
            throw new BadParameterException("body", "the body must be a JSON object such as {\"by\": \"your name\"}");
        }
        if (json == null || !json.isObject()) {
            throw new BadParameterException("body", "the body must be a JSON object such as {\"by\": \"your name\"}");
        }
        for (Iterator<String> names = json.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (name.equals("note")) {
                throw new BadParameterException("note", "acknowledgement notes are not stored (yet): send only by");
            }
            if (!name.equals("by")) {
                throw new BadParameterException(LogText.shortened(name), "unknown field \"" + LogText.shortened(name)
                        + "\"; an acknowledgement takes by");
            }
        }
        JsonNode by = json.get("by");
        if (by == null || by.isNull()) {
            throw new BadParameterException("by", "by is required: who takes the alert on");
        }
        if (!by.isTextual()) {
            throw new BadParameterException("by", "by must be a string: who takes the alert on");
        }
        return new AckRequest(checkedName(by.asText().strip()));
    }

    private static String checkedName(String name) {
        if (name.isEmpty() || name.length() > Acknowledgement.MAX_BY_LENGTH) {
            throw new BadParameterException("by", "by must be 1-" + Acknowledgement.MAX_BY_LENGTH
                    + " characters, got " + name.length());
        }
        boolean printable = name.codePoints().allMatch(c -> switch (Character.getType(c)) {
            case Character.CONTROL, Character.FORMAT, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
                 Character.SURROGATE, Character.PRIVATE_USE, Character.UNASSIGNED -> false;
            default -> true;
        });
        if (!printable) {
            throw new BadParameterException("by", "by may hold printable characters only (no control or "
                    + "formatting characters)");
        }
        return name;
    }
}
