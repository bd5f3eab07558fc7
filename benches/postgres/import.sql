-- psql doing an import by hand: \copy of the generated rows (areas flattened into
-- columns) into a staging table, then INSERT…SELECT into two tables, projects and
-- their areas, amounts as integer öre. `FILE` is replaced by the script.
\set ON_ERROR_STOP on
CREATE TABLE staging(ref TEXT, title TEXT, owner TEXT, owner_org_no TEXT, owner_kind TEXT, kind TEXT, parent TEXT,
  programme TEXT, fund TEXT, status TEXT, decided TEXT, start TEXT, "end" TEXT, municipalities TEXT,
  area1 TEXT, share1 TEXT, area2 TEXT, share2 TEXT, area3 TEXT, share3 TEXT, partners TEXT, eu TEXT, state TEXT,
  region TEXT, municipality TEXT, university TEXT, private TEXT, other TEXT, currency TEXT, rate TEXT, notes TEXT);
\copy staging FROM 'FILE' WITH (FORMAT csv, HEADER true)
BEGIN;
CREATE TABLE projects(vid BIGSERIAL PRIMARY KEY, ref TEXT NOT NULL UNIQUE, title TEXT, owner TEXT, kind TEXT,
  parent TEXT, programme TEXT, fund TEXT, status TEXT, decided BIGINT, start BIGINT, "end" BIGINT,
  municipalities TEXT, notes TEXT, total BIGINT, eu BIGINT);
CREATE TABLE allocations(project_vid BIGINT NOT NULL REFERENCES projects(vid), position BIGINT NOT NULL,
  area TEXT NOT NULL, share BIGINT NOT NULL, PRIMARY KEY (project_vid, position));
CREATE FUNCTION ore(amount TEXT, rate TEXT) RETURNS BIGINT LANGUAGE sql IMMUTABLE AS
  $$ SELECT CASE WHEN amount = '' OR amount IS NULL THEN 0 ELSE round(amount::numeric * 100 * coalesce(nullif(rate, '')::numeric, 1))::bigint END $$;
INSERT INTO projects(ref, title, owner, kind, parent, programme, fund, status, decided, start, "end", municipalities, notes, total, eu)
SELECT ref, title, owner, kind, nullif(parent, ''), programme, fund, status,
  replace(decided, '-', '')::bigint, nullif(replace(start, '-', ''), '')::bigint, nullif(replace("end", '-', ''), '')::bigint,
  municipalities, nullif(notes, ''),
  ore(eu, rate) + ore(state, NULL) + ore(region, NULL) + ore(municipality, NULL) + ore(university, NULL) + ore(private, NULL) + ore(other, NULL),
  ore(eu, rate)
FROM staging;
INSERT INTO allocations
SELECT p.vid, x.position, x.area, round(x.share::numeric * 100)::bigint
FROM staging s JOIN projects p ON p.ref = s.ref
CROSS JOIN LATERAL (VALUES (0, s.area1, s.share1), (1, s.area2, s.share2), (2, s.area3, s.share3)) AS x(position, area, share)
WHERE x.area <> '';
DROP TABLE staging;
COMMIT;
