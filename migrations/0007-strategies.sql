-- spets schema, migration 7 (PRAGMA user_version = 7): strategies, crosswalks between
-- them, and the region's own indicator codes, each versioned like every other record
-- and each change of one an audit entry (entity 7 strategy, 8 crosswalk, 9 indicator
-- code). The audit table is rebuilt to accept the new entities; its rows are copied as
-- they are, so every hash stays valid.

DROP TRIGGER audit_append_only_update;
DROP TRIGGER audit_append_only_delete;
CREATE TABLE audit_v7 (
  seq        INTEGER PRIMARY KEY,
  rev        INTEGER NOT NULL,
  entity     INTEGER NOT NULL CHECK (entity BETWEEN 0 AND 9),
  key        TEXT NOT NULL,
  action     INTEGER NOT NULL CHECK (action BETWEEN 0 AND 2),
  before_vid INTEGER,
  after_vid  INTEGER,
  hash       BLOB NOT NULL CHECK (length(hash) = 32)
);
INSERT INTO audit_v7 SELECT seq, rev, entity, key, action, before_vid, after_vid, hash FROM audit;
DROP TABLE audit;
ALTER TABLE audit_v7 RENAME TO audit;
CREATE TRIGGER audit_append_only_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
CREATE TRIGGER audit_append_only_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;

-- A strategy: a set of areas valid over a period, named by its first year (`2015`).
CREATE TABLE strategies (
  vid        INTEGER PRIMARY KEY,
  id         INTEGER NOT NULL,
  rev        INTEGER NOT NULL,
  end_rev    INTEGER CHECK (end_rev >= rev),
  name       TEXT NOT NULL CHECK (name GLOB '[12][0-9][0-9][0-9]'),
  title_sv   TEXT NOT NULL CHECK (length(trim(title_sv)) > 0),
  title_en   TEXT NOT NULL CHECK (length(trim(title_en)) > 0),
  valid_from INTEGER NOT NULL CHECK (valid_from BETWEEN 19000101 AND 29991231),
  valid_to   INTEGER CHECK (valid_to BETWEEN 19000101 AND 29991231),
  CHECK (valid_to IS NULL OR valid_from <= valid_to)
);
CREATE UNIQUE INDEX strategies_current_name ON strategies(name) WHERE end_rev IS NULL;
CREATE UNIQUE INDEX strategies_current_id ON strategies(id) WHERE end_rev IS NULL;

-- An area belongs to one strategy; a horizontal theme is an area of it that cuts
-- across the others. Areas from before schema 7 have no strategy until the migration's
-- change (by user spets) puts them in the 2022 one.
ALTER TABLE areas ADD COLUMN strategy_id INTEGER;
ALTER TABLE areas ADD COLUMN horizontal INTEGER NOT NULL DEFAULT 0 CHECK (horizontal IN (0, 1));

-- The crosswalk: an area of an earlier strategy continues in areas of a later one, by
-- share (basis points; an area's shares sum to 10 000). An area with no row here has
-- no successor.
CREATE TABLE crosswalk (
  vid     INTEGER PRIMARY KEY,
  rev     INTEGER NOT NULL,
  end_rev INTEGER CHECK (end_rev >= rev),
  from_id INTEGER NOT NULL,
  to_id   INTEGER NOT NULL,
  share   INTEGER NOT NULL CHECK (share > 0 AND share <= 10000),
  CHECK (from_id <> to_id)
);
CREATE UNIQUE INDEX crosswalk_current ON crosswalk(from_id, to_id) WHERE end_rev IS NULL;

-- The region's own indicator codes (the EU's common indicators are built into spets).
-- summable: 1 when values may be added across projects.
CREATE TABLE indicator_codes (
  vid      INTEGER PRIMARY KEY,
  rev      INTEGER NOT NULL,
  end_rev  INTEGER CHECK (end_rev >= rev),
  code     TEXT NOT NULL CHECK (length(code) BETWEEN 1 AND 32),
  name_en  TEXT NOT NULL CHECK (length(trim(name_en)) > 0),
  name_sv  TEXT NOT NULL CHECK (length(trim(name_sv)) > 0),
  unit     TEXT NOT NULL CHECK (length(trim(unit)) > 0),
  summable INTEGER NOT NULL CHECK (summable IN (0, 1))
);
CREATE UNIQUE INDEX indicator_codes_current ON indicator_codes(code) WHERE end_rev IS NULL;
