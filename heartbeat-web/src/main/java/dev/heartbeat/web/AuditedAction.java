package dev.heartbeat.web;

import java.util.Optional;

/**
 * Which requests the audit trail records, and as what: every read of customers' data (a customer's
 * view, history, statistics and readings; the overview, sparklines, anomalies, rejects, alerts, the live
 * stream), every action on an alert, every read, making and ending of silences, and every read of the
 * trail itself. The pipeline's health, the
 * page's metadata, the metrics and the probes hold no one's data and are not recorded.
 *
 * @param name     e.g. {@code customer.history}, {@code alert.acknowledge}
 * @param customer the customer concerned, when the request names one (or several, comma-separated)
 * @param alert    the alert concerned, when it names one
 */
record AuditedAction(String name, Optional<String> customer, Optional<String> alert) {

    /**
     * The action of a request: {@code path} normalized (lower case), {@code keptCase} the same with its
     * case kept, {@code customers} the request's {@code customer} or {@code customers} parameter.
     */
    static Optional<AuditedAction> of(String method, String path, String keptCase, Optional<String> customers) {
        String[] parts = keptCase.split("/", -1); // "", "api", ...
        if (path.startsWith("/api/customers/") && parts.length >= 4) {
            String customer = parts[3];
            String what = parts.length == 4 ? "latest" : parts[4];
            return Optional.of(new AuditedAction("customer." + what, Optional.of(customer), Optional.empty()));
        }
        if (path.startsWith("/api/alerts/") && !path.equals("/api/alerts/active")) {
            boolean ack = path.endsWith("/ack") && !method.equals("GET") && !method.equals("HEAD");
            String id = keptCase.substring("/api/alerts/".length(), ack ? keptCase.length() - "/ack".length() : keptCase.length());
            int slash = id.indexOf('/');
            return Optional.of(new AuditedAction(ack ? "alert.acknowledge" : "alert.read",
                    Optional.of(slash < 0 ? id : id.substring(0, slash)), Optional.of(id)));
        }
        if (path.equals("/api/silences") || path.startsWith("/api/silences/")) {
            boolean safe = method.equals("GET") || method.equals("HEAD");
            return Optional.of(new AuditedAction(safe ? "silences" : path.endsWith("/end") ? "silence.end" : "silence.create",
                    Optional.empty(), Optional.empty()));
        }
        String name = switch (path) {
            case "/api/overview", "/api/customers" -> "overview";
            case "/api/sparklines" -> "sparklines";
            case "/api/anomalies" -> "anomalies";
            case "/api/rejects" -> "rejects";
            case "/api/alerts", "/api/alerts/active" -> "alerts";
            case "/api/stream" -> "stream";
            case "/api/audit" -> "audit.read";
            default -> null;
        };
        return Optional.ofNullable(name).map(n -> new AuditedAction(n, customers.filter(c -> !c.isBlank()), Optional.empty()));
    }
}
