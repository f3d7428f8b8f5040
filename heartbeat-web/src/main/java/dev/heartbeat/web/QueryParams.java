package dev.heartbeat.web;

import dev.heartbeat.core.Durations;
import dev.heartbeat.core.query.Cursor;
import dev.heartbeat.core.query.LatestOrder;
import dev.heartbeat.core.query.TimeRange;
import dev.heartbeat.core.reading.AnomalyLevel;
import dev.heartbeat.core.reading.CustomerId;
import dev.heartbeat.core.validation.RejectReason;
import io.javalin.http.Context;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The query parameters of one API request, read strictly: a parameter the endpoint does not know,
 * a parameter given twice, or a value out of its range is a {@link BadParameterException} naming
 * the parameter. Nothing here trusts the client: lengths are capped before parsing and numbers are
 * parsed without overflow.
 */
final class QueryParams {

    /** Earliest and latest instants the API accepts, so time arithmetic in the stores cannot overflow. */
    static final Instant EARLIEST = Instant.parse("1970-01-01T00:00:00Z");
    static final Instant LATEST = Instant.parse("3000-01-01T00:00:00Z");

    private static final Pattern INTEGER = Pattern.compile("-?[0-9]{1,10}");
    private static final int MAX_VALUE_LENGTH = 12_000;

    private final Map<String, List<String>> values;

    private QueryParams(Map<String, List<String>> values) {
        this.values = values;
    }

    /** The request's parameters, refusing any name outside {@code allowed} and any name given twice. */
    static QueryParams of(Context ctx, Set<String> allowed) {
        String raw = ctx.queryString();
        if (raw != null && !isPercentEncoded(raw)) {
            throw new BadParameterException("query", "the query string is not valid URL encoding");
        }
        Map<String, List<String>> map;
        try {
            map = ctx.queryParamMap();
        } catch (RuntimeException badEncoding) {
            throw new BadParameterException("query", "the query string is not valid URL encoding");
        }
        for (Map.Entry<String, List<String>> entry : map.entrySet()) {
            String name = entry.getKey();
            if (!allowed.contains(name)) {
                throw new BadParameterException(shortened(name), "unknown parameter \"" + shortened(name)
                        + "\"; this endpoint takes " + (allowed.isEmpty() ? "no parameters" : String.join(", ", sorted(allowed))));
            }
            if (entry.getValue().isEmpty()) {
                throw new BadParameterException(shortened(name), "parameter " + shortened(name) + " has no readable value");
            }
            if (entry.getValue().size() > 1) {
                throw new BadParameterException(name, name + " is given " + entry.getValue().size() + " times; give it once");
            }
            if (entry.getValue().getFirst().length() > MAX_VALUE_LENGTH) {
                throw new BadParameterException(name, name + " is too long");
            }
        }
        return new QueryParams(map);
    }

    /** Whether every '%' starts a two-digit hex escape (the JDK's decoder would otherwise drop or guess). */
    static boolean isPercentEncoded(String raw) {
        for (int i = 0; i < raw.length(); i++) {
            if (raw.charAt(i) == '%') {
                if (i + 2 >= raw.length() || Character.digit(raw.charAt(i + 1), 16) < 0
                        || Character.digit(raw.charAt(i + 2), 16) < 0) {
                    return false;
                }
                i += 2;
            }
        }
        return true;
    }

    private static List<String> sorted(Set<String> names) {
        return names.stream().sorted().toList();
    }

    private static String shortened(String text) {
        String safe = LogText.safe(text);
        return safe.length() > 40 ? safe.substring(0, 40) + "..." : safe;
    }

    /** The value, if the parameter is present and not empty. */
    Optional<String> text(String name) {
        List<String> list = values.get(name);
        if (list == null || list.isEmpty() || list.getFirst().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(list.getFirst());
    }

    boolean has(String name) {
        return text(name).isPresent();
    }

    int integer(String name, int min, int max, int fallback) {
        return text(name).map(value -> parseInteger(name, value, min, max)).orElse(fallback);
    }

    static int parseInteger(String name, String value, int min, int max) {
        if (!INTEGER.matcher(value).matches()) {
            throw new BadParameterException(name, name + " must be a whole number " + min + "-" + max + ", got \""
                    + shortened(value) + '"');
        }
        long parsed = Long.parseLong(value);
        if (parsed < min || parsed > max) {
            throw new BadParameterException(name, name + " must be " + min + "-" + max + ", got " + parsed);
        }
        return (int) parsed;
    }

    /** A duration in the one grammar of {@link Durations}: {@code 90s}, {@code 15m}, {@code 6h}, {@code 7d}. */
    Optional<Duration> duration(String name, Duration min, Duration max) {
        return text(name).map(value -> parseDuration(name, value, min, max));
    }

    static Duration parseDuration(String name, String value, Duration min, Duration max) {
        Duration duration = Durations.parse(value).orElseThrow(() -> new BadParameterException(name,
                name + " must be a duration like " + Durations.EXAMPLES + ", got \"" + shortened(value) + '"'));
        if (duration.compareTo(min) < 0 || duration.compareTo(max) > 0) {
            throw new BadParameterException(name, name + " must be " + Durations.format(min) + " - "
                    + Durations.format(max) + ", got " + value);
        }
        return duration;
    }

    Optional<Instant> instant(String name) {
        return text(name).map(value -> parseTime(name, value));
    }

    /** An ISO-8601 time with an offset, between {@link #EARLIEST} and {@link #LATEST}. */
    static Instant parseTime(String name, String value) {
        Instant at;
        try {
            at = value.length() > 40 ? null : parseInstant(value);
        } catch (DateTimeException e) {
            at = null;
        }
        if (at == null) {
            throw new BadParameterException(name, name + " must be an ISO-8601 time with an offset, such as "
                    + "2026-05-01T12:00:00Z, got \"" + shortened(value) + '"');
        }
        if (at.isBefore(EARLIEST) || !at.isBefore(LATEST)) {
            throw new BadParameterException(name, name + " must lie between " + EARLIEST + " and " + LATEST);
        }
        return at;
    }

    private static Instant parseInstant(String value) {
        try {
            return Instant.parse(value);
        } catch (DateTimeException notUtc) {
            return OffsetDateTime.parse(value).toInstant();
        }
    }

    /**
     * The time range of a request: {@code range} (a duration up to now) or {@code from} and
     * {@code to} together, or the last {@code fallback} when neither is given. At most {@code max}
     * long; {@code from} must come before {@code to}.
     */
    TimeRange timeRange(Clock clock, Duration fallback, Duration min, Duration max) {
        boolean explicit = has("from") || has("to");
        if (has("range") && explicit) {
            throw new BadParameterException("range", "give either range or from and to, not both");
        }
        if (explicit) {
            Instant from = instant("from").orElseThrow(() -> new BadParameterException("from", "to needs from"));
            Instant to = instant("to").orElseThrow(() -> new BadParameterException("to", "from needs to"));
            if (!from.isBefore(to)) {
                throw new BadParameterException("from", "from must be before to, got from " + from + " and to " + to);
            }
            Duration length = Duration.between(from, to);
            if (length.compareTo(max) > 0) {
                throw new BadParameterException("from", "from - to may span at most " + Durations.format(max)
                        + ", got " + Durations.format(length));
            }
            return new TimeRange(from, to);
        }
        Duration length = duration("range", min, max).orElse(fallback);
        return TimeRange.last(length, clock);
    }

    /**
     * Levels as a comma-separated list of wire names, or {@code critical} (both critical bands) or
     * {@code non_normal} (every band but normal). Empty when the parameter is absent.
     */
    Set<AnomalyLevel> levels(String name, boolean normalAllowed) {
        Optional<String> given = text(name);
        if (given.isEmpty()) {
            return Set.of();
        }
        Set<AnomalyLevel> levels = EnumSet.noneOf(AnomalyLevel.class);
        for (String part : given.get().split(",", -1)) {
            String token = part.trim().toLowerCase(Locale.ROOT);
            switch (token) {
                case "critical" -> levels.addAll(EnumSet.of(AnomalyLevel.CRITICAL_LOW, AnomalyLevel.CRITICAL_HIGH));
                case "non_normal" -> levels.addAll(EnumSet.complementOf(EnumSet.of(AnomalyLevel.NORMAL)));
                default -> levels.add(AnomalyLevel.fromWireName(token).orElseThrow(() -> new BadParameterException(name,
                        name + " must be a comma-separated list of critical_low, low, normal, elevated, high, "
                                + "critical_high (or critical, non_normal), got \"" + shortened(part) + '"')));
            }
        }
        if (!normalAllowed && levels.contains(AnomalyLevel.NORMAL)) {
            throw new BadParameterException(name, name + ": normal readings are not anomalies; use the other levels");
        }
        return levels;
    }

    Optional<CustomerId> customer(String name) {
        return text(name).map(value -> customerId(name, value));
    }

    static CustomerId customerId(String name, String value) {
        if (!CustomerId.isValid(value)) {
            throw new BadParameterException(name, name + " must be a customer id: 1-" + CustomerId.MAX_LENGTH
                    + " characters from A-Z a-z 0-9 . _ : -, got \"" + shortened(value) + '"');
        }
        return CustomerId.of(value);
    }

    /** A comma-separated list of distinct customer ids, at most {@code max}. */
    List<CustomerId> customers(String name, int max) {
        Optional<String> given = text(name);
        if (given.isEmpty()) {
            return List.of();
        }
        String[] parts = given.get().split(",", -1);
        if (parts.length > max) {
            throw new BadParameterException(name, name + " takes at most " + max + " customer ids, got " + parts.length);
        }
        Set<CustomerId> ids = new LinkedHashSet<>();
        for (String part : parts) {
            ids.add(customerId(name, part));
        }
        return new ArrayList<>(ids);
    }

    /** A customer-id search text: at most 50 characters that a customer id may contain. */
    String search(String name) {
        String value = text(name).orElse("");
        if (value.length() > CustomerId.MAX_LENGTH || !(value.isEmpty() || CustomerId.isValid(value))) {
            throw new BadParameterException(name, name + " searches customer ids: at most " + CustomerId.MAX_LENGTH
                    + " characters from A-Z a-z 0-9 . _ : -, got \"" + shortened(value) + '"');
        }
        return value;
    }

    LatestOrder order(String name, LatestOrder fallback) {
        return text(name).map(value -> switch (value) {
            case "customer" -> LatestOrder.CUSTOMER;
            case "severity" -> LatestOrder.SEVERITY;
            case "heart_rate_desc" -> LatestOrder.HEART_RATE_DESC;
            case "heart_rate_asc" -> LatestOrder.HEART_RATE_ASC;
            case "recent" -> LatestOrder.RECENT;
            default -> throw new BadParameterException(name, name + " must be one of customer, severity, "
                    + "heart_rate_desc, heart_rate_asc, recent, got \"" + shortened(value) + '"');
        }).orElse(fallback);
    }

    Optional<RejectReason> reason(String name) {
        return text(name).map(value -> RejectReason.fromCode(value).orElseThrow(() -> new BadParameterException(name,
                name + " must be a reject reason code such as malformed_json or missing_field:heart_rate, got \""
                        + shortened(value) + '"')));
    }

    /** A cursor this API issued for a reading feed: its key is a customer id. */
    Optional<Cursor> readingCursor(String name) {
        return cursor(name).map(c -> {
            if (!CustomerId.isValid(c.key())) {
                throw badCursor(name);
            }
            return c;
        });
    }

    /** A cursor this API issued for the rejects feed: its key is a reject id. */
    Optional<Cursor> rejectCursor(String name) {
        return cursor(name).map(c -> {
            if (!c.key().matches("[1-9][0-9]{0,17}")) {
                throw badCursor(name);
            }
            return c;
        });
    }

    /** A cursor this API issued for a feed whose keys {@code validKey} accepts. */
    Optional<Cursor> cursor(String name, Predicate<String> validKey) {
        return cursor(name).map(c -> {
            if (!validKey.test(c.key())) {
                throw badCursor(name);
            }
            return c;
        });
    }

    private Optional<Cursor> cursor(String name) {
        return text(name).map(value -> {
            Cursor cursor = Cursor.decode(value).orElseThrow(() -> badCursor(name));
            if (cursor.at().isBefore(EARLIEST) || !cursor.at().isBefore(LATEST)) {
                throw badCursor(name);
            }
            return cursor;
        });
    }

    private static BadParameterException badCursor(String name) {
        return new BadParameterException(name, name + " is not a cursor this feed handed out; use the \"next\" "
                + "value of the previous page as it is");
    }
}
