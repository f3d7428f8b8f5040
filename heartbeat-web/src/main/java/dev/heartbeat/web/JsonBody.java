package dev.heartbeat.web;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.javalin.http.Context;

import java.io.IOException;
import java.util.Iterator;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The JSON body of a request that changes something: {@code application/json} only, size-capped, one
 * object with known fields, no duplicates (an empty body is an empty object). Requiring the JSON type is a guard against cross-site request
 * forgery besides the Origin check: a form on another site can only send form, multipart or plain-text
 * bodies, and a script on another origin that sets this type must pass a CORS preflight, which this
 * server never grants.
 */
final class JsonBody {

    private JsonBody() {
    }

    /** Whether a {@code Content-Type} header names JSON ({@code application/json}, parameters allowed). */
    static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semicolon = contentType.indexOf(';');
        String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip();
        return type.toLowerCase(Locale.ROOT).equals("application/json");
    }

    /**
     * The body as an object, or empty when the request was answered already (415 not JSON, 413 too
     * large). An empty body is an empty object; a {@link BadParameterException} names anything else
     * that is wrong, {@code example} shows the right shape.
     */
    static Optional<JsonNode> object(Context ctx, ObjectMapper mapper, int maxBytes, Set<String> fields, String example) {
        if (!isJson(ctx.header("Content-Type"))) {
            ErrorResponses.send(ctx, 415, "unsupported_media_type", null, "send the body as JSON with Content-Type: application/json");
            return Optional.empty();
        }
        byte[] body = ctx.bodyAsBytes();
        if (body.length == 0) {
            return Optional.of(JsonNodeFactory.instance.objectNode());
        }
        if (body.length > maxBytes) {
            ErrorResponses.send(ctx, 413, "payload_too_large", "body", "this body has at most " + maxBytes + " bytes");
            return Optional.empty();
        }
        JsonNode json;
        try {
            json = mapper.reader()
                    .with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                    .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                    .readTree(body);
        } catch (IOException notJson) {
            throw new BadParameterException("body", "the body must be a JSON object such as " + example);
        }
        if (json == null || !json.isObject()) {
            throw new BadParameterException("body", "the body must be a JSON object such as " + example);
        }
        for (Iterator<String> names = json.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!fields.contains(name)) {
                throw new BadParameterException(LogText.shortened(name), "unknown field \"" + LogText.shortened(name)
                        + "\"; this body looks like " + example);
            }
        }
        return Optional.of(json);
    }

    /** A required text field of {@code json}. */
    static String text(JsonNode json, String field, int maxLength) {
        JsonNode value = json.get(field);
        if (value == null || value.isNull() || !value.isTextual()) {
            throw new BadParameterException(field, field + " is required, as a string");
        }
        String text = value.asText();
        if (text.isEmpty() || text.length() > maxLength) {
            throw new BadParameterException(field, field + " must be 1-" + maxLength + " characters, got " + text.length());
        }
        return text;
    }
}
