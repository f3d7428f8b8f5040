-- How far from normal a band is, for sorting by severity: 3 critical (critical_low, critical_high), 2 low
-- or high, 1 elevated, 0 normal (the application's AnomalyLevel.severity). One definition for every query
-- that ranks readings (anomaly_level) or alerts (severity) by it, and for psql users:
--   SELECT * FROM recent_heartbeats ORDER BY heartbeat_severity(anomaly_level) DESC;
-- A plain SQL expression, so the planner inlines it: no index is on it, nor defeated by it.
CREATE FUNCTION heartbeat_severity(level text) RETURNS integer
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE level
    WHEN 'critical_low' THEN 3
    WHEN 'critical_high' THEN 3
    WHEN 'low' THEN 2
    WHEN 'high' THEN 2
    WHEN 'elevated' THEN 1
    ELSE 0
END;
