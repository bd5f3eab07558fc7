-- Migration 2, after the seals of existing changes are filled in: changes are
-- append-only again.
CREATE TRIGGER changes_append_only_update BEFORE UPDATE ON changes
BEGIN SELECT RAISE(ABORT, 'the change history is append-only'); END;
