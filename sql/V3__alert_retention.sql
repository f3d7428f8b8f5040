-- Retention removes alerts resolved before its cutoff, and their outbox rows with them (ON DELETE
-- CASCADE). The cascade looks up alert_outbox by alert_id for every alert it removes; the partial index
-- of V2 covers undelivered rows only, so without this one each lookup would scan the whole outbox.
CREATE INDEX alert_outbox_alert_idx ON alert_outbox (alert_id);
