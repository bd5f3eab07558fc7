-- spets schema, migration 1 (PRAGMA user_version = 1).
--
-- Money is integer öre everywhere. Shares are basis points (hundredths of a percent).
-- Dates are integers YYYYMMDD (20230514); timestamps are UTC RFC 3339 text.
-- Words from fixed lists are small integer codes, listed at each column; names that
-- repeat across many rows (programmes, funds, funders) are kept once in `names`.
--
-- History: every data table keeps all versions of its rows. A version is created by
-- the change `rev` and, when superseded or removed, ended by the change `end_rev`; the
-- current rows are those with `end_rev IS NULL`, and the rows as of change S are those
-- with `rev <= S AND (end_rev IS NULL OR end_rev > S)`. Rows are never deleted, so
-- every past report can be reproduced exactly. The audit table records, per change and
-- per entity, which version a change ended and which it created, in a SHA-256 chain.

PRAGMA application_id = 1397769556; -- 'SPET'

-- Set once at init: the region the database is for.
CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;

-- One row per command run that wrote something.
CREATE TABLE changes (
  rev     INTEGER PRIMARY KEY,
  at      TEXT NOT NULL,
  user    TEXT NOT NULL,
  command TEXT NOT NULL
);

-- One row per entity a change touched. `before_vid` is the version the change ended,
-- `after_vid` the version it created (NULL for an addition or a removal). `hash` is
-- SHA-256 over the previous entry's hash and this entry's canonical content.
-- entity: 0 area, 1 org, 2 project, 3 payment, 4 indicator, 5 programme.
-- action: 0 add, 1 edit, 2 remove.
CREATE TABLE audit (
  seq        INTEGER PRIMARY KEY,
  rev        INTEGER NOT NULL,
  entity     INTEGER NOT NULL CHECK (entity BETWEEN 0 AND 5),
  key        TEXT NOT NULL,
  action     INTEGER NOT NULL CHECK (action BETWEEN 0 AND 2),
  before_vid INTEGER,
  after_vid  INTEGER,
  hash       BLOB NOT NULL CHECK (length(hash) = 32)
);

CREATE TRIGGER changes_append_only_update BEFORE UPDATE ON changes
BEGIN SELECT RAISE(ABORT, 'the change history is append-only'); END;
CREATE TRIGGER changes_append_only_delete BEFORE DELETE ON changes
BEGIN SELECT RAISE(ABORT, 'the change history is append-only'); END;
CREATE TRIGGER audit_append_only_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
CREATE TRIGGER audit_append_only_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;

-- Texts that repeat across many rows, kept once: programme, fund and funder names.
-- A name never changes; a changed name is another row. (Rows refer to names by id
-- without a foreign key: names are never removed, and `spets audit verify` checks
-- every reference, which keeps the check off the path of a million-row import.)
CREATE TABLE names (
  id   INTEGER PRIMARY KEY,
  text TEXT NOT NULL UNIQUE
);

-- The region's municipalities; `bit` is the position in a project's municipality mask.
CREATE TABLE municipalities (
  bit  INTEGER PRIMARY KEY CHECK (bit BETWEEN 0 AND 61),
  name TEXT NOT NULL UNIQUE
);

CREATE TABLE areas (
  vid        INTEGER PRIMARY KEY,
  id         INTEGER NOT NULL,
  rev        INTEGER NOT NULL,
  end_rev    INTEGER CHECK (end_rev >= rev),
  code       TEXT NOT NULL CHECK (length(code) BETWEEN 1 AND 32),
  name_sv    TEXT NOT NULL,
  name_en    TEXT NOT NULL,
  valid_from INTEGER CHECK (valid_from BETWEEN 19000101 AND 29991231),
  valid_to   INTEGER CHECK (valid_to BETWEEN 19000101 AND 29991231),
  position   INTEGER NOT NULL,
  CHECK (valid_from IS NULL OR valid_to IS NULL OR valid_from <= valid_to)
);
CREATE UNIQUE INDEX areas_current_code ON areas(code) WHERE end_rev IS NULL;
CREATE UNIQUE INDEX areas_current_id ON areas(id) WHERE end_rev IS NULL;

-- kind: 0 university, 1 research-institute, 2 cluster, 3 science-park, 4 incubator,
-- 5 testbed, 6 financing, 7 company, 8 municipality, 9 region, 10 agency, 11 other.
CREATE TABLE orgs (
  vid      INTEGER PRIMARY KEY,
  id       INTEGER NOT NULL,
  rev      INTEGER NOT NULL,
  end_rev  INTEGER CHECK (end_rev >= rev),
  name     TEXT NOT NULL CHECK (length(trim(name)) > 0),
  name_key TEXT NOT NULL,
  org_no   TEXT CHECK (org_no GLOB '[0-9][0-9][0-9][0-9][0-9][0-9]-[0-9][0-9][0-9][0-9]'),
  kind     INTEGER NOT NULL CHECK (kind BETWEEN 0 AND 11)
);
CREATE UNIQUE INDEX orgs_current_name ON orgs(name_key) WHERE end_rev IS NULL;
CREATE UNIQUE INDEX orgs_current_id ON orgs(id) WHERE end_rev IS NULL;

-- Programmes and their co-financing caps (basis points of the project's total).
CREATE TABLE programmes (
  vid        INTEGER PRIMARY KEY,
  rev        INTEGER NOT NULL,
  end_rev    INTEGER CHECK (end_rev >= rev),
  name       TEXT NOT NULL,
  eu_cap     INTEGER CHECK (eu_cap BETWEEN 0 AND 10000),
  region_cap INTEGER CHECK (region_cap BETWEEN 0 AND 10000)
);
CREATE UNIQUE INDEX programmes_current_name ON programmes(name) WHERE end_rev IS NULL;

-- One row per version of a project. `total`, `eu`, `public`, `private` and `other` are
-- the financing plan summed by report column (derived from funding_lines, kept here so
-- reports aggregate without joining the lines).
-- kind: 0 project, 1 pre-study, 2 top-up.
-- status: 0 applied, 1 prioritised, 2 granted, 3 ongoing, 4 closed, 5 rejected, 6 withdrawn.
-- municipalities: a bit mask over municipalities(bit).
CREATE TABLE projects (
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
  total          INTEGER NOT NULL CHECK (total >= 0),
  eu             INTEGER NOT NULL CHECK (eu >= 0),
  public         INTEGER NOT NULL CHECK (public >= 0),
  private        INTEGER NOT NULL CHECK (private >= 0),
  other          INTEGER NOT NULL CHECK (other >= 0),
  CHECK (start IS NULL OR "end" IS NULL OR start <= "end"),
  CHECK (kind <> 2 OR parent IS NOT NULL),
  CHECK (total = eu + public + private + other)
);
CREATE UNIQUE INDEX projects_current_ref ON projects(ref) WHERE end_rev IS NULL;

-- A project version's areas: the share and the exact split of each report column.
-- This is the fact table of the area reports: it carries copies of the version's
-- status, kind, decision date and end (kept equal to the project row's), so the usual
-- breakdown by area reads this table alone. Rows are kept in project order, which is
-- the order an import appends them in.
CREATE TABLE allocations (
  project_vid INTEGER NOT NULL REFERENCES projects(vid),
  position    INTEGER NOT NULL,
  area_id     INTEGER NOT NULL,
  share       INTEGER NOT NULL CHECK (share > 0 AND share <= 10000),
  total       INTEGER NOT NULL CHECK (total >= 0),
  eu          INTEGER NOT NULL CHECK (eu >= 0),
  public      INTEGER NOT NULL CHECK (public >= 0),
  private     INTEGER NOT NULL CHECK (private >= 0),
  other       INTEGER NOT NULL CHECK (other >= 0),
  status      INTEGER NOT NULL CHECK (status BETWEEN 0 AND 6),
  kind        INTEGER NOT NULL CHECK (kind BETWEEN 0 AND 2),
  decided     INTEGER,
  end_rev     INTEGER,
  PRIMARY KEY (project_vid, position),
  CHECK (total = eu + public + private + other)
) WITHOUT ROWID;

-- A project version's financing plan. `amount` is in SEK öre; a line in another
-- currency also keeps its original amount (minor units), rate and rate date.
-- kind: 0 eu, 1 state, 2 region, 3 municipality, 4 university, 5 private, 6 other.
CREATE TABLE funding_lines (
  project_vid INTEGER NOT NULL REFERENCES projects(vid),
  position    INTEGER NOT NULL,
  funder_id   INTEGER NOT NULL,
  kind        INTEGER NOT NULL CHECK (kind BETWEEN 0 AND 6),
  amount      INTEGER NOT NULL CHECK (amount >= 0),
  currency    TEXT CHECK (currency GLOB '[A-Z][A-Z][A-Z]' AND currency <> 'SEK'),
  original    INTEGER CHECK (original >= 0),
  rate        TEXT,
  rate_date   INTEGER CHECK (rate_date BETWEEN 19000101 AND 29991231),
  in_kind     INTEGER NOT NULL DEFAULT 0 CHECK (in_kind IN (0, 1)),
  PRIMARY KEY (project_vid, position),
  CHECK ((currency IS NULL) = (original IS NULL) AND (currency IS NULL) = (rate IS NULL))
) WITHOUT ROWID;

-- A project version's partner organisations.
CREATE TABLE partners (
  project_vid INTEGER NOT NULL REFERENCES projects(vid),
  position    INTEGER NOT NULL,
  org_id      INTEGER NOT NULL,
  PRIMARY KEY (project_vid, position)
) WITHOUT ROWID;

-- Payments are recorded and removed, never edited: `id` is the payment's number.
-- kind: 0 advance, 1 claim, 2 final, 3 recovery.
CREATE TABLE payments (
  id          INTEGER PRIMARY KEY,
  rev         INTEGER NOT NULL,
  end_rev     INTEGER CHECK (end_rev >= rev),
  project_ref TEXT NOT NULL,
  date        INTEGER NOT NULL CHECK (date BETWEEN 19000101 AND 29991231),
  amount      INTEGER NOT NULL CHECK (amount >= 0),
  kind        INTEGER NOT NULL CHECK (kind BETWEEN 0 AND 3),
  funder      TEXT,
  note        TEXT
);
CREATE INDEX payments_project ON payments(project_ref);

CREATE TABLE indicators (
  vid         INTEGER PRIMARY KEY,
  rev         INTEGER NOT NULL,
  end_rev     INTEGER CHECK (end_rev >= rev),
  project_ref TEXT NOT NULL,
  code        TEXT NOT NULL,
  name        TEXT,
  unit        TEXT,
  target      TEXT NOT NULL,
  outcome     TEXT
);
CREATE UNIQUE INDEX indicators_current ON indicators(project_ref, code) WHERE end_rev IS NULL;
