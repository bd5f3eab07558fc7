-- The spets schema on PostgreSQL, migration 9, as migrations/0009-derived-totals.sql
-- has it on SQLite: `total` of projects and allocations is computed from the four
-- report columns it is the sum of (here a STORED generated column: PostgreSQL has no
-- other kind before version 18), and an allocation carries the year of its version's
-- decision instead of the date.

ALTER TABLE projects DROP COLUMN total;
ALTER TABLE projects ADD COLUMN total BIGINT GENERATED ALWAYS AS (eu + public + private + other) STORED;
ALTER TABLE allocations DROP COLUMN total;
ALTER TABLE allocations ADD COLUMN total BIGINT GENERATED ALWAYS AS (eu + public + private + other) STORED;
ALTER TABLE allocations ADD COLUMN year BIGINT;
UPDATE allocations SET year = decided / 10000;
ALTER TABLE allocations DROP COLUMN decided;
