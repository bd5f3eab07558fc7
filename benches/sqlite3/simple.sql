-- The simplest import a technical user would write by hand (issue 15's baseline):
-- `.import` of the generated rows into a staging table, then INSERT…SELECT into two
-- tables, projects with amounts as integer öre and project areas with shares (basis
-- points). WAL with synchronous = NORMAL, no validation, no history. `FILE` is
-- replaced by the script.
.bail on
PRAGMA journal_mode = WAL;
PRAGMA synchronous = NORMAL;
.import --csv FILE staging
BEGIN;
CREATE TABLE projects(id INTEGER PRIMARY KEY, ref TEXT NOT NULL UNIQUE, title TEXT, owner TEXT, kind TEXT,
  status TEXT, decided INTEGER, total INTEGER, eu INTEGER, public INTEGER, private INTEGER, other INTEGER);
CREATE TABLE project_areas(project_id INTEGER NOT NULL, area TEXT NOT NULL, share INTEGER NOT NULL);
CREATE TEMP VIEW sek AS SELECT s.*,
  CASE WHEN s.eu = '' THEN 0 ELSE CAST(round(s.eu * 100 * coalesce(nullif(s.rate, ''), 1)) AS INTEGER) END AS eu_ore,
  CAST(round((CAST(s.state AS REAL) + s.region + s.municipality + s.university) * 100) AS INTEGER) AS public_ore,
  CASE WHEN s.private = '' THEN 0 ELSE CAST(round(s.private * 100) AS INTEGER) END AS private_ore,
  CASE WHEN s.other = '' THEN 0 ELSE CAST(round(s.other * 100) AS INTEGER) END AS other_ore
FROM staging s;
INSERT INTO projects(ref, title, owner, kind, status, decided, total, eu, public, private, other)
SELECT ref, title, owner, kind, status, CAST(replace(decided, '-', '') AS INTEGER),
  eu_ore + public_ore + private_ore + other_ore, eu_ore, public_ore, private_ore, other_ore
FROM sek;
INSERT INTO project_areas SELECT p.id, s.area1, CAST(round(s.share1 * 100) AS INTEGER) FROM staging s JOIN projects p ON p.ref = s.ref WHERE s.area1 <> '';
INSERT INTO project_areas SELECT p.id, s.area2, CAST(round(s.share2 * 100) AS INTEGER) FROM staging s JOIN projects p ON p.ref = s.ref WHERE s.area2 <> '';
INSERT INTO project_areas SELECT p.id, s.area3, CAST(round(s.share3 * 100) AS INTEGER) FROM staging s JOIN projects p ON p.ref = s.ref WHERE s.area3 <> '';
DROP TABLE staging;
COMMIT;
