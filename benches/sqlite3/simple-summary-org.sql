-- The summary over the simple baseline for one organisation's projects (`--org`); the
-- baseline keeps no partners, so only those it owns (spets also finds those it takes
-- part in). `ORG` is replaced by the script.
SELECT count(*) FILTER (WHERE kind <> 'top-up'), sum(total), sum(eu), sum(public), sum(private), sum(other)
FROM projects WHERE status IN ('granted', 'ongoing', 'closed') AND owner = 'ORG';
