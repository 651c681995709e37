ALTER TABLE `sessions` ADD `subtitle` text;--> statement-breakpoint
ALTER TABLE `sessions` ADD `abstract` text;--> statement-breakpoint
ALTER TABLE `sessions` ADD `language` text;--> statement-breakpoint
ALTER TABLE `sessions` ADD `links` text;--> statement-breakpoint
-- The new fields are edited like the others (their version rises) and belong to the event's
-- programme (its revision rises). They are not on calendars, so the SEQUENCE stays.
CREATE TRIGGER sessions_details_version AFTER UPDATE OF subtitle, abstract, language, links ON sessions
WHEN NEW.version = OLD.version AND (OLD.subtitle IS NOT NEW.subtitle OR OLD.abstract IS NOT NEW.abstract OR OLD.language IS NOT NEW.language OR OLD.links IS NOT NEW.links)
BEGIN
  UPDATE sessions SET version = version + 1 WHERE id = NEW.id;
END;
--> statement-breakpoint
CREATE TRIGGER sessions_details_event AFTER UPDATE OF subtitle, abstract, language, links ON sessions
WHEN OLD.subtitle IS NOT NEW.subtitle OR OLD.abstract IS NOT NEW.abstract OR OLD.language IS NOT NEW.language OR OLD.links IS NOT NEW.links
BEGIN
  UPDATE events SET revision = revision + 1, updated_at = CAST(unixepoch('subsec') * 1000 AS INTEGER) WHERE id = NEW.event_id;
END;
