-- Heartbeat schema, version 11: gaps never silent, positions bound to their topic (docs/design.md#gaps).
--
--   stream_topics  per topic, the broker's topic id the stored positions belong to. A topic deleted and
--                  made again under the same name starts its offsets over: its id differs, and the
--                  consumer refuses to apply the old positions to it unless the operator allows it.
--                  A database from before this version binds to the id it first sees.
--   stream_gaps    offsets skipped for any reason, never read and never stored: the log start passed
--                  the stored position (retention), or the topic was replaced. Written in the same
--                  transaction as the position that passes the gap. Kept for good: a record of what was
--                  lost.

CREATE TABLE stream_topics (
    topic    text        PRIMARY KEY,
    topic_id text        NOT NULL,
    bound_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE stream_gaps (
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    topic       text        NOT NULL,
    topic_id    text,
    partition   integer     NOT NULL CHECK (partition >= 0),
    from_offset bigint      NOT NULL CHECK (from_offset >= 0),
    to_offset   bigint      NOT NULL,
    detected_at timestamptz NOT NULL,
    reason      text        NOT NULL CHECK (reason IN ('removed_before_read', 'topic_replaced')),
    detail      text        NOT NULL,
    CHECK (to_offset > from_offset OR (reason = 'topic_replaced' AND to_offset = from_offset))
);
