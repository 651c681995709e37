CREATE TABLE `follow_up_items` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`event_id` integer NOT NULL,
	`conclusion_id` integer NOT NULL,
	`kind` text NOT NULL,
	`position` integer NOT NULL,
	`text` text NOT NULL,
	`status` text DEFAULT 'proposed' NOT NULL,
	`owner_person_id` integer,
	`owner_organisation_id` integer,
	`due` text,
	`status_changed_at` integer,
	`updated_at` integer NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	FOREIGN KEY (`event_id`) REFERENCES `events`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`conclusion_id`) REFERENCES `conclusions`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`owner_person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`owner_organisation_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "follow_up_items_kind" CHECK("follow_up_items"."kind" in ('recommendation','action')),
	CONSTRAINT "follow_up_items_status" CHECK("follow_up_items"."status" in ('proposed','adopted','in-progress','done','dropped')),
	CONSTRAINT "follow_up_items_one_owner" CHECK("follow_up_items"."owner_person_id" is null or "follow_up_items"."owner_organisation_id" is null),
	CONSTRAINT "follow_up_items_due" CHECK("follow_up_items"."due" is null or "follow_up_items"."due" glob '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]')
);
--> statement-breakpoint
CREATE UNIQUE INDEX `follow_up_items_place` ON `follow_up_items` (`conclusion_id`,`kind`,`position`);--> statement-breakpoint
CREATE INDEX `follow_up_items_event` ON `follow_up_items` (`event_id`);--> statement-breakpoint
CREATE TABLE `follow_up_notes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`public_id` text NOT NULL,
	`item_id` integer NOT NULL,
	`at` integer NOT NULL,
	`status_from` text,
	`status_to` text,
	`note` text,
	`links` text,
	`user_id` integer,
	`author` text NOT NULL,
	FOREIGN KEY (`item_id`) REFERENCES `follow_up_items`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "follow_up_notes_status" CHECK(("follow_up_notes"."status_from" is null) = ("follow_up_notes"."status_to" is null))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `follow_up_notes_public_id_unique` ON `follow_up_notes` (`public_id`);--> statement-breakpoint
CREATE INDEX `follow_up_notes_item` ON `follow_up_notes` (`item_id`,`at`);--> statement-breakpoint
CREATE TABLE `session_feedback` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`event_id` integer NOT NULL,
	`session_id` integer NOT NULL,
	`browser_hash` text NOT NULL,
	`rating` integer NOT NULL,
	`useful` integer,
	`comment` text,
	`comment_state` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	FOREIGN KEY (`event_id`) REFERENCES `events`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`session_id`) REFERENCES `sessions`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "session_feedback_rating" CHECK("session_feedback"."rating" between 1 and 5),
	CONSTRAINT "session_feedback_comment_state" CHECK("session_feedback"."comment_state" is null or "session_feedback"."comment_state" in ('pending','approved','hidden'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `session_feedback_browser` ON `session_feedback` (`session_id`,`browser_hash`);--> statement-breakpoint
CREATE INDEX `session_feedback_event` ON `session_feedback` (`event_id`,`session_id`);--> statement-breakpoint
ALTER TABLE `rooms` ADD `interpretation` text;--> statement-breakpoint
ALTER TABLE `sessions` ADD `interpretation` text;--> statement-breakpoint
-- Follow-ups are edited like every other row: their version rises on each change.
CREATE TRIGGER follow_up_items_version AFTER UPDATE OF conclusion_id, kind, position, text, status, owner_person_id, owner_organisation_id, due, status_changed_at ON follow_up_items
WHEN NEW.version = OLD.version AND (OLD.conclusion_id IS NOT NEW.conclusion_id OR OLD.kind IS NOT NEW.kind OR OLD.position IS NOT NEW.position OR OLD.text IS NOT NEW.text OR OLD.status IS NOT NEW.status OR OLD.owner_person_id IS NOT NEW.owner_person_id OR OLD.owner_organisation_id IS NOT NEW.owner_organisation_id OR OLD.due IS NOT NEW.due OR OLD.status_changed_at IS NOT NEW.status_changed_at)
BEGIN
  UPDATE follow_up_items SET version = version + 1 WHERE id = NEW.id;
END;
--> statement-breakpoint
-- Progress notes are a history: what was said on a date stays said.
CREATE TRIGGER follow_up_notes_written_once BEFORE UPDATE ON follow_up_notes
BEGIN
  SELECT RAISE(ABORT, 'follow-up notes are never rewritten');
END;
--> statement-breakpoint
-- A comment nobody has moderated is never public: a new comment, or a changed one, waits for
-- an organiser whatever the writer asked for; no comment, no state.
CREATE TRIGGER session_feedback_comment_insert AFTER INSERT ON session_feedback
WHEN NEW.comment_state IS NOT (CASE WHEN NEW.comment IS NULL THEN NULL ELSE 'pending' END)
BEGIN
  UPDATE session_feedback SET comment_state = CASE WHEN NEW.comment IS NULL THEN NULL ELSE 'pending' END WHERE id = NEW.id;
END;
--> statement-breakpoint
CREATE TRIGGER session_feedback_comment_changed AFTER UPDATE OF comment ON session_feedback
WHEN OLD.comment IS NOT NEW.comment
BEGIN
  UPDATE session_feedback SET comment_state = CASE WHEN NEW.comment IS NULL THEN NULL ELSE 'pending' END WHERE id = NEW.id;
END;
--> statement-breakpoint
CREATE TRIGGER session_feedback_no_state_without_comment BEFORE UPDATE OF comment_state ON session_feedback
WHEN NEW.comment IS NULL AND NEW.comment_state IS NOT NULL
BEGIN
  SELECT RAISE(ABORT, 'there is no comment to moderate');
END;
--> statement-breakpoint
CREATE TRIGGER session_feedback_version AFTER UPDATE OF session_id, browser_hash, rating, useful, comment, comment_state ON session_feedback
WHEN NEW.version = OLD.version AND (OLD.session_id IS NOT NEW.session_id OR OLD.browser_hash IS NOT NEW.browser_hash OR OLD.rating IS NOT NEW.rating OR OLD.useful IS NOT NEW.useful OR OLD.comment IS NOT NEW.comment OR OLD.comment_state IS NOT NEW.comment_state)
BEGIN
  UPDATE session_feedback SET version = version + 1 WHERE id = NEW.id;
END;
--> statement-breakpoint
-- A session's interpretation is on its calendar entry (its DESCRIPTION): changing it raises the
-- session's version and revision (the SEQUENCE), and the event's revision through that.
DROP TRIGGER sessions_calendar_fields;
--> statement-breakpoint
CREATE TRIGGER sessions_calendar_fields AFTER UPDATE OF part_id, slot_id, room_id, kind, status, title, description, abstract, links, interpretation ON sessions
WHEN OLD.part_id IS NOT NEW.part_id OR OLD.slot_id IS NOT NEW.slot_id OR OLD.room_id IS NOT NEW.room_id OR OLD.kind IS NOT NEW.kind OR OLD.status IS NOT NEW.status OR OLD.title IS NOT NEW.title OR OLD.description IS NOT NEW.description OR OLD.abstract IS NOT NEW.abstract OR OLD.links IS NOT NEW.links OR OLD.interpretation IS NOT NEW.interpretation
BEGIN
  UPDATE sessions SET revision = revision + 1, updated_at = CAST(unixepoch('subsec') * 1000 AS INTEGER) WHERE id = NEW.id;
END;
--> statement-breakpoint
DROP TRIGGER sessions_details_version;
--> statement-breakpoint
CREATE TRIGGER sessions_details_version AFTER UPDATE OF subtitle, abstract, language, links, interpretation ON sessions
WHEN NEW.version = OLD.version AND (OLD.subtitle IS NOT NEW.subtitle OR OLD.abstract IS NOT NEW.abstract OR OLD.language IS NOT NEW.language OR OLD.links IS NOT NEW.links OR OLD.interpretation IS NOT NEW.interpretation)
BEGIN
  UPDATE sessions SET version = version + 1 WHERE id = NEW.id;
END;
--> statement-breakpoint
-- A room's interpretation is inherited by the sessions in it that name none of their own: their
-- calendar entries change with it.
DROP TRIGGER rooms_version;
--> statement-breakpoint
CREATE TRIGGER rooms_version AFTER UPDATE OF position, name, interpretation ON rooms
WHEN NEW.version = OLD.version AND (OLD.position IS NOT NEW.position OR OLD.name IS NOT NEW.name OR OLD.interpretation IS NOT NEW.interpretation)
BEGIN
  UPDATE rooms SET version = version + 1 WHERE id = NEW.id;
END;
--> statement-breakpoint
CREATE TRIGGER rooms_interpretation_calendar AFTER UPDATE OF interpretation ON rooms
WHEN OLD.interpretation IS NOT NEW.interpretation
BEGIN
  UPDATE sessions SET revision = revision + 1, updated_at = CAST(unixepoch('subsec') * 1000 AS INTEGER) WHERE room_id = NEW.id AND interpretation IS NULL;
END;
--> statement-breakpoint
DROP TRIGGER rooms_update_event;
--> statement-breakpoint
CREATE TRIGGER rooms_update_event AFTER UPDATE OF position, name, interpretation ON rooms
WHEN OLD.position IS NOT NEW.position OR OLD.name IS NOT NEW.name OR OLD.interpretation IS NOT NEW.interpretation
BEGIN
  UPDATE events SET revision = revision + 1, updated_at = CAST(unixepoch('subsec') * 1000 AS INTEGER) WHERE id = NEW.event_id;
END;
