-- The area breakdown a user would write over the simple baseline's two tables: a join
-- and a GROUP BY, each project's total times its share (rounded down; not the exact
-- split spets makes, which is more work).
SELECT a.area, count(*), sum(p.total * a.share / 10000), sum(p.eu * a.share / 10000)
FROM project_areas a JOIN projects p ON p.id = a.project_id
WHERE p.status IN ('granted', 'ongoing', 'closed')
GROUP BY a.area ORDER BY a.area;
