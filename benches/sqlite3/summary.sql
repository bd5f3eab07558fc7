-- The summary by hand: turned-over projects (not counting top-ups), their totals by
-- report column, the first and last decision years, and the projects per status.
SELECT count(*) FILTER (WHERE kind <> 'top-up'), sum(total), sum(eu), sum(public), sum(private), sum(other),
       min(decided) / 10000, max(decided) / 10000
FROM projects WHERE status IN ('granted', 'ongoing', 'closed');
SELECT status, count(*) FILTER (WHERE kind <> 'top-up'), sum(total) FROM projects GROUP BY status ORDER BY status;
