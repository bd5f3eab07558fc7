-- The summary over the simple baseline, filtered to one area (`--area skog`): the
-- turned-over projects with a row for it in project_areas.
SELECT count(*) FILTER (WHERE kind <> 'top-up'), sum(total), sum(eu), sum(public), sum(private), sum(other)
FROM projects WHERE status IN ('granted', 'ongoing', 'closed')
  AND id IN (SELECT project_id FROM project_areas WHERE area = 'skog');
