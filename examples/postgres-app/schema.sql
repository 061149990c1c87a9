-- The host app's own tables (examples/postgres-app). staffgate's state table comes from
-- examples/state/migration.sql; run that one too.
CREATE TABLE IF NOT EXISTS account_settings (
  id     integer PRIMARY KEY CHECK (id = 1),
  -- The admin's saved settings as entered; parsed (and so validated) by parseAccountPolicy.
  policy jsonb NOT NULL
);
CREATE TABLE IF NOT EXISTS staff_overrides (
  id   serial PRIMARY KEY,
  body jsonb NOT NULL
);
CREATE TABLE IF NOT EXISTS staff (
  id          text PRIMARY KEY,
  email       text NOT NULL UNIQUE,
  -- { salt, iterations, hash }: PBKDF2-SHA-256.
  password    jsonb NOT NULL,
  -- The authenticator-app secret, set once by a verified enrollment. The last used step is in
  -- staffgate_state (key totp:<id>), written by compare-and-swap.
  totp_secret text
);
CREATE TABLE IF NOT EXISTS pending_logins (
  id          text PRIMARY KEY,
  staff_id    text NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
  method      text NOT NULL,
  started_at  bigint NOT NULL,
  -- Steps completed, as evaluateLogin spells them: appended with one UPDATE each.
  verified    jsonb NOT NULL DEFAULT '[]',
  -- The step the last decision asked for; the only code this attempt accepts next.
  expecting   text,
  -- The enrollment shown during this login, until its first code verifies.
  pending_totp jsonb,
  failures    integer NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS sessions (
  id       text PRIMARY KEY,
  staff_id text NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
  login_at bigint NOT NULL
);
CREATE TABLE IF NOT EXISTS api_keys (
  id     text PRIMARY KEY,
  record jsonb NOT NULL
);
