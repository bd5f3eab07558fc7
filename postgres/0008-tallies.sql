-- The spets schema on PostgreSQL, migration 8: tallies, as migrations/0008-tallies.sql
-- has them on SQLite.

CREATE TABLE tallies (
  rev      BIGINT NOT NULL CHECK (rev >= 0),
  area_id  BIGINT NOT NULL,
  status   BIGINT NOT NULL CHECK (status BETWEEN 0 AND 6),
  kind     BIGINT NOT NULL CHECK (kind BETWEEN 0 AND 2),
  year     BIGINT,
  n        BIGINT NOT NULL,
  firsts   BIGINT NOT NULL,
  total    BIGINT NOT NULL,
  eu       BIGINT NOT NULL,
  public   BIGINT NOT NULL,
  private  BIGINT NOT NULL,
  other    BIGINT NOT NULL,
  paid     BIGINT NOT NULL
);
ALTER TABLE changes ADD COLUMN tally BYTEA CHECK (octet_length(tally) = 32);
