-- Portable SQL: runs unchanged on SQLite and PostgreSQL. Instants are epoch milliseconds (BIGINT).

-- 1 when a login also needs a code mailed to the user (0/1 rather than BOOLEAN: the same on both databases).
ALTER TABLE users ADD COLUMN mfa_enabled INTEGER NOT NULL DEFAULT 0;

-- Single-use login links; return_to is a same-origin path checked before it is stored.
CREATE TABLE magic_links (
  token_hash VARCHAR(64)   NOT NULL PRIMARY KEY,
  user_id    VARCHAR(36)   NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  return_to  VARCHAR(2048) NOT NULL,
  created_at BIGINT        NOT NULL,
  expires_at BIGINT        NOT NULL,
  used_at    BIGINT
);
CREATE INDEX magic_links_user ON magic_links (user_id);

-- A login waiting for its mailed code. The browser holds the challenge token (cookie), stored here hashed;
-- code_hash is SHA-256 of token and code together, so the database alone cannot be used to find the code.
CREATE TABLE mfa_challenges (
  challenge_hash VARCHAR(64) NOT NULL PRIMARY KEY,
  user_id        VARCHAR(36) NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  code_hash      VARCHAR(64) NOT NULL,
  attempts       INTEGER     NOT NULL DEFAULT 0,
  created_at     BIGINT      NOT NULL,
  expires_at     BIGINT      NOT NULL,
  used_at        BIGINT
);
CREATE INDEX mfa_challenges_user ON mfa_challenges (user_id);
