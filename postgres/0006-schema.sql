-- The spets schema on PostgreSQL, at schema version 6: the same tables, columns,
-- checks and unique indexes as the SQLite schema after migration 6 (schema.sql and
-- migrations/), in PostgreSQL's words. Integers are BIGINT (money in öre), texts
-- compare byte by byte (COLLATE "C", as SQLite's BINARY), and new rows are numbered
-- max + 1 as SQLite numbers its rowids, so both engines give the same numbers.
-- Later schema changes are appended as migrations, never edited in here.

CREATE TABLE spets_schema (
  version BIGINT NOT NULL
);

CREATE TABLE meta (
  key   TEXT COLLATE "C" PRIMARY KEY,
  value TEXT COLLATE "C" NOT NULL
);

CREATE TABLE changes (
  rev       BIGINT PRIMARY KEY,
  at        TEXT COLLATE "C" NOT NULL,
  "user"    TEXT COLLATE "C" NOT NULL,
  command   TEXT COLLATE "C" NOT NULL,
  entries   BIGINT CHECK (entries > 0),
  reference BYTEA CHECK (octet_length(reference) = 32),
  seal      BYTEA CHECK (octet_length(seal) = 32)
);

CREATE TABLE audit (
  seq        BIGINT PRIMARY KEY,
  rev        BIGINT NOT NULL,
  entity     BIGINT NOT NULL CHECK (entity BETWEEN 0 AND 6),
  key        TEXT COLLATE "C" NOT NULL,
  action     BIGINT NOT NULL CHECK (action BETWEEN 0 AND 2),
  before_vid BIGINT,
  after_vid  BIGINT,
  hash       BYTEA NOT NULL CHECK (octet_length(hash) = 32)
);

CREATE TABLE names (
  id   BIGINT PRIMARY KEY,
  text TEXT COLLATE "C" NOT NULL UNIQUE
);

CREATE TABLE municipalities (
  bit  BIGINT PRIMARY KEY CHECK (bit BETWEEN 0 AND 61),
  name TEXT COLLATE "C" NOT NULL UNIQUE
);

CREATE TABLE areas (
  vid        BIGINT PRIMARY KEY,
  id         BIGINT NOT NULL,
  rev        BIGINT NOT NULL,
  end_rev    BIGINT CHECK (end_rev >= rev),
  code       TEXT COLLATE "C" NOT NULL CHECK (length(code) BETWEEN 1 AND 32),
  name_sv    TEXT COLLATE "C" NOT NULL,
  name_en    TEXT COLLATE "C" NOT NULL,
  valid_from BIGINT CHECK (valid_from BETWEEN 19000101 AND 29991231),
  valid_to   BIGINT CHECK (valid_to BETWEEN 19000101 AND 29991231),
  position   BIGINT NOT NULL,
  CHECK (valid_from IS NULL OR valid_to IS NULL OR valid_from <= valid_to)
);
CREATE UNIQUE INDEX areas_current_code ON areas(code) WHERE end_rev IS NULL;
CREATE UNIQUE INDEX areas_current_id ON areas(id) WHERE end_rev IS NULL;

CREATE TABLE orgs (
  vid      BIGINT PRIMARY KEY,
  id       BIGINT NOT NULL,
  rev      BIGINT NOT NULL,
  end_rev  BIGINT CHECK (end_rev >= rev),
  name     TEXT COLLATE "C" NOT NULL CHECK (length(trim(name)) > 0),
  name_key TEXT COLLATE "C" NOT NULL,
  org_no   TEXT COLLATE "C" CHECK (org_no ~ '^[0-9]{6}-[0-9]{4}$'),
  kind     BIGINT NOT NULL CHECK (kind BETWEEN 0 AND 12)
);
CREATE UNIQUE INDEX orgs_current_name ON orgs(name_key) WHERE end_rev IS NULL;
CREATE UNIQUE INDEX orgs_current_id ON orgs(id) WHERE end_rev IS NULL;

CREATE TABLE programmes (
  vid        BIGINT PRIMARY KEY,
  rev        BIGINT NOT NULL,
  end_rev    BIGINT CHECK (end_rev >= rev),
  name       TEXT COLLATE "C" NOT NULL,
  eu_cap     BIGINT CHECK (eu_cap BETWEEN 0 AND 10000),
  region_cap BIGINT CHECK (region_cap BETWEEN 0 AND 10000)
);
CREATE UNIQUE INDEX programmes_current_name ON programmes(name) WHERE end_rev IS NULL;

CREATE TABLE projects (
  vid            BIGINT PRIMARY KEY,
  rev            BIGINT NOT NULL,
  end_rev        BIGINT CHECK (end_rev >= rev),
  ref            TEXT COLLATE "C" NOT NULL CHECK (length(ref) BETWEEN 1 AND 256),
  title          TEXT COLLATE "C" NOT NULL,
  owner_id       BIGINT NOT NULL,
  kind           BIGINT NOT NULL CHECK (kind BETWEEN 0 AND 2),
  parent         TEXT COLLATE "C",
  programme_id   BIGINT,
  fund_id        BIGINT,
  status         BIGINT NOT NULL CHECK (status BETWEEN 0 AND 6),
  decided        BIGINT CHECK (decided BETWEEN 19000101 AND 29991231),
  start          BIGINT CHECK (start BETWEEN 19000101 AND 29991231),
  "end"          BIGINT CHECK ("end" BETWEEN 19000101 AND 29991231),
  municipalities BIGINT NOT NULL DEFAULT 0,
  notes          TEXT COLLATE "C",
  total          BIGINT NOT NULL CHECK (total >= 0),
  eu             BIGINT NOT NULL CHECK (eu >= 0),
  public         BIGINT NOT NULL CHECK (public >= 0),
  private        BIGINT NOT NULL CHECK (private >= 0),
  other          BIGINT NOT NULL CHECK (other >= 0),
  overrun        BIGINT NOT NULL DEFAULT 0 CHECK (overrun IN (0, 1)),
  source_name_id BIGINT,
  source_ref     TEXT COLLATE "C" CHECK (length(source_ref) BETWEEN 1 AND 256),
  source_file_id BIGINT,
  source_line    BIGINT CHECK (source_line IS NULL OR (source_line >= 1 AND source_file_id IS NOT NULL)),
  CHECK (start IS NULL OR "end" IS NULL OR start <= "end"),
  CHECK (kind <> 2 OR parent IS NOT NULL),
  CHECK (total = eu + public + private + other)
);
CREATE UNIQUE INDEX projects_current_ref ON projects(ref) WHERE end_rev IS NULL;

CREATE TABLE allocations (
  project_vid BIGINT NOT NULL,
  position    BIGINT NOT NULL,
  area_id     BIGINT NOT NULL,
  share       BIGINT NOT NULL CHECK (share > 0 AND share <= 10000),
  total       BIGINT NOT NULL CHECK (total >= 0),
  eu          BIGINT NOT NULL CHECK (eu >= 0),
  public      BIGINT NOT NULL CHECK (public >= 0),
  private     BIGINT NOT NULL CHECK (private >= 0),
  other       BIGINT NOT NULL CHECK (other >= 0),
  status      BIGINT NOT NULL CHECK (status BETWEEN 0 AND 6),
  kind        BIGINT NOT NULL CHECK (kind BETWEEN 0 AND 2),
  decided     BIGINT,
  end_rev     BIGINT,
  PRIMARY KEY (project_vid, position),
  CHECK (total = eu + public + private + other)
);

CREATE TABLE funding_lines (
  project_vid BIGINT NOT NULL,
  position    BIGINT NOT NULL,
  funder_id   BIGINT NOT NULL,
  kind        BIGINT NOT NULL CHECK (kind BETWEEN 0 AND 6),
  amount      BIGINT NOT NULL CHECK (amount >= 0),
  currency    TEXT COLLATE "C" CHECK (currency ~ '^[A-Z]{3}$' AND currency <> 'SEK'),
  original    BIGINT CHECK (original >= 0),
  rate        TEXT COLLATE "C",
  rate_date   BIGINT CHECK (rate_date BETWEEN 19000101 AND 29991231),
  in_kind     BIGINT NOT NULL DEFAULT 0 CHECK (in_kind IN (0, 1)),
  PRIMARY KEY (project_vid, position),
  CHECK ((currency IS NULL) = (original IS NULL) AND (currency IS NULL) = (rate IS NULL))
);

CREATE TABLE partners (
  project_vid BIGINT NOT NULL,
  position    BIGINT NOT NULL,
  org_id      BIGINT NOT NULL,
  PRIMARY KEY (project_vid, position)
);

CREATE TABLE payments (
  id          BIGINT PRIMARY KEY,
  rev         BIGINT NOT NULL,
  end_rev     BIGINT CHECK (end_rev >= rev),
  project_ref TEXT COLLATE "C" NOT NULL,
  date        BIGINT NOT NULL CHECK (date BETWEEN 19000101 AND 29991231),
  amount      BIGINT NOT NULL CHECK (amount >= 0),
  kind        BIGINT NOT NULL CHECK (kind BETWEEN 0 AND 3),
  funder      TEXT COLLATE "C",
  note        TEXT COLLATE "C"
);
CREATE INDEX payments_project ON payments(project_ref);

CREATE TABLE indicators (
  vid         BIGINT PRIMARY KEY,
  rev         BIGINT NOT NULL,
  end_rev     BIGINT CHECK (end_rev >= rev),
  project_ref TEXT COLLATE "C" NOT NULL,
  code        TEXT COLLATE "C" NOT NULL,
  name        TEXT COLLATE "C",
  unit        TEXT COLLATE "C",
  target      TEXT COLLATE "C" NOT NULL,
  outcome     TEXT COLLATE "C"
);
CREATE UNIQUE INDEX indicators_current ON indicators(project_ref, code) WHERE end_rev IS NULL;

CREATE TABLE settings (
  vid     BIGINT PRIMARY KEY,
  rev     BIGINT NOT NULL,
  end_rev BIGINT CHECK (end_rev >= rev),
  key     TEXT COLLATE "C" NOT NULL CHECK (length(key) BETWEEN 1 AND 64),
  value   TEXT COLLATE "C" NOT NULL CHECK (length(trim(value)) > 0)
);
CREATE UNIQUE INDEX settings_current_key ON settings(key) WHERE end_rev IS NULL;

-- New rows are numbered as SQLite numbers a rowid: one more than the largest (rows
-- that come numbered, as an import sends them, do not call the function at all).
CREATE FUNCTION spets_number_vid() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.vid IS NULL THEN
    EXECUTE format('SELECT coalesce(max(vid), 0) + 1 FROM %I', TG_TABLE_NAME) INTO NEW.vid;
  END IF;
  RETURN NEW;
END $$;
CREATE FUNCTION spets_number_id() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.id IS NULL THEN
    EXECUTE format('SELECT coalesce(max(id), 0) + 1 FROM %I', TG_TABLE_NAME) INTO NEW.id;
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER areas_number BEFORE INSERT ON areas FOR EACH ROW WHEN (NEW.vid IS NULL) EXECUTE FUNCTION spets_number_vid();
CREATE TRIGGER orgs_number BEFORE INSERT ON orgs FOR EACH ROW WHEN (NEW.vid IS NULL) EXECUTE FUNCTION spets_number_vid();
CREATE TRIGGER programmes_number BEFORE INSERT ON programmes FOR EACH ROW WHEN (NEW.vid IS NULL) EXECUTE FUNCTION spets_number_vid();
CREATE TRIGGER projects_number BEFORE INSERT ON projects FOR EACH ROW WHEN (NEW.vid IS NULL) EXECUTE FUNCTION spets_number_vid();
CREATE TRIGGER indicators_number BEFORE INSERT ON indicators FOR EACH ROW WHEN (NEW.vid IS NULL) EXECUTE FUNCTION spets_number_vid();
CREATE TRIGGER settings_number BEFORE INSERT ON settings FOR EACH ROW WHEN (NEW.vid IS NULL) EXECUTE FUNCTION spets_number_vid();
CREATE TRIGGER names_number BEFORE INSERT ON names FOR EACH ROW WHEN (NEW.id IS NULL) EXECUTE FUNCTION spets_number_id();
CREATE TRIGGER payments_number BEFORE INSERT ON payments FOR EACH ROW WHEN (NEW.id IS NULL) EXECUTE FUNCTION spets_number_id();

-- The history is append-only, on the server too: no UPDATE, DELETE or TRUNCATE of
-- changes or audit, whoever asks.
CREATE FUNCTION spets_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '%', TG_ARGV[0] USING ERRCODE = 'restrict_violation';
END $$;
CREATE TRIGGER changes_append_only BEFORE DELETE OR UPDATE ON changes
  FOR EACH ROW EXECUTE FUNCTION spets_append_only('the change history is append-only');
CREATE TRIGGER changes_append_only_truncate BEFORE TRUNCATE ON changes
  FOR EACH STATEMENT EXECUTE FUNCTION spets_append_only('the change history is append-only');
CREATE TRIGGER audit_append_only BEFORE DELETE OR UPDATE ON audit
  FOR EACH ROW EXECUTE FUNCTION spets_append_only('the audit trail is append-only');
CREATE TRIGGER audit_append_only_truncate BEFORE TRUNCATE ON audit
  FOR EACH STATEMENT EXECUTE FUNCTION spets_append_only('the audit trail is append-only');

-- A project's allocations, funding lines and partners belong to a project version that
-- exists, as a foreign key would say; checked once per statement over all the rows it
-- wrote (a bulk import sends hundreds of thousands in one COPY, where a foreign key
-- would look each one up alone). A version's number never changes, and a project
-- version that still has rows cannot be deleted.
CREATE FUNCTION spets_parent_exists() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE orphan BIGINT;
BEGIN
  SELECT n.project_vid INTO orphan FROM spets_rows n
    WHERE NOT EXISTS (SELECT 1 FROM projects p WHERE p.vid = n.project_vid) LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'insert or update on table "%" violates foreign key: project version % does not exist', TG_TABLE_NAME, orphan
      USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN NULL;
END $$;
CREATE FUNCTION spets_no_children() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE kept BIGINT;
BEGIN
  SELECT o.vid INTO kept FROM spets_rows o
    WHERE EXISTS (SELECT 1 FROM allocations a WHERE a.project_vid = o.vid)
       OR EXISTS (SELECT 1 FROM funding_lines f WHERE f.project_vid = o.vid)
       OR EXISTS (SELECT 1 FROM partners s WHERE s.project_vid = o.vid) LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'delete on table "projects" violates foreign key: project version % still has rows', kept
      USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER allocations_parent AFTER INSERT ON allocations
  REFERENCING NEW TABLE AS spets_rows FOR EACH STATEMENT EXECUTE FUNCTION spets_parent_exists();
CREATE TRIGGER funding_lines_parent AFTER INSERT ON funding_lines
  REFERENCING NEW TABLE AS spets_rows FOR EACH STATEMENT EXECUTE FUNCTION spets_parent_exists();
CREATE TRIGGER partners_parent AFTER INSERT ON partners
  REFERENCING NEW TABLE AS spets_rows FOR EACH STATEMENT EXECUTE FUNCTION spets_parent_exists();
CREATE TRIGGER projects_children AFTER DELETE ON projects
  REFERENCING OLD TABLE AS spets_rows FOR EACH STATEMENT EXECUTE FUNCTION spets_no_children();
CREATE TRIGGER projects_vid_fixed BEFORE UPDATE OF vid ON projects
  FOR EACH ROW WHEN (OLD.vid IS DISTINCT FROM NEW.vid) EXECUTE FUNCTION spets_append_only('a project version keeps its number');
CREATE TRIGGER allocations_parent_fixed BEFORE UPDATE OF project_vid ON allocations
  FOR EACH ROW WHEN (OLD.project_vid IS DISTINCT FROM NEW.project_vid) EXECUTE FUNCTION spets_append_only('a row keeps its project version');
CREATE TRIGGER funding_lines_parent_fixed BEFORE UPDATE OF project_vid ON funding_lines
  FOR EACH ROW WHEN (OLD.project_vid IS DISTINCT FROM NEW.project_vid) EXECUTE FUNCTION spets_append_only('a row keeps its project version');
CREATE TRIGGER partners_parent_fixed BEFORE UPDATE OF project_vid ON partners
  FOR EACH ROW WHEN (OLD.project_vid IS DISTINCT FROM NEW.project_vid) EXECUTE FUNCTION spets_append_only('a row keeps its project version');
