-- Portable SQL: runs unchanged on SQLite and PostgreSQL. Instants are epoch milliseconds (BIGINT).

-- API keys vst_<prefix>_<secret>: the public prefix finds the row, the secret is kept only as its SHA-256 (hex).
-- id is the tokenId clients and upstreams see; it survives rotation, which replaces prefix and secret_hash.
CREATE TABLE api_keys (
  id           VARCHAR(36)  NOT NULL PRIMARY KEY,
  user_id      VARCHAR(36)  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  name         VARCHAR(100) NOT NULL,
  prefix       VARCHAR(32)  NOT NULL,
  secret_hash  VARCHAR(64)  NOT NULL,
  privilege    VARCHAR(16)  NOT NULL CHECK (privilege IN ('custom', 'demo', 'restricted', 'protected', 'full')),
  -- an IPv4 address or network (203.0.113.7, 10.0.0.0/8); NULL for anywhere
  ipv4         VARCHAR(18),
  created_at   BIGINT       NOT NULL,
  -- NULL: never expires
  expires_at   BIGINT,
  rotated_at   BIGINT,
  last_used_at BIGINT,
  usage_count  BIGINT       NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX api_keys_prefix ON api_keys (prefix);
CREATE INDEX api_keys_user ON api_keys (user_id);
