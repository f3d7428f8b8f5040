-- Heartbeat schema, version 13: silences (docs/alerts.md#silences), and a note with an acknowledgement.
--
--   silences      what people muted: a customer and/or a rule and/or a severity, from starts_at to
--                 ends_at (or until ended_at, when someone ended it early), why, and who
--   alert_outbox  a transition a silence held back names it (silence_id) and waits, held, until the
--                 silence is over: then the newest one of an alert still firing is delivered, the others
--                 dropped (skipped: delivered_at is when, and nothing was sent)

CREATE TABLE silences (
    id                bigserial    PRIMARY KEY,
    customer_id       varchar(50)  COLLATE "C",
    rule              varchar(40),
    severity          varchar(20),
    includes_critical boolean      NOT NULL DEFAULT false,
    starts_at         timestamptz  NOT NULL,
    ends_at           timestamptz  NOT NULL,
    reason            varchar(500) NOT NULL,
    created_by        varchar(80)  NOT NULL,
    created_at        timestamptz  NOT NULL,
    ended_at          timestamptz,
    ended_by          varchar(80),
    CONSTRAINT chk_silence_matches CHECK (customer_id IS NOT NULL OR rule IS NOT NULL OR severity IS NOT NULL),
    CONSTRAINT chk_silence_severity CHECK (severity IN ('low', 'high', 'critical_low', 'critical_high', 'elevated')),
    CONSTRAINT chk_silence_period CHECK (ends_at > starts_at),
    CONSTRAINT chk_silence_ending CHECK ((ended_at IS NULL) = (ended_by IS NULL))
);

COMMENT ON TABLE silences IS 'Muted alerts: matchers, period, reason and author; transitions they held wait in alert_outbox';

CREATE INDEX silences_over_idx ON silences (least(ends_at, coalesce(ended_at, ends_at)));

ALTER TABLE alert_outbox
    ADD COLUMN silence_id bigint REFERENCES silences (id) ON DELETE SET NULL,
    ADD COLUMN held       boolean NOT NULL DEFAULT false,
    ADD COLUMN skipped    boolean NOT NULL DEFAULT false;

CREATE INDEX alert_outbox_held_idx ON alert_outbox (alert_id, id) WHERE held;
-- retention deletes old silences; ON DELETE SET NULL finds what they held by this
CREATE INDEX alert_outbox_silence_idx ON alert_outbox (silence_id) WHERE silence_id IS NOT NULL;

ALTER TABLE alerts ADD COLUMN acknowledged_note varchar(500);
