-- spets schema, migration 2 (PRAGMA user_version = 2): every change is sealed.
--
-- A change's row now records how many audit entries it made, the digest of the
-- reference tables (meta and municipalities) after it, and its seal: SHA-256 over the
-- previous change's seal, the hash of the change's last entry, the change itself (rev,
-- time, user, command), its entry count and that reference digest. The seals form a
-- chain of their own beside the entries' chain; the last seal is the database's head.
-- A change with entries missing from its tail, a change added or removed, or a
-- reference row changed by hand no longer matches its seal. The seals of changes made
-- before this migration are computed by it from the entries they already have.

DROP TRIGGER changes_append_only_update;
ALTER TABLE changes ADD COLUMN entries INTEGER CHECK (entries > 0);
ALTER TABLE changes ADD COLUMN reference BLOB CHECK (length(reference) = 32);
ALTER TABLE changes ADD COLUMN seal BLOB CHECK (length(seal) = 32);
