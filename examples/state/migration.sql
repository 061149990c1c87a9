-- staffgate state on PostgreSQL: one table for every record the state helpers keep
-- (one-time-code challenges, TOTP steps, lockout records). Run once, before the app starts.
CREATE TABLE IF NOT EXISTS staffgate_state (
  key        text PRIMARY KEY,
  -- The record as JSON text, exactly as written (jsonb would reorder keys and refuse \u0000).
  value      text NOT NULL,
  -- From one sequence, so a version is never reused, not even after the row expired.
  version    bigint NOT NULL,
  expires_at timestamptz NOT NULL
);
CREATE SEQUENCE IF NOT EXISTS staffgate_state_version;
-- For the sweep that deletes expired rows (sweepExpiredState); reads ignore them already.
CREATE INDEX IF NOT EXISTS staffgate_state_expires_at ON staffgate_state (expires_at);
