-- spets schema, migration 3 (PRAGMA user_version = 3): an allowed overrun is recorded.
--
-- `overrun` is 1 on a project version whose payments may exceed its granted total
-- (given with --allow-overrun, or by an imported file's `overrun` column). The rule that
-- nothing is paid above the granted total then holds both ways — for payments and for
-- changes to the financing plan — and a database's own export imports back without
-- extra flags.
ALTER TABLE projects ADD COLUMN overrun INTEGER NOT NULL DEFAULT 0 CHECK (overrun IN (0, 1));
