-- spets schema, migration 9 (PRAGMA user_version = 9): narrower rows.
--
-- A project version's `total`, and each of its allocations', is no longer stored but
-- computed from the four report columns it is the sum of (a VIRTUAL generated column):
-- it can no longer disagree with them. An allocation's copy of its version's decision
-- date becomes the year of it (`year`), which is what the tallies and the breakdowns
-- read; a date inside a year is read from the project. A million projects take about
-- 22 MiB less. Both tables are rebuilt; every other column and every row is copied as
-- it is. (spets turns foreign keys off while it migrates, as SQLite's own way of
-- rebuilding a table that other tables refer to asks.)
CREATE TABLE projects_v9 (
  vid            INTEGER PRIMARY KEY,
  rev            INTEGER NOT NULL,
  end_rev        INTEGER CHECK (end_rev >= rev),
  ref            TEXT NOT NULL CHECK (length(ref) BETWEEN 1 AND 256),
  title          TEXT NOT NULL,
  owner_id       INTEGER NOT NULL,
  kind           INTEGER NOT NULL CHECK (kind BETWEEN 0 AND 2),
  parent         TEXT,
  programme_id   INTEGER,
  fund_id        INTEGER,
  status         INTEGER NOT NULL CHECK (status BETWEEN 0 AND 6),
  decided        INTEGER CHECK (decided BETWEEN 19000101 AND 29991231),
  start          INTEGER CHECK (start BETWEEN 19000101 AND 29991231),
  "end"          INTEGER CHECK ("end" BETWEEN 19000101 AND 29991231),
  municipalities INTEGER NOT NULL DEFAULT 0,
  notes          TEXT,
  total          INTEGER AS (eu + public + private + other) VIRTUAL,
  eu             INTEGER NOT NULL CHECK (eu >= 0),
  public         INTEGER NOT NULL CHECK (public >= 0),
  private        INTEGER NOT NULL CHECK (private >= 0),
  other          INTEGER NOT NULL CHECK (other >= 0),
  overrun        INTEGER NOT NULL DEFAULT 0 CHECK (overrun IN (0, 1)),
  source_name_id INTEGER,
  source_ref     TEXT CHECK (length(source_ref) BETWEEN 1 AND 256),
  source_file_id INTEGER,
  source_line    INTEGER CHECK (source_line IS NULL OR (source_line >= 1 AND source_file_id IS NOT NULL)),
  CHECK (start IS NULL OR "end" IS NULL OR start <= "end"),
  CHECK (kind <> 2 OR parent IS NOT NULL)
);
INSERT INTO projects_v9(vid, rev, end_rev, ref, title, owner_id, kind, parent, programme_id, fund_id, status,
                        decided, start, "end", municipalities, notes, eu, public, private, other, overrun,
                        source_name_id, source_ref, source_file_id, source_line)
  SELECT vid, rev, end_rev, ref, title, owner_id, kind, parent, programme_id, fund_id, status,
         decided, start, "end", municipalities, notes, eu, public, private, other, overrun,
         source_name_id, source_ref, source_file_id, source_line
  FROM projects ORDER BY vid;
DROP TABLE projects;
ALTER TABLE projects_v9 RENAME TO projects;
CREATE UNIQUE INDEX projects_current_ref ON projects(ref) WHERE end_rev IS NULL;

CREATE TABLE allocations_v9 (
  project_vid INTEGER NOT NULL REFERENCES projects(vid),
  position    INTEGER NOT NULL,
  area_id     INTEGER NOT NULL,
  share       INTEGER NOT NULL CHECK (share > 0 AND share <= 10000),
  total       INTEGER AS (eu + public + private + other) VIRTUAL,
  eu          INTEGER NOT NULL CHECK (eu >= 0),
  public      INTEGER NOT NULL CHECK (public >= 0),
  private     INTEGER NOT NULL CHECK (private >= 0),
  other       INTEGER NOT NULL CHECK (other >= 0),
  status      INTEGER NOT NULL CHECK (status BETWEEN 0 AND 6),
  kind        INTEGER NOT NULL CHECK (kind BETWEEN 0 AND 2),
  year        INTEGER,
  end_rev     INTEGER,
  PRIMARY KEY (project_vid, position)
) WITHOUT ROWID;
INSERT INTO allocations_v9(project_vid, position, area_id, share, eu, public, private, other, status, kind, year, end_rev)
  SELECT project_vid, position, area_id, share, eu, public, private, other, status, kind, decided / 10000, end_rev
  FROM allocations ORDER BY project_vid, position;
DROP TABLE allocations;
ALTER TABLE allocations_v9 RENAME TO allocations;
