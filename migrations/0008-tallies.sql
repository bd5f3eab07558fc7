-- spets schema, migration 8 (PRAGMA user_version = 8): tallies, the sums the headline
-- reports read instead of scanning every project. Each change that touches projects or
-- payments appends what it changed in them: per area (0 for the projects themselves),
-- status, kind and year of decision, the number of project versions, of first areas,
-- the amounts and what was paid. The tallies up to a change are the sums as of that
-- change. Each change's tallies are digested into its changes row (`tally`), which its
-- seal covers; the tallies a database had when it was migrated (at the change it had
-- then) are checked against the projects and payments themselves by `audit verify`.
CREATE TABLE tallies (
  rev      INTEGER NOT NULL CHECK (rev >= 0),
  area_id  INTEGER NOT NULL,
  status   INTEGER NOT NULL CHECK (status BETWEEN 0 AND 6),
  kind     INTEGER NOT NULL CHECK (kind BETWEEN 0 AND 2),
  year     INTEGER,
  n        INTEGER NOT NULL,
  firsts   INTEGER NOT NULL,
  total    INTEGER NOT NULL,
  eu       INTEGER NOT NULL,
  public   INTEGER NOT NULL,
  private  INTEGER NOT NULL,
  other    INTEGER NOT NULL,
  paid     INTEGER NOT NULL
);
ALTER TABLE changes ADD COLUMN tally BLOB CHECK (length(tally) = 32);
