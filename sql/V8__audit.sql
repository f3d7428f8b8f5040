-- Heartbeat schema, version 8: the audit trail.
--
--   audit_log   one row per audited event (a read of a customer's data, an acknowledgement, a sign-in,
--               a change to people), append-only: seq numbers the chain without gaps, hash is a SHA-256
--               over the fields and the previous record's hash (the application computes and checks it:
--               heartbeat audit verify). Reading retention never touches it; it has its own (6 years).
--   audit_head  the chain's last seq and hash, one row: appending locks it, so records from several
--               processes still form one chain

CREATE TABLE audit_log (
    seq           bigint       PRIMARY KEY,
    at            timestamptz  NOT NULL,
    actor         varchar(200) NOT NULL,
    role          varchar(200) NOT NULL,
    action        varchar(200) NOT NULL,
    customer_id   varchar(200) COLLATE "C",
    alert_id      varchar(200) COLLATE "C",
    client        varchar(200) NOT NULL,
    outcome       varchar(200) NOT NULL,
    previous_hash char(64)     NOT NULL,
    hash          char(64)     NOT NULL
);

CREATE INDEX audit_log_by_actor ON audit_log (actor, seq DESC);
CREATE INDEX audit_log_by_customer ON audit_log (customer_id, seq DESC) WHERE customer_id IS NOT NULL;
CREATE INDEX audit_log_by_time ON audit_log (at);

CREATE TABLE audit_head (
    one  boolean  PRIMARY KEY DEFAULT true CHECK (one),
    seq  bigint   NOT NULL,
    hash char(64) NOT NULL
);
INSERT INTO audit_head (one, seq, hash) VALUES (true, 0, repeat('0', 64));

-- Records are never changed: an UPDATE is refused whoever runs it (a role that may drop this trigger
-- can still rewrite history, which is what the hash chain is there to show).
CREATE FUNCTION audit_log_append_only() RETURNS trigger
    LANGUAGE plpgsql
AS $$
BEGIN
    RAISE EXCEPTION 'audit records are append-only' USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
