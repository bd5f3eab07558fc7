-- The summary over the simple baseline, decided on or after a date (`--from 2020-03-01`).
SELECT count(*) FILTER (WHERE kind <> 'top-up'), sum(total), sum(eu), sum(public), sum(private), sum(other)
FROM projects WHERE status IN ('granted', 'ongoing', 'closed') AND decided >= 20200301;
