package dev.heartbeat.core.query;

/** How the latest-reading-per-customer list is sorted. */
public enum LatestOrder {
    /** By customer id, ascending. */
    CUSTOMER,
    /** Most severe band first, then the heart rate furthest from normal, then customer id. */
    SEVERITY,
    /** Highest heart rate first, then customer id. */
    HEART_RATE_DESC,
    /** Lowest heart rate first, then customer id. */
    HEART_RATE_ASC,
    /** Most recent reading first, then customer id. */
    RECENT
}
