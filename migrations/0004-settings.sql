-- spets schema, migration 4 (PRAGMA user_version = 4): settings, in the history.
--
-- `settings` holds the database's settings as versioned rows like every other record,
-- each change of one an audit entry (entity 6, setting): today the default funder of
-- each funder kind, which the projects CSV's amount columns are recorded under
-- (`funder.region` = Region Värmland) instead of the bare word of the kind. The audit
-- table is rebuilt to accept the new entity; its rows are copied as they are, so every
-- hash stays valid.

DROP TRIGGER audit_append_only_update;
DROP TRIGGER audit_append_only_delete;
CREATE TABLE audit_v4 (
  seq        INTEGER PRIMARY KEY,
  rev        INTEGER NOT NULL,
  entity     INTEGER NOT NULL CHECK (entity BETWEEN 0 AND 6),
  key        TEXT NOT NULL,
  action     INTEGER NOT NULL CHECK (action BETWEEN 0 AND 2),
  before_vid INTEGER,
  after_vid  INTEGER,
  hash       BLOB NOT NULL CHECK (length(hash) = 32)
);
INSERT INTO audit_v4 SELECT seq, rev, entity, key, action, before_vid, after_vid, hash FROM audit;
DROP TABLE audit;
ALTER TABLE audit_v4 RENAME TO audit;
CREATE TRIGGER audit_append_only_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
CREATE TRIGGER audit_append_only_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;

-- key: e.g. funder.region; value: the setting's text.
CREATE TABLE settings (
  vid     INTEGER PRIMARY KEY,
  rev     INTEGER NOT NULL,
  end_rev INTEGER CHECK (end_rev >= rev),
  key     TEXT NOT NULL CHECK (length(key) BETWEEN 1 AND 64),
  value   TEXT NOT NULL CHECK (length(trim(value)) > 0)
);
CREATE UNIQUE INDEX settings_current_key ON settings(key) WHERE end_rev IS NULL;
