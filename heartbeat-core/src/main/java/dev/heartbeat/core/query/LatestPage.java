package dev.heartbeat.core.query;

import dev.heartbeat.core.reading.Reading;

import java.util.List;

/** One page of latest readings and how many customers matched in all. */
public record LatestPage(List<Reading> readings, long matching) {

    public LatestPage {
        readings = List.copyOf(readings);
    }
}
