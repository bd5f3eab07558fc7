-- The summary over the simple baseline: count and sums of the turned-over projects.
SELECT count(*) FILTER (WHERE kind <> 'top-up'), sum(total), sum(eu), sum(public), sum(private), sum(other)
FROM projects WHERE status IN ('granted', 'ongoing', 'closed');
