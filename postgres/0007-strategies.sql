-- The spets schema on PostgreSQL, migration 7: strategies, crosswalks and the region's
-- own indicator codes, as migrations/0007-strategies.sql has them on SQLite.

ALTER TABLE audit DROP CONSTRAINT audit_entity_check;
ALTER TABLE audit ADD CONSTRAINT audit_entity_check CHECK (entity BETWEEN 0 AND 9);

CREATE TABLE strategies (
  vid        BIGINT PRIMARY KEY,
  id         BIGINT NOT NULL,
  rev        BIGINT NOT NULL,
  end_rev    BIGINT CHECK (end_rev >= rev),
  name       TEXT COLLATE "C" NOT NULL CHECK (name ~ '^[12][0-9]{3}$'),
  title_sv   TEXT COLLATE "C" NOT NULL CHECK (length(trim(title_sv)) > 0),
  title_en   TEXT COLLATE "C" NOT NULL CHECK (length(trim(title_en)) > 0),
  valid_from BIGINT NOT NULL CHECK (valid_from BETWEEN 19000101 AND 29991231),
  valid_to   BIGINT CHECK (valid_to BETWEEN 19000101 AND 29991231),
  CHECK (valid_to IS NULL OR valid_from <= valid_to)
);
CREATE UNIQUE INDEX strategies_current_name ON strategies(name) WHERE end_rev IS NULL;
CREATE UNIQUE INDEX strategies_current_id ON strategies(id) WHERE end_rev IS NULL;

ALTER TABLE areas ADD COLUMN strategy_id BIGINT;
ALTER TABLE areas ADD COLUMN horizontal BIGINT NOT NULL DEFAULT 0 CHECK (horizontal IN (0, 1));

CREATE TABLE crosswalk (
  vid     BIGINT PRIMARY KEY,
  rev     BIGINT NOT NULL,
  end_rev BIGINT CHECK (end_rev >= rev),
  from_id BIGINT NOT NULL,
  to_id   BIGINT NOT NULL,
  share   BIGINT NOT NULL CHECK (share > 0 AND share <= 10000),
  CHECK (from_id <> to_id)
);
CREATE UNIQUE INDEX crosswalk_current ON crosswalk(from_id, to_id) WHERE end_rev IS NULL;

CREATE TABLE indicator_codes (
  vid      BIGINT PRIMARY KEY,
  rev      BIGINT NOT NULL,
  end_rev  BIGINT CHECK (end_rev >= rev),
  code     TEXT COLLATE "C" NOT NULL CHECK (length(code) BETWEEN 1 AND 32),
  name_en  TEXT COLLATE "C" NOT NULL CHECK (length(trim(name_en)) > 0),
  name_sv  TEXT COLLATE "C" NOT NULL CHECK (length(trim(name_sv)) > 0),
  unit     TEXT COLLATE "C" NOT NULL CHECK (length(trim(unit)) > 0),
  summable BIGINT NOT NULL CHECK (summable IN (0, 1))
);
CREATE UNIQUE INDEX indicator_codes_current ON indicator_codes(code) WHERE end_rev IS NULL;

CREATE TRIGGER strategies_number BEFORE INSERT ON strategies FOR EACH ROW WHEN (NEW.vid IS NULL) EXECUTE FUNCTION spets_number_vid();
CREATE TRIGGER crosswalk_number BEFORE INSERT ON crosswalk FOR EACH ROW WHEN (NEW.vid IS NULL) EXECUTE FUNCTION spets_number_vid();
CREATE TRIGGER indicator_codes_number BEFORE INSERT ON indicator_codes FOR EACH ROW WHEN (NEW.vid IS NULL) EXECUTE FUNCTION spets_number_vid();
