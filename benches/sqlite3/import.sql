-- The sqlite3 CLI doing an import by hand: `.import` of the generated rows (areas
-- flattened into columns) into a staging table, then INSERT…SELECT into tables of the
-- same shape as spets's, amounts as integer öre (each amount converted on its own, as
-- spets does: the row's currency and rate are the eu amount's, the others are SEK),
-- organisations and partners split out. `FILE` is replaced by the script.
.bail on
PRAGMA journal_mode = WAL;
PRAGMA synchronous = FULL;
.import --csv FILE staging
BEGIN;
CREATE TABLE orgs(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, org_no TEXT, kind TEXT);
CREATE TABLE projects(vid INTEGER PRIMARY KEY, ref TEXT NOT NULL UNIQUE, title TEXT, owner_id INTEGER, kind TEXT,
  parent TEXT, programme TEXT, fund TEXT, status TEXT, decided INTEGER, start INTEGER, "end" INTEGER,
  municipalities TEXT, notes TEXT, total INTEGER, eu INTEGER, public INTEGER, private INTEGER, other INTEGER);
CREATE TABLE allocations(project_vid INTEGER NOT NULL, position INTEGER NOT NULL, area TEXT NOT NULL,
  share INTEGER NOT NULL, PRIMARY KEY (project_vid, position)) WITHOUT ROWID;
CREATE TABLE funding_lines(project_vid INTEGER NOT NULL, position INTEGER NOT NULL, funder TEXT NOT NULL,
  kind TEXT NOT NULL, amount INTEGER NOT NULL, currency TEXT, original INTEGER, rate TEXT,
  PRIMARY KEY (project_vid, position)) WITHOUT ROWID;
CREATE TABLE partners(project_vid INTEGER NOT NULL, position INTEGER NOT NULL, org_id INTEGER NOT NULL,
  PRIMARY KEY (project_vid, position)) WITHOUT ROWID;
INSERT INTO orgs(name, org_no, kind) SELECT owner, max(owner_org_no), max(owner_kind) FROM staging GROUP BY owner;
WITH RECURSIVE split(ref, rest, name, pos) AS (
  SELECT ref, partners || '|', NULL, -1 FROM staging WHERE partners <> ''
  UNION ALL SELECT ref, substr(rest, instr(rest, '|') + 1), substr(rest, 1, instr(rest, '|') - 1), pos + 1 FROM split WHERE rest <> '')
INSERT OR IGNORE INTO orgs(name, kind) SELECT DISTINCT name, 'other' FROM split WHERE name IS NOT NULL;
CREATE TEMP VIEW sek AS SELECT s.*,
  CASE WHEN s.eu = '' THEN 0 ELSE CAST(round(s.eu * 100 * coalesce(nullif(s.rate, ''), 1)) AS INTEGER) END AS eu_ore,
  CASE WHEN s.state = '' THEN 0 ELSE CAST(round(s.state * 100) AS INTEGER) END AS state_ore,
  CASE WHEN s.region = '' THEN 0 ELSE CAST(round(s.region * 100) AS INTEGER) END AS region_ore,
  CASE WHEN s.municipality = '' THEN 0 ELSE CAST(round(s.municipality * 100) AS INTEGER) END AS municipality_ore,
  CASE WHEN s.university = '' THEN 0 ELSE CAST(round(s.university * 100) AS INTEGER) END AS university_ore,
  CASE WHEN s.private = '' THEN 0 ELSE CAST(round(s.private * 100) AS INTEGER) END AS private_ore,
  CASE WHEN s.other = '' THEN 0 ELSE CAST(round(s.other * 100) AS INTEGER) END AS other_ore
FROM staging s;
INSERT INTO projects(ref, title, owner_id, kind, parent, programme, fund, status, decided, start, "end", municipalities, notes, total, eu, public, private, other)
SELECT s.ref, s.title, o.id, s.kind, nullif(s.parent, ''), s.programme, s.fund, s.status,
  CAST(replace(s.decided, '-', '') AS INTEGER), CAST(replace(s.start, '-', '') AS INTEGER), CAST(replace(s."end", '-', '') AS INTEGER),
  s.municipalities, nullif(s.notes, ''),
  eu_ore + state_ore + region_ore + municipality_ore + university_ore + private_ore + other_ore,
  eu_ore, state_ore + region_ore + municipality_ore + university_ore, private_ore, other_ore
FROM sek s JOIN orgs o ON o.name = s.owner;
INSERT INTO allocations SELECT p.vid, 0, s.area1, CAST(round(s.share1 * 100) AS INTEGER) FROM staging s JOIN projects p ON p.ref = s.ref WHERE s.area1 <> '';
INSERT INTO allocations SELECT p.vid, 1, s.area2, CAST(round(s.share2 * 100) AS INTEGER) FROM staging s JOIN projects p ON p.ref = s.ref WHERE s.area2 <> '';
INSERT INTO allocations SELECT p.vid, 2, s.area3, CAST(round(s.share3 * 100) AS INTEGER) FROM staging s JOIN projects p ON p.ref = s.ref WHERE s.area3 <> '';
INSERT INTO funding_lines SELECT p.vid, 0, s.fund, 'eu', s.eu_ore, nullif(s.currency, ''), CASE WHEN s.currency <> '' THEN CAST(round(s.eu * 100) AS INTEGER) END, nullif(s.rate, '') FROM sek s JOIN projects p ON p.ref = s.ref WHERE s.eu <> '';
INSERT INTO funding_lines SELECT p.vid, 1, 'state', 'state', s.state_ore, NULL, NULL, NULL FROM sek s JOIN projects p ON p.ref = s.ref WHERE s.state <> '';
INSERT INTO funding_lines SELECT p.vid, 2, 'region', 'region', s.region_ore, NULL, NULL, NULL FROM sek s JOIN projects p ON p.ref = s.ref WHERE s.region <> '';
INSERT INTO funding_lines SELECT p.vid, 3, 'municipality', 'municipality', s.municipality_ore, NULL, NULL, NULL FROM sek s JOIN projects p ON p.ref = s.ref WHERE s.municipality <> '';
INSERT INTO funding_lines SELECT p.vid, 4, 'university', 'university', s.university_ore, NULL, NULL, NULL FROM sek s JOIN projects p ON p.ref = s.ref WHERE s.university <> '';
INSERT INTO funding_lines SELECT p.vid, 5, 'private', 'private', s.private_ore, NULL, NULL, NULL FROM sek s JOIN projects p ON p.ref = s.ref WHERE s.private <> '';
INSERT INTO funding_lines SELECT p.vid, 6, 'other', 'other', s.other_ore, NULL, NULL, NULL FROM sek s JOIN projects p ON p.ref = s.ref WHERE s.other <> '';
WITH RECURSIVE split(ref, rest, name, pos) AS (
  SELECT ref, partners || '|', NULL, -1 FROM staging WHERE partners <> ''
  UNION ALL SELECT ref, substr(rest, instr(rest, '|') + 1), substr(rest, 1, instr(rest, '|') - 1), pos + 1 FROM split WHERE rest <> '')
INSERT INTO partners SELECT p.vid, sp.pos, o.id FROM split sp JOIN projects p ON p.ref = sp.ref JOIN orgs o ON o.name = sp.name WHERE sp.name IS NOT NULL;
DROP TABLE staging;
COMMIT;
