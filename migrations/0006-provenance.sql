-- spets schema, migration 6 (PRAGMA user_version = 6): where each project came from.
--
-- A project version read from a file remembers its source (the `name` of the import
-- rules it was read with, or a projects CSV's `source` column), the list's own id for
-- it (`source_id`, e.g. Kohesio's Operation_Unique_Identifier) and the file and line it
-- was last written from. Source and file names repeat across many rows and are kept in
-- `names`, like programmes and funds. They are part of the version's content, so its
-- history entry covers them and `spets audit verify` finds them changed by hand.
ALTER TABLE projects ADD COLUMN source_name_id INTEGER;
ALTER TABLE projects ADD COLUMN source_ref TEXT CHECK (length(source_ref) BETWEEN 1 AND 256);
ALTER TABLE projects ADD COLUMN source_file_id INTEGER;
ALTER TABLE projects ADD COLUMN source_line INTEGER CHECK (source_line IS NULL OR (source_line >= 1 AND source_file_id IS NOT NULL));
