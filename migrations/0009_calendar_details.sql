-- A session's abstract and links are on its calendar entry (its DESCRIPTION), so changing them
-- raises its revision, the SEQUENCE of its VEVENT, like the other fields a calendar shows: the
-- trigger of 0002_calendar_revisions.sql watches them too now.
DROP TRIGGER sessions_calendar_fields;
--> statement-breakpoint
CREATE TRIGGER sessions_calendar_fields AFTER UPDATE OF part_id, slot_id, room_id, kind, status, title, description, abstract, links ON sessions
WHEN OLD.part_id IS NOT NEW.part_id OR OLD.slot_id IS NOT NEW.slot_id OR OLD.room_id IS NOT NEW.room_id OR OLD.kind IS NOT NEW.kind OR OLD.status IS NOT NEW.status OR OLD.title IS NOT NEW.title OR OLD.description IS NOT NEW.description OR OLD.abstract IS NOT NEW.abstract OR OLD.links IS NOT NEW.links
BEGIN
  UPDATE sessions SET revision = revision + 1, updated_at = CAST(unixepoch('subsec') * 1000 AS INTEGER) WHERE id = NEW.id;
END;
--> statement-breakpoint
-- The event's revision now follows their change through the session's revision
-- (sessions_revision_event); the trigger of 0007 keeps the two fields that stay off calendars.
DROP TRIGGER sessions_details_event;
--> statement-breakpoint
CREATE TRIGGER sessions_details_event AFTER UPDATE OF subtitle, language ON sessions
WHEN OLD.subtitle IS NOT NEW.subtitle OR OLD.language IS NOT NEW.language
BEGIN
  UPDATE events SET revision = revision + 1, updated_at = CAST(unixepoch('subsec') * 1000 AS INTEGER) WHERE id = NEW.event_id;
END;
