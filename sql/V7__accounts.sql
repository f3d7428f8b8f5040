-- Heartbeat schema, version 7: the people who may use the dashboard.
--
--   accounts    one row per person: a unique name, a role (viewer < responder < admin), the password's
--               memory-hard hash (Argon2id, parameters and salt inside it; never the password), disabled
--   api_tokens  per-person tokens for scripts: the public id and a SHA-256 of the secret (never the
--               secret); a token acts with its account's current role until revoked

CREATE TABLE accounts (
    username      varchar(64) COLLATE "C" PRIMARY KEY
                  CHECK (username ~ '^[a-z0-9][a-z0-9._@-]{0,63}$'),
    role          varchar(10) NOT NULL CHECK (role IN ('viewer', 'responder', 'admin')),
    password_hash text        NOT NULL,
    disabled      boolean     NOT NULL DEFAULT false,
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL
);

CREATE TABLE api_tokens (
    id           varchar(32) COLLATE "C" PRIMARY KEY,
    username     varchar(64) COLLATE "C" NOT NULL REFERENCES accounts (username),
    label        varchar(80) NOT NULL,
    secret_hash  bytea       NOT NULL CHECK (length(secret_hash) = 32),
    created_at   timestamptz NOT NULL,
    revoked_at   timestamptz
);

CREATE INDEX api_tokens_by_account ON api_tokens (username, created_at DESC);
