-- The area breakdown by hand on the baseline's two tables: each turned-over project's
-- total split across its areas by share, largest remainder (ties to the earlier area),
-- as spets splits it; the projects touching each area (not counting top-ups); the total.
WITH parts AS (
  SELECT a.area, a.project_vid AS vid, a.position, p.total, p.kind,
         (p.total / 10000) * a.share + ((p.total % 10000) * a.share) / 10000 AS fl,
         ((p.total % 10000) * a.share) % 10000 AS rm
  FROM allocations a JOIN projects p ON p.vid = a.project_vid
  WHERE p.status IN ('granted', 'ongoing', 'closed')
), ranked AS (
  SELECT area, kind, fl, row_number() OVER (PARTITION BY vid ORDER BY rm DESC, position) AS rk,
         total - sum(fl) OVER (PARTITION BY vid) AS left_over
  FROM parts
)
SELECT area, count(*) FILTER (WHERE kind <> 'top-up'), sum(fl + (CASE WHEN rk <= left_over THEN 1 ELSE 0 END))
FROM ranked GROUP BY area ORDER BY area;
