-- Heartbeat schema, version 2: alerts.
--
--   alerts        one row per alert (id = customer/rule/first triggering reading, so a replay is the same
--                 alert): its rule and settings, severity, state, provenance, acknowledgement
--   alert_outbox  every transition (fired, escalated, resolved) written in the same transaction as the
--                 readings that caused it, waiting to be delivered to the alert sinks (webhook, log)

CREATE TABLE alerts (
    id                    text        COLLATE "C" PRIMARY KEY,
    customer_id           varchar(50) COLLATE "C" NOT NULL,
    rule                  varchar(40) NOT NULL,
    -- the rule's settings when the alert was raised, e.g. 'high:60000,critical_high:10000'
    rule_pending_ms       text        NOT NULL,
    rule_resolve_after_ms bigint      NOT NULL,
    rule_explained_by     text        NOT NULL DEFAULT '',
    severity              varchar(20) NOT NULL,
    state                 varchar(10) NOT NULL,
    first_at              timestamptz NOT NULL,
    first_heart_rate      smallint    NOT NULL,
    first_activity        varchar(10) NOT NULL,
    last_at               timestamptz NOT NULL,
    last_heart_rate       smallint    NOT NULL,
    last_activity         varchar(10) NOT NULL,
    peak_at               timestamptz NOT NULL,
    peak_heart_rate       smallint    NOT NULL,
    peak_activity         varchar(10) NOT NULL,
    fired_at              timestamptz NOT NULL,
    resolved_at           timestamptz,
    acknowledged_at       timestamptz,
    acknowledged_by       varchar(80),
    updated_at            timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT chk_alert_severity CHECK (severity IN ('low', 'high', 'critical_low', 'critical_high', 'elevated')),
    CONSTRAINT chk_alert_state CHECK (state IN ('firing', 'resolved')),
    CONSTRAINT chk_alert_resolution CHECK ((state = 'resolved') = (resolved_at IS NOT NULL))
);

COMMENT ON TABLE alerts IS 'Debounced alerts with provenance; open ones have state firing';

CREATE INDEX alerts_open_idx ON alerts (customer_id) WHERE state = 'firing';
CREATE INDEX alerts_fired_idx ON alerts (fired_at DESC, id DESC);
CREATE INDEX alerts_customer_fired_idx ON alerts (customer_id, fired_at DESC, id DESC);

CREATE TABLE alert_outbox (
    id              bigserial   PRIMARY KEY,
    alert_id        text        NOT NULL REFERENCES alerts (id) ON DELETE CASCADE,
    kind            varchar(10) NOT NULL,
    at              timestamptz NOT NULL,
    -- the alert as this transition left it
    severity        varchar(20) NOT NULL,
    state           varchar(10) NOT NULL,
    last_at         timestamptz NOT NULL,
    last_heart_rate smallint    NOT NULL,
    last_activity   varchar(10) NOT NULL,
    peak_at         timestamptz NOT NULL,
    peak_heart_rate smallint    NOT NULL,
    peak_activity   varchar(10) NOT NULL,
    resolved_at     timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now(),
    delivered_at    timestamptz,
    attempts        integer     NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT '-infinity',
    last_error      text,
    CONSTRAINT chk_outbox_kind CHECK (kind IN ('fired', 'escalated', 'resolved'))
);

COMMENT ON TABLE alert_outbox IS 'Alert transitions waiting for delivery; one alert''s transitions are delivered in id order';

CREATE INDEX alert_outbox_undelivered_idx ON alert_outbox (alert_id, id) WHERE delivered_at IS NULL;
