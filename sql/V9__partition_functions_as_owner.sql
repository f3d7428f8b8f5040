-- Heartbeat schema, version 9: least privilege (docs/security.md#database-roles).
--
-- The services connect as roles that neither own nor alter the schema. Creating and dropping the daily
-- partitions needs the tables' owner, so these two functions run as their owner (SECURITY DEFINER) with
-- a search path fixed to this schema (pg_temp last, so a session's temporary tables cannot stand in for
-- the real ones), and only the roles granted EXECUTE may call them (afterMigrate__grants.sql grants it to
-- heartbeat_ingest). Rebuilding the summaries empties tables: the owner's job alone.

DO $$
BEGIN
    EXECUTE format('ALTER FUNCTION heartbeat_create_partitions(date, date) SECURITY DEFINER SET search_path = %I, pg_temp',
                   current_schema());
    EXECUTE format('ALTER FUNCTION heartbeat_drop_partitions(date) SECURITY DEFINER SET search_path = %I, pg_temp',
                   current_schema());
END
$$;

REVOKE EXECUTE ON FUNCTION heartbeat_create_partitions(date, date) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION heartbeat_drop_partitions(date) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION heartbeat_rebuild_summaries() FROM PUBLIC;
