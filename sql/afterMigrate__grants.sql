-- What each service role may do (docs/security.md#database-roles), applied by Flyway after every migrate,
-- so a table a migration adds is granted in the same run. Each role's privileges are first revoked, then
-- granted exactly: a privilege dropped here is gone after the next migrate. A role that does not exist
-- (a single-user database, the demo) is skipped, and so is an object or a column a migration has not made
-- yet (a migrate to an earlier target); `heartbeat setup-database` creates the roles.
--
--   heartbeat_owner      owns every object and runs the migrations (this script runs as it)
--   heartbeat_ingest     the consumers: readings, rejects, positions, gaps, summaries, alerts and their outbox,
--                        the silences (read; retention deletes old ones), partitions through the two owner's functions, retention's deletes
--   heartbeat_dashboard  the dashboard and the users and audit commands: reads, acknowledgements, silences,
--                        people and tokens, audit records appended (never changed; deleted only
--                        through the owner's retention function, older than a year at least)
--   heartbeat_reporting  Grafana and pgAdmin: the seed's views, the summaries, alerts and the pipeline's
--                        tables, read-only; not the raw readings, rejects, people, tokens or the audit trail

DO $$
DECLARE
    service text;
    item    record;
    object  text;
BEGIN
    FOREACH service IN ARRAY ARRAY['heartbeat_ingest', 'heartbeat_dashboard', 'heartbeat_reporting'] LOOP
        IF to_regrole(service) IS NOT NULL THEN
            EXECUTE format('REVOKE ALL ON ALL TABLES IN SCHEMA %I FROM %I', current_schema(), service);
            EXECUTE format('REVOKE ALL ON ALL SEQUENCES IN SCHEMA %I FROM %I', current_schema(), service);
            EXECUTE format('GRANT USAGE ON SCHEMA %I TO %I', current_schema(), service);
        END IF;
    END LOOP;

    FOR item IN SELECT * FROM (VALUES
        ('heartbeat_ingest', 'SELECT', 'TABLE', 'flyway_schema_history, heartbeat_unsummarized, heartbeat_minute_rollups'),
        ('heartbeat_ingest', 'SELECT, INSERT', 'TABLE', 'heartbeat_records'),
        ('heartbeat_ingest', 'SELECT, INSERT, DELETE', 'TABLE', 'rejected_readings, ingest_batches'),
        ('heartbeat_ingest', 'SELECT, INSERT, UPDATE', 'TABLE', 'stream_positions, stream_reject_counts, stream_topics'),
        ('heartbeat_ingest', 'SELECT, INSERT', 'TABLE', 'stream_gaps'),
        ('heartbeat_ingest', 'SELECT, UPDATE', 'TABLE', 'summary_state'),
        ('heartbeat_ingest', 'SELECT, INSERT, UPDATE, DELETE', 'TABLE',
            'customers, heartbeat_minutes, heartbeat_days, heartbeat_minute_totals, alerts, alert_outbox'),
        ('heartbeat_ingest', 'USAGE', 'SEQUENCE', 'alert_outbox_id_seq, stream_gaps_id_seq'),
        ('heartbeat_ingest', 'SELECT, DELETE', 'TABLE', 'silences'),
        ('heartbeat_ingest', 'EXECUTE', 'FUNCTION', 'heartbeat_create_partitions(date,date)'),
        ('heartbeat_ingest', 'EXECUTE', 'FUNCTION', 'heartbeat_drop_partitions(date)'),

        ('heartbeat_dashboard', 'SELECT', 'TABLE', 'flyway_schema_history, heartbeat_records, rejected_readings, '
            || 'ingest_batches, stream_positions, stream_reject_counts, stream_topics, stream_gaps, summary_state, '
            || 'customers, heartbeat_minutes, '
            || 'heartbeat_days, heartbeat_minute_totals, alerts, alert_outbox, heartbeat_unsummarized, '
            || 'heartbeat_minute_rollups, recent_heartbeats, critical_anomalies, customer_stats'),
        ('heartbeat_dashboard', 'UPDATE (acknowledged_at, acknowledged_by, updated_at)', 'TABLE', 'alerts'),
        ('heartbeat_dashboard', 'UPDATE (acknowledged_note)', 'TABLE', 'alerts'),
        ('heartbeat_dashboard', 'SELECT, INSERT', 'TABLE', 'silences'),
        ('heartbeat_dashboard', 'UPDATE (ended_at, ended_by)', 'TABLE', 'silences'),
        ('heartbeat_dashboard', 'USAGE', 'SEQUENCE', 'silences_id_seq'),
        ('heartbeat_dashboard', 'SELECT, INSERT, UPDATE', 'TABLE', 'accounts, api_tokens'),
        ('heartbeat_dashboard', 'SELECT, INSERT', 'TABLE', 'audit_log'),
        ('heartbeat_dashboard', 'SELECT, UPDATE', 'TABLE', 'audit_head'),
        ('heartbeat_dashboard', 'EXECUTE', 'FUNCTION', 'heartbeat_trim_audit(interval)'),

        ('heartbeat_reporting', 'SELECT', 'TABLE', 'flyway_schema_history, recent_heartbeats, critical_anomalies, '
            || 'customer_stats, customers, heartbeat_days, heartbeat_minute_totals, alerts, stream_positions, '
            || 'stream_reject_counts, stream_topics, stream_gaps, ingest_batches, summary_state')
    ) AS grants (grantee, privileges, kind, objects) LOOP
        CONTINUE WHEN to_regrole(item.grantee) IS NULL;
        FOREACH object IN ARRAY string_to_array(item.objects, ', ') LOOP
            CONTINUE WHEN CASE item.kind WHEN 'FUNCTION' THEN to_regprocedure(object) IS NULL
                                         ELSE to_regclass(object) IS NULL END;
            -- a grant on columns a migration has not made yet (a migrate to an earlier target) is skipped too
            CONTINUE WHEN item.privileges LIKE '%(%' AND EXISTS (
                SELECT 1 FROM unnest(string_to_array(substring(item.privileges FROM '\((.*?)\)'), ', ')) AS c(name)
                WHERE NOT EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = to_regclass(object)
                                  AND a.attname = c.name AND NOT a.attisdropped));
            EXECUTE format('GRANT %s ON %s %s TO %I', item.privileges, item.kind, object, item.grantee);
        END LOOP;
    END LOOP;
END
$$;
