-- spets schema, migration 5 (PRAGMA user_version = 5): an organisation's kind may be
-- not recorded (12), which is what an import gives an organisation whose kind the file
-- does not say, so that `report actors` no longer counts it as civil society. The
-- table is rebuilt to accept the new code; its rows are copied as they are.
CREATE TABLE orgs_v5 (
  vid      INTEGER PRIMARY KEY,
  id       INTEGER NOT NULL,
  rev      INTEGER NOT NULL,
  end_rev  INTEGER CHECK (end_rev >= rev),
  name     TEXT NOT NULL CHECK (length(trim(name)) > 0),
  name_key TEXT NOT NULL,
  org_no   TEXT CHECK (org_no GLOB '[0-9][0-9][0-9][0-9][0-9][0-9]-[0-9][0-9][0-9][0-9]'),
  kind     INTEGER NOT NULL CHECK (kind BETWEEN 0 AND 12)
);
INSERT INTO orgs_v5 SELECT vid, id, rev, end_rev, name, name_key, org_no, kind FROM orgs;
DROP TABLE orgs;
ALTER TABLE orgs_v5 RENAME TO orgs;
CREATE UNIQUE INDEX orgs_current_name ON orgs(name_key) WHERE end_rev IS NULL;
CREATE UNIQUE INDEX orgs_current_id ON orgs(id) WHERE end_rev IS NULL;
