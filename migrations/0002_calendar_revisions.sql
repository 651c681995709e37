-- Revision tracking, kept by the database itself so that no write path can forget it.
--
-- sessions.revision becomes the SEQUENCE of the session's VEVENT: it rises whenever anything a
-- calendar shows of the session changes (time, place, title, status, kind, part, agenda,
-- contributors, outputs served), whichever table the change was made in. updated_at follows
-- and becomes LAST-MODIFIED and DTSTAMP.
--
-- events.revision rises on every change to the event's programme, including the sessions'
-- revisions; feeds derive their ETag and Last-Modified from it.
--
-- Each trigger compares old and new values, so rewriting a row with what it already holds
-- (as the bundled-programme loader does) changes nothing.
CREATE TRIGGER sessions_calendar_fields AFTER UPDATE OF part_id, slot_id, room_id, kind, status, title, description ON sessions
WHEN OLD.part_id IS NOT NEW.part_id OR OLD.slot_id IS NOT NEW.slot_id OR OLD.room_id IS NOT NEW.room_id OR OLD.kind IS NOT NEW.kind OR OLD.status IS NOT NEW.status OR OLD.title IS NOT NEW.title OR OLD.description IS NOT NEW.description
BEGIN
  UPDATE sessions SET revision = revision + 1, updated_at = CAST(unixepoch('subsec') * 1000 AS INTEGER) WHERE id = NEW.id;
END;
--> statement-breakpoint
CREATE TRIGGER time_slots_calendar_fields AFTER UPDATE OF starts_at, ends_at ON time_slots
WHEN OLD.starts_at IS NOT NEW.starts_at OR OLD.ends_at IS NOT NEW.ends_at
BEGIN
  UPDATE sessions SET revision = revision + 1, updated_at = CAST(unixepoch('subsec') * 1000 AS INTEGER) WHERE slot_id = NEW.id;
END;
--> statement-breakpoint
CREATE TRIGGER rooms_calendar_fields AFTER UPDATE OF name ON rooms
WHEN OLD.name IS NOT NEW.name
BEGIN
  UPDATE sessions SET revision = revision + 1, updated_at = CAST(unixepoch('subsec') * 1000 AS INTEGER) WHERE room_id = NEW.id;
END;
--> statement-breakpoint
CREATE TRIGGER parts_calendar_fields AFTER UPDATE OF label, title ON parts
WHEN OLD.label IS NOT NEW.label OR OLD.title IS NOT NEW.title
BEGIN
  UPDATE sessions SET revision = revision + 1, updated_at = CAST(unixepoch('subsec') * 1000 AS INTEGER) WHERE part_id = NEW.id;
END;
--> statement-breakpoint
CREATE TRIGGER people_calendar_fields AFTER UPDATE OF name, organisation_id ON people
WHEN OLD.name IS NOT NEW.name OR OLD.organisation_id IS NOT NEW.organisation_id
BEGIN
  UPDATE sessions SET revision = revision + 1, updated_at = CAST(unixepoch('subsec') * 1000 AS INTEGER) WHERE id IN (SELECT session_id FROM session_contributors WHERE person_id = NEW.id);
END;
--> statement-breakpoint
CREATE TRIGGER organisations_calendar_fields AFTER UPDATE OF name ON organisations
WHEN OLD.name IS NOT NEW.name
BEGIN
  UPDATE sessions SET revision = revision + 1, updated_at = CAST(unixepoch('subsec') * 1000 AS INTEGER) WHERE id IN (
    SELECT session_id FROM session_contributors
    WHERE organisation_id = NEW.id OR person_id IN (SELECT id FROM people WHERE organisation_id = NEW.id)
  );
END;
--> statement-breakpoint
CREATE TRIGGER expected_outputs_calendar_fields AFTER UPDATE OF statement ON expected_outputs
WHEN OLD.statement IS NOT NEW.statement
BEGIN
  UPDATE sessions SET revision = revision + 1, updated_at = CAST(unixepoch('subsec') * 1000 AS INTEGER) WHERE id IN (SELECT session_id FROM session_outputs WHERE output_id = NEW.id);
END;
--> statement-breakpoint
CREATE TRIGGER events_calendar_fields AFTER UPDATE OF slug, timezone, default_language, venue, city, country ON events
WHEN OLD.slug IS NOT NEW.slug OR OLD.timezone IS NOT NEW.timezone OR OLD.default_language IS NOT NEW.default_language OR OLD.venue IS NOT NEW.venue OR OLD.city IS NOT NEW.city OR OLD.country IS NOT NEW.country
BEGIN
  UPDATE sessions SET revision = revision + 1, updated_at = CAST(unixepoch('subsec') * 1000 AS INTEGER) WHERE event_id = NEW.id;
END;
--> statement-breakpoint
CREATE TRIGGER session_contributors_insert AFTER INSERT ON session_contributors
BEGIN
  UPDATE sessions SET revision = revision + 1, updated_at = CAST(unixepoch('subsec') * 1000 AS INTEGER) WHERE id = NEW.session_id;
END;
--> statement-breakpoint
CREATE TRIGGER session_contributors_delete AFTER DELETE ON session_contributors
BEGIN
  UPDATE sessions SET revision = revision + 1, updated_at = CAST(unixepoch('subsec') * 1000 AS INTEGER) WHERE id = OLD.session_id;
END;
--> statement-breakpoint
CREATE TRIGGER session_contributors_update AFTER UPDATE ON session_contributors
BEGIN
  UPDATE sessions SET revision = revision + 1, updated_at = CAST(unixepoch('subsec') * 1000 AS INTEGER) WHERE id IN (OLD.session_id, NEW.session_id);
END;
--> statement-breakpoint
CREATE TRIGGER session_outputs_insert AFTER INSERT ON session_outputs
BEGIN
  UPDATE sessions SET revision = revision + 1, updated_at = CAST(unixepoch('subsec') * 1000 AS INTEGER) WHERE id = NEW.session_id;
END;
--> statement-breakpoint
CREATE TRIGGER session_outputs_delete AFTER DELETE ON session_outputs
BEGIN
  UPDATE sessions SET revision = revision + 1, updated_at = CAST(unixepoch('subsec') * 1000 AS INTEGER) WHERE id = OLD.session_id;
END;
--> statement-breakpoint
CREATE TRIGGER session_outputs_update AFTER UPDATE ON session_outputs
BEGIN
  UPDATE sessions SET revision = revision + 1, updated_at = CAST(unixepoch('subsec') * 1000 AS INTEGER) WHERE id IN (OLD.session_id, NEW.session_id);
END;
--> statement-breakpoint
CREATE TRIGGER sessions_revision_event AFTER UPDATE OF revision ON sessions
WHEN OLD.revision IS NOT NEW.revision
BEGIN
  UPDATE events SET revision = revision + 1, updated_at = CAST(unixepoch('subsec') * 1000 AS INTEGER) WHERE id = NEW.event_id;
END;
--> statement-breakpoint
CREATE TRIGGER events_fields AFTER UPDATE OF slug, timezone, default_language, languages, title, subtitle, description, venue, city, country, start_date, end_date ON events
WHEN OLD.slug IS NOT NEW.slug OR OLD.timezone IS NOT NEW.timezone OR OLD.default_language IS NOT NEW.default_language OR OLD.languages IS NOT NEW.languages OR OLD.title IS NOT NEW.title OR OLD.subtitle IS NOT NEW.subtitle OR OLD.description IS NOT NEW.description OR OLD.venue IS NOT NEW.venue OR OLD.city IS NOT NEW.city OR OLD.country IS NOT NEW.country OR OLD.start_date IS NOT NEW.start_date OR OLD.end_date IS NOT NEW.end_date
BEGIN
  UPDATE events SET revision = revision + 1, updated_at = CAST(unixepoch('subsec') * 1000 AS INTEGER) WHERE id = NEW.id;
END;
--> statement-breakpoint
CREATE TRIGGER sessions_insert_event AFTER INSERT ON sessions
BEGIN
  UPDATE events SET revision = revision + 1, updated_at = CAST(unixepoch('subsec') * 1000 AS INTEGER) WHERE id = NEW.event_id;
END;
--> statement-breakpoint
CREATE TRIGGER sessions_delete_event AFTER DELETE ON sessions
BEGIN
  UPDATE events SET revision = revision + 1, updated_at = CAST(unixepoch('subsec') * 1000 AS INTEGER) WHERE id = OLD.event_id;
END;
--> statement-breakpoint
CREATE TRIGGER parts_insert_event AFTER INSERT ON parts
BEGIN
  UPDATE events SET revision = revision + 1, updated_at = CAST(unixepoch('subsec') * 1000 AS INTEGER) WHERE id = NEW.event_id;
END;
--> statement-breakpoint
CREATE TRIGGER parts_delete_event AFTER DELETE ON parts
BEGIN
  UPDATE events SET revision = revision + 1, updated_at = CAST(unixepoch('subsec') * 1000 AS INTEGER) WHERE id = OLD.event_id;
END;
--> statement-breakpoint
CREATE TRIGGER parts_update_event AFTER UPDATE OF position, label, title ON parts
WHEN OLD.position IS NOT NEW.position OR OLD.label IS NOT NEW.label OR OLD.title IS NOT NEW.title
BEGIN
  UPDATE events SET revision = revision + 1, updated_at = CAST(unixepoch('subsec') * 1000 AS INTEGER) WHERE id = NEW.event_id;
END;
--> statement-breakpoint
CREATE TRIGGER rooms_insert_event AFTER INSERT ON rooms
BEGIN
  UPDATE events SET revision = revision + 1, updated_at = CAST(unixepoch('subsec') * 1000 AS INTEGER) WHERE id = NEW.event_id;
END;
--> statement-breakpoint
CREATE TRIGGER rooms_delete_event AFTER DELETE ON rooms
BEGIN
  UPDATE events SET revision = revision + 1, updated_at = CAST(unixepoch('subsec') * 1000 AS INTEGER) WHERE id = OLD.event_id;
END;
--> statement-breakpoint
CREATE TRIGGER rooms_update_event AFTER UPDATE OF position, name ON rooms
WHEN OLD.position IS NOT NEW.position OR OLD.name IS NOT NEW.name
BEGIN
  UPDATE events SET revision = revision + 1, updated_at = CAST(unixepoch('subsec') * 1000 AS INTEGER) WHERE id = NEW.event_id;
END;
--> statement-breakpoint
CREATE TRIGGER time_slots_insert_event AFTER INSERT ON time_slots
BEGIN
  UPDATE events SET revision = revision + 1, updated_at = CAST(unixepoch('subsec') * 1000 AS INTEGER) WHERE id = NEW.event_id;
END;
--> statement-breakpoint
CREATE TRIGGER time_slots_delete_event AFTER DELETE ON time_slots
BEGIN
  UPDATE events SET revision = revision + 1, updated_at = CAST(unixepoch('subsec') * 1000 AS INTEGER) WHERE id = OLD.event_id;
END;
--> statement-breakpoint
CREATE TRIGGER time_slots_update_event AFTER UPDATE OF starts_at, ends_at ON time_slots
WHEN OLD.starts_at IS NOT NEW.starts_at OR OLD.ends_at IS NOT NEW.ends_at
BEGIN
  UPDATE events SET revision = revision + 1, updated_at = CAST(unixepoch('subsec') * 1000 AS INTEGER) WHERE id = NEW.event_id;
END;
--> statement-breakpoint
CREATE TRIGGER organisations_insert_event AFTER INSERT ON organisations
BEGIN
  UPDATE events SET revision = revision + 1, updated_at = CAST(unixepoch('subsec') * 1000 AS INTEGER) WHERE id = NEW.event_id;
END;
--> statement-breakpoint
CREATE TRIGGER organisations_delete_event AFTER DELETE ON organisations
BEGIN
  UPDATE events SET revision = revision + 1, updated_at = CAST(unixepoch('subsec') * 1000 AS INTEGER) WHERE id = OLD.event_id;
END;
--> statement-breakpoint
CREATE TRIGGER organisations_update_event AFTER UPDATE OF name, full_name, description ON organisations
WHEN OLD.name IS NOT NEW.name OR OLD.full_name IS NOT NEW.full_name OR OLD.description IS NOT NEW.description
BEGIN
  UPDATE events SET revision = revision + 1, updated_at = CAST(unixepoch('subsec') * 1000 AS INTEGER) WHERE id = NEW.event_id;
END;
--> statement-breakpoint
CREATE TRIGGER people_insert_event AFTER INSERT ON people
BEGIN
  UPDATE events SET revision = revision + 1, updated_at = CAST(unixepoch('subsec') * 1000 AS INTEGER) WHERE id = NEW.event_id;
END;
--> statement-breakpoint
CREATE TRIGGER people_delete_event AFTER DELETE ON people
BEGIN
  UPDATE events SET revision = revision + 1, updated_at = CAST(unixepoch('subsec') * 1000 AS INTEGER) WHERE id = OLD.event_id;
END;
--> statement-breakpoint
CREATE TRIGGER people_update_event AFTER UPDATE OF name, organisation_id, bio ON people
WHEN OLD.name IS NOT NEW.name OR OLD.organisation_id IS NOT NEW.organisation_id OR OLD.bio IS NOT NEW.bio
BEGIN
  UPDATE events SET revision = revision + 1, updated_at = CAST(unixepoch('subsec') * 1000 AS INTEGER) WHERE id = NEW.event_id;
END;
--> statement-breakpoint
CREATE TRIGGER expected_outputs_insert_event AFTER INSERT ON expected_outputs
BEGIN
  UPDATE events SET revision = revision + 1, updated_at = CAST(unixepoch('subsec') * 1000 AS INTEGER) WHERE id = NEW.event_id;
END;
--> statement-breakpoint
CREATE TRIGGER expected_outputs_delete_event AFTER DELETE ON expected_outputs
BEGIN
  UPDATE events SET revision = revision + 1, updated_at = CAST(unixepoch('subsec') * 1000 AS INTEGER) WHERE id = OLD.event_id;
END;
--> statement-breakpoint
CREATE TRIGGER expected_outputs_update_event AFTER UPDATE OF position, statement ON expected_outputs
WHEN OLD.position IS NOT NEW.position OR OLD.statement IS NOT NEW.statement
BEGIN
  UPDATE events SET revision = revision + 1, updated_at = CAST(unixepoch('subsec') * 1000 AS INTEGER) WHERE id = NEW.event_id;
END;
