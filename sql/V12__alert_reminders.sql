-- Heartbeat schema, version 12: reminders for firing alerts nobody takes on (docs/alerts.md#reminders).
--
-- raised_at is when the alert's row was made (wall clock, not the readings' time: a backlog read late
-- is not late to acknowledge), notified_at when it was last sent (fired, escalated or reminded), and
-- escalation_level how many times it was sent again because nobody acknowledged it. Alerts that exist
-- before this version count from the migration. The outbox carries the level with each transition.

ALTER TABLE alerts
    ADD COLUMN raised_at        timestamptz NOT NULL DEFAULT now(),
    ADD COLUMN notified_at      timestamptz NOT NULL DEFAULT now(),
    ADD COLUMN escalation_level smallint    NOT NULL DEFAULT 0 CHECK (escalation_level >= 0);

ALTER TABLE alert_outbox
    ALTER COLUMN kind TYPE varchar(20),
    ADD COLUMN escalation_level smallint NOT NULL DEFAULT 0,
    DROP CONSTRAINT chk_outbox_kind,
    ADD CONSTRAINT chk_outbox_kind CHECK (kind IN ('fired', 'escalated', 'resolved', 'unacknowledged', 'repeated'));
