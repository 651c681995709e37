-- Edit versions, kept by the database so that no write path can forget them.
--
-- Every editable row has a version. Writers read it, and update only if it is still the one
-- they started from (optimistic locking: a stale write is refused, never merged silently).
-- These triggers raise it whenever a content column really changes; a writer that sets the
-- version itself is left alone. A session's contributors and outputs are part of the session,
-- so changing them raises the session's version too.
CREATE TRIGGER events_version AFTER UPDATE OF slug, timezone, default_language, languages, title, subtitle, description, venue, city, country, start_date, end_date ON events
WHEN NEW.version = OLD.version AND (OLD.slug IS NOT NEW.slug OR OLD.timezone IS NOT NEW.timezone OR OLD.default_language IS NOT NEW.default_language OR OLD.languages IS NOT NEW.languages OR OLD.title IS NOT NEW.title OR OLD.subtitle IS NOT NEW.subtitle OR OLD.description IS NOT NEW.description OR OLD.venue IS NOT NEW.venue OR OLD.city IS NOT NEW.city OR OLD.country IS NOT NEW.country OR OLD.start_date IS NOT NEW.start_date OR OLD.end_date IS NOT NEW.end_date)
BEGIN
  UPDATE events SET version = version + 1 WHERE id = NEW.id;
END;
--> statement-breakpoint
CREATE TRIGGER parts_version AFTER UPDATE OF position, label, title, starts_at, ends_at ON parts
WHEN NEW.version = OLD.version AND (OLD.position IS NOT NEW.position OR OLD.label IS NOT NEW.label OR OLD.title IS NOT NEW.title OR OLD.starts_at IS NOT NEW.starts_at OR OLD.ends_at IS NOT NEW.ends_at)
BEGIN
  UPDATE parts SET version = version + 1 WHERE id = NEW.id;
END;
--> statement-breakpoint
CREATE TRIGGER rooms_version AFTER UPDATE OF position, name ON rooms
WHEN NEW.version = OLD.version AND (OLD.position IS NOT NEW.position OR OLD.name IS NOT NEW.name)
BEGIN
  UPDATE rooms SET version = version + 1 WHERE id = NEW.id;
END;
--> statement-breakpoint
CREATE TRIGGER time_slots_version AFTER UPDATE OF starts_at, ends_at ON time_slots
WHEN NEW.version = OLD.version AND (OLD.starts_at IS NOT NEW.starts_at OR OLD.ends_at IS NOT NEW.ends_at)
BEGIN
  UPDATE time_slots SET version = version + 1 WHERE id = NEW.id;
END;
--> statement-breakpoint
CREATE TRIGGER sessions_version AFTER UPDATE OF part_id, slot_id, room_id, kind, status, title, description ON sessions
WHEN NEW.version = OLD.version AND (OLD.part_id IS NOT NEW.part_id OR OLD.slot_id IS NOT NEW.slot_id OR OLD.room_id IS NOT NEW.room_id OR OLD.kind IS NOT NEW.kind OR OLD.status IS NOT NEW.status OR OLD.title IS NOT NEW.title OR OLD.description IS NOT NEW.description)
BEGIN
  UPDATE sessions SET version = version + 1 WHERE id = NEW.id;
END;
--> statement-breakpoint
CREATE TRIGGER organisations_version AFTER UPDATE OF name, full_name, description ON organisations
WHEN NEW.version = OLD.version AND (OLD.name IS NOT NEW.name OR OLD.full_name IS NOT NEW.full_name OR OLD.description IS NOT NEW.description)
BEGIN
  UPDATE organisations SET version = version + 1 WHERE id = NEW.id;
END;
--> statement-breakpoint
CREATE TRIGGER people_version AFTER UPDATE OF name, organisation_id, bio ON people
WHEN NEW.version = OLD.version AND (OLD.name IS NOT NEW.name OR OLD.organisation_id IS NOT NEW.organisation_id OR OLD.bio IS NOT NEW.bio)
BEGIN
  UPDATE people SET version = version + 1 WHERE id = NEW.id;
END;
--> statement-breakpoint
CREATE TRIGGER expected_outputs_version AFTER UPDATE OF position, statement ON expected_outputs
WHEN NEW.version = OLD.version AND (OLD.position IS NOT NEW.position OR OLD.statement IS NOT NEW.statement)
BEGIN
  UPDATE expected_outputs SET version = version + 1 WHERE id = NEW.id;
END;
--> statement-breakpoint
CREATE TRIGGER users_version AFTER UPDATE OF email, name, password_hash, role, event_id ON users
WHEN NEW.version = OLD.version AND (OLD.email IS NOT NEW.email OR OLD.name IS NOT NEW.name OR OLD.password_hash IS NOT NEW.password_hash OR OLD.role IS NOT NEW.role OR OLD.event_id IS NOT NEW.event_id)
BEGIN
  UPDATE users SET version = version + 1 WHERE id = NEW.id;
END;
--> statement-breakpoint
CREATE TRIGGER session_contributors_insert_version AFTER INSERT ON session_contributors
BEGIN
  UPDATE sessions SET version = version + 1 WHERE id = NEW.session_id;
END;
--> statement-breakpoint
CREATE TRIGGER session_contributors_delete_version AFTER DELETE ON session_contributors
BEGIN
  UPDATE sessions SET version = version + 1 WHERE id = OLD.session_id;
END;
--> statement-breakpoint
CREATE TRIGGER session_contributors_update_version AFTER UPDATE ON session_contributors
BEGIN
  UPDATE sessions SET version = version + 1 WHERE id IN (OLD.session_id, NEW.session_id);
END;
--> statement-breakpoint
CREATE TRIGGER session_outputs_insert_version AFTER INSERT ON session_outputs
BEGIN
  UPDATE sessions SET version = version + 1 WHERE id = NEW.session_id;
END;
--> statement-breakpoint
CREATE TRIGGER session_outputs_delete_version AFTER DELETE ON session_outputs
BEGIN
  UPDATE sessions SET version = version + 1 WHERE id = OLD.session_id;
END;
--> statement-breakpoint
CREATE TRIGGER session_outputs_update_version AFTER UPDATE ON session_outputs
BEGIN
  UPDATE sessions SET version = version + 1 WHERE id IN (OLD.session_id, NEW.session_id);
END;
--> statement-breakpoint
-- A part's span is new (migration 0003): the programme changes with it, as with its title.
CREATE TRIGGER parts_span_event AFTER UPDATE OF starts_at, ends_at ON parts
WHEN OLD.starts_at IS NOT NEW.starts_at OR OLD.ends_at IS NOT NEW.ends_at
BEGIN
  UPDATE events SET revision = revision + 1, updated_at = CAST(unixepoch('subsec') * 1000 AS INTEGER) WHERE id = NEW.event_id;
END;
