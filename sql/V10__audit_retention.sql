-- Heartbeat schema, version 10: the audit trail's own retention (docs/security.md#the-audit-trail).
--
-- heartbeat_trim_audit(keep) removes the records older than keep by the database's clock (one clock for
-- every process), as a prefix of the chain: every record up to the newest old one, never the newest
-- record of all, so what remains still verifies from its first record on. It refuses to keep less than
-- a year. It runs as the table's owner (only the owner may delete audit records) and only the roles
-- granted EXECUTE may call it (afterMigrate__grants.sql: heartbeat_dashboard, which writes the trail).

CREATE FUNCTION heartbeat_trim_audit(keep interval) RETURNS bigint
    LANGUAGE plpgsql
AS $$
DECLARE
    last_old bigint;
    removed  bigint;
BEGIN
    IF keep IS NULL OR keep < interval '365 days' THEN
        RAISE EXCEPTION 'audit records are kept at least 365 days, not %', keep USING ERRCODE = 'invalid_parameter_value';
    END IF;
    SELECT max(seq) FILTER (WHERE at < now() - keep) INTO last_old FROM audit_log;
    IF last_old IS NULL THEN
        RETURN 0;
    END IF;
    last_old := least(last_old, (SELECT max(seq) - 1 FROM audit_log));
    DELETE FROM audit_log WHERE seq <= last_old;
    GET DIAGNOSTICS removed = ROW_COUNT;
    RETURN removed;
END
$$;

DO $$
BEGIN
    EXECUTE format('ALTER FUNCTION heartbeat_trim_audit(interval) SECURITY DEFINER SET search_path = %I, pg_temp',
                   current_schema());
END
$$;

REVOKE EXECUTE ON FUNCTION heartbeat_trim_audit(interval) FROM PUBLIC;
