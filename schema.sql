-- spets schema, migration 1 (PRAGMA user_version = 1).
--
-- Money is integer öre everywhere. Shares are basis points (hundredths of a percent).
-- Dates are ISO text (YYYY-MM-DD); timestamps are UTC RFC 3339 text.
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
CREATE TABLE audit (
  seq        INTEGER PRIMARY KEY,
  rev        INTEGER NOT NULL,
  entity     TEXT NOT NULL CHECK (entity IN ('area', 'org', 'project', 'payment', 'indicator', 'programme')),
  key        TEXT NOT NULL,
  action     TEXT NOT NULL CHECK (action IN ('add', 'edit', 'remove')),
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
  valid_from TEXT CHECK (valid_from IS date(valid_from)),
  valid_to   TEXT CHECK (valid_to IS date(valid_to)),
  position   INTEGER NOT NULL,
  CHECK (valid_from IS NULL OR valid_to IS NULL OR valid_from <= valid_to)
);
CREATE UNIQUE INDEX areas_current_code ON areas(code) WHERE end_rev IS NULL;
CREATE UNIQUE INDEX areas_current_id ON areas(id) WHERE end_rev IS NULL;

CREATE TABLE orgs (
  vid      INTEGER PRIMARY KEY,
  id       INTEGER NOT NULL,
  rev      INTEGER NOT NULL,
  end_rev  INTEGER CHECK (end_rev >= rev),
  name     TEXT NOT NULL CHECK (length(trim(name)) > 0),
  name_key TEXT NOT NULL,
  org_no   TEXT CHECK (org_no GLOB '[0-9][0-9][0-9][0-9][0-9][0-9]-[0-9][0-9][0-9][0-9]'),
  kind     TEXT NOT NULL CHECK (kind IN ('university', 'research-institute', 'cluster',
             'science-park', 'incubator', 'testbed', 'financing', 'company',
             'municipality', 'region', 'agency', 'other'))
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
-- reports aggregate without joining the lines); `digest` is the SHA-256 of the
-- version's canonical content, as committed to by the audit entry that created it.
CREATE TABLE projects (
  vid            INTEGER PRIMARY KEY,
  rev            INTEGER NOT NULL,
  end_rev        INTEGER CHECK (end_rev >= rev),
  ref            TEXT NOT NULL CHECK (length(ref) BETWEEN 1 AND 256),
  title          TEXT NOT NULL,
  owner_id       INTEGER NOT NULL,
  kind           TEXT NOT NULL CHECK (kind IN ('project', 'pre-study', 'top-up')),
  parent         TEXT,
  programme      TEXT,
  fund           TEXT,
  status         TEXT NOT NULL CHECK (status IN ('applied', 'prioritised', 'granted',
                   'ongoing', 'closed', 'rejected', 'withdrawn')),
  decided        TEXT CHECK (decided IS date(decided)),
  start          TEXT CHECK (start IS date(start)),
  "end"          TEXT CHECK ("end" IS date("end")),
  municipalities INTEGER NOT NULL DEFAULT 0,
  notes          TEXT,
  total          INTEGER NOT NULL CHECK (total >= 0),
  eu             INTEGER NOT NULL CHECK (eu >= 0),
  public         INTEGER NOT NULL CHECK (public >= 0),
  private        INTEGER NOT NULL CHECK (private >= 0),
  other          INTEGER NOT NULL CHECK (other >= 0),
  digest         BLOB NOT NULL,
  CHECK (start IS NULL OR "end" IS NULL OR start <= "end"),
  CHECK (kind <> 'top-up' OR parent IS NOT NULL),
  CHECK (total = eu + public + private + other)
);
CREATE UNIQUE INDEX projects_current_ref ON projects(ref) WHERE end_rev IS NULL;

-- A project version's areas: the share and the exact split of each report column.
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
  PRIMARY KEY (project_vid, position),
  CHECK (total = eu + public + private + other)
) WITHOUT ROWID;

-- A project version's financing plan. `amount` is in SEK öre; a line in another
-- currency also keeps its original amount (minor units), rate and rate date.
CREATE TABLE funding_lines (
  project_vid INTEGER NOT NULL REFERENCES projects(vid),
  position    INTEGER NOT NULL,
  funder      TEXT NOT NULL,
  kind        TEXT NOT NULL CHECK (kind IN ('eu', 'state', 'region', 'municipality',
                'university', 'private', 'other')),
  amount      INTEGER NOT NULL CHECK (amount >= 0),
  currency    TEXT CHECK (currency GLOB '[A-Z][A-Z][A-Z]' AND currency <> 'SEK'),
  original    INTEGER CHECK (original >= 0),
  rate        TEXT,
  rate_date   TEXT CHECK (rate_date IS date(rate_date)),
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
CREATE TABLE payments (
  id          INTEGER PRIMARY KEY,
  rev         INTEGER NOT NULL,
  end_rev     INTEGER CHECK (end_rev >= rev),
  project_ref TEXT NOT NULL,
  date        TEXT NOT NULL CHECK (date IS date(date)),
  amount      INTEGER NOT NULL CHECK (amount >= 0),
  kind        TEXT NOT NULL CHECK (kind IN ('advance', 'claim', 'final', 'recovery')),
  funder      TEXT,
  note        TEXT
);
CREATE INDEX payments_current_project ON payments(project_ref) WHERE end_rev IS NULL;

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
