-- Portable SQL: runs unchanged on SQLite and PostgreSQL. Instants are epoch milliseconds (BIGINT).

CREATE TABLE users (
  id                  VARCHAR(36)   NOT NULL PRIMARY KEY,
  name                VARCHAR(200)  NOT NULL,
  email               VARCHAR(320)  NOT NULL,
  -- email trimmed and lower-cased: the unique, case-insensitive lookup key
  email_key           VARCHAR(320)  NOT NULL,
  password_hash       VARCHAR(255)  NOT NULL,
  -- space-separated, like OAuth scopes
  roles               VARCHAR(1000) NOT NULL,
  created_at          BIGINT        NOT NULL,
  password_changed_at BIGINT        NOT NULL
);
CREATE UNIQUE INDEX users_email_key ON users (email_key);

-- One login: the chain of refresh tokens that rotation produces from it.
CREATE TABLE refresh_families (
  id             VARCHAR(36)  NOT NULL PRIMARY KEY,
  user_id        VARCHAR(36)  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  client_id      VARCHAR(200) NOT NULL,
  chain_key      VARCHAR(64)  NOT NULL,
  created_at     BIGINT       NOT NULL,
  revoked_at     BIGINT,
  revoked_reason VARCHAR(32)
);
CREATE INDEX refresh_families_user ON refresh_families (user_id);

-- Every refresh token of a family, hashed; rotated ones stay (until they expire) to recognise reuse.
CREATE TABLE refresh_tokens (
  token_hash VARCHAR(64) NOT NULL PRIMARY KEY,
  family_id  VARCHAR(36) NOT NULL REFERENCES refresh_families (id) ON DELETE CASCADE,
  generation INTEGER     NOT NULL,
  issued_at  BIGINT      NOT NULL,
  expires_at BIGINT      NOT NULL,
  rotated_at BIGINT
);
CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);

CREATE TABLE password_resets (
  token_hash VARCHAR(64) NOT NULL PRIMARY KEY,
  user_id    VARCHAR(36) NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at BIGINT      NOT NULL,
  expires_at BIGINT      NOT NULL,
  used_at    BIGINT
);
CREATE INDEX password_resets_user ON password_resets (user_id);

-- Private signing keys as JWK JSON; the newest signs, the others only verify until they are pruned.
CREATE TABLE signing_keys (
  kid        VARCHAR(64) NOT NULL PRIMARY KEY,
  jwk        TEXT        NOT NULL,
  created_at BIGINT      NOT NULL
);
