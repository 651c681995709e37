-- Messages to speakers and rapporteurs, and webhooks for other systems. Contacts have a table of
-- their own, out of the programme's rows, so no public page, feed, export or snapshot has them.
CREATE TABLE `contacts` (
	`person_id` integer PRIMARY KEY NOT NULL,
	`email` text,
	`language` text,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `mail_opt_outs` (
	`email` text PRIMARY KEY NOT NULL,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `message_settings` (
	`event_id` integer PRIMARY KEY NOT NULL,
	`release_without_review` integer DEFAULT false NOT NULL,
	`rapporteur_without_review` integer DEFAULT true NOT NULL,
	FOREIGN KEY (`event_id`) REFERENCES `events`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `messages` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`public_id` text NOT NULL,
	`event_id` integer NOT NULL,
	`kind` text NOT NULL,
	`state` text NOT NULL,
	`release_id` integer,
	`person_id` integer,
	`user_id` integer,
	`to_name` text NOT NULL,
	`to_address` text NOT NULL,
	`language` text NOT NULL,
	`subject` text NOT NULL,
	`body` text NOT NULL,
	`attachments` text NOT NULL,
	`stop_token` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer,
	`lease_until` integer,
	`log` text DEFAULT '[]' NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`done_at` integer,
	`version` integer DEFAULT 1 NOT NULL,
	FOREIGN KEY (`event_id`) REFERENCES `events`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`release_id`) REFERENCES `releases`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "messages_state" CHECK("messages"."state" in ('draft','queued','sending','sent','failed','discarded'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `messages_public_id_unique` ON `messages` (`public_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `messages_stop_token_unique` ON `messages` (`stop_token`);--> statement-breakpoint
CREATE INDEX `messages_event` ON `messages` (`event_id`,`id`);--> statement-breakpoint
CREATE INDEX `messages_due` ON `messages` (`state`,`next_attempt_at`);--> statement-breakpoint
CREATE TABLE `webhook_deliveries` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`public_id` text NOT NULL,
	`endpoint_id` integer NOT NULL,
	`event_id` integer NOT NULL,
	`kind` text NOT NULL,
	`payload` text NOT NULL,
	`state` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer,
	`lease_until` integer,
	`log` text DEFAULT '[]' NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`done_at` integer,
	FOREIGN KEY (`endpoint_id`) REFERENCES `webhook_endpoints`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`event_id`) REFERENCES `events`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "webhook_deliveries_state" CHECK("webhook_deliveries"."state" in ('queued','sending','sent','failed','discarded'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `webhook_deliveries_public_id_unique` ON `webhook_deliveries` (`public_id`);--> statement-breakpoint
CREATE INDEX `webhook_deliveries_endpoint` ON `webhook_deliveries` (`endpoint_id`,`id`);--> statement-breakpoint
CREATE INDEX `webhook_deliveries_due` ON `webhook_deliveries` (`state`,`next_attempt_at`);--> statement-breakpoint
CREATE TABLE `webhook_endpoints` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`public_id` text NOT NULL,
	`event_id` integer NOT NULL,
	`url` text NOT NULL,
	`secret` text NOT NULL,
	`kinds` text NOT NULL,
	`disabled_at` integer,
	`failures` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	FOREIGN KEY (`event_id`) REFERENCES `events`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `webhook_endpoints_public_id_unique` ON `webhook_endpoints` (`public_id`);--> statement-breakpoint
CREATE INDEX `webhook_endpoints_event` ON `webhook_endpoints` (`event_id`);--> statement-breakpoint
ALTER TABLE `users` ADD `language` text;
--> statement-breakpoint
-- Edit versions, kept here as in 0004_edit_versions.sql: every change of a message (a sender's
-- too) or of a webhook endpoint raises its version, which edits name in If-Match.
CREATE TRIGGER messages_version AFTER UPDATE OF kind, state, release_id, person_id, user_id, to_name, to_address, language, subject, body, attachments, stop_token, attempts, next_attempt_at, lease_until, log, done_at ON messages
WHEN NEW.version = OLD.version AND (OLD.kind IS NOT NEW.kind OR OLD.state IS NOT NEW.state OR OLD.release_id IS NOT NEW.release_id OR OLD.person_id IS NOT NEW.person_id OR OLD.user_id IS NOT NEW.user_id OR OLD.to_name IS NOT NEW.to_name OR OLD.to_address IS NOT NEW.to_address OR OLD.language IS NOT NEW.language OR OLD.subject IS NOT NEW.subject OR OLD.body IS NOT NEW.body OR OLD.attachments IS NOT NEW.attachments OR OLD.stop_token IS NOT NEW.stop_token OR OLD.attempts IS NOT NEW.attempts OR OLD.next_attempt_at IS NOT NEW.next_attempt_at OR OLD.lease_until IS NOT NEW.lease_until OR OLD.log IS NOT NEW.log OR OLD.done_at IS NOT NEW.done_at)
BEGIN
  UPDATE messages SET version = version + 1 WHERE id = NEW.id;
END;
--> statement-breakpoint
CREATE TRIGGER webhook_endpoints_version AFTER UPDATE OF url, secret, kinds, disabled_at, failures ON webhook_endpoints
WHEN NEW.version = OLD.version AND (OLD.url IS NOT NEW.url OR OLD.secret IS NOT NEW.secret OR OLD.kinds IS NOT NEW.kinds OR OLD.disabled_at IS NOT NEW.disabled_at OR OLD.failures IS NOT NEW.failures)
BEGIN
  UPDATE webhook_endpoints SET version = version + 1 WHERE id = NEW.id;
END;
--> statement-breakpoint
-- What left the server stays as it left: a message once taken by a sender is never rewritten.
CREATE TRIGGER messages_sent_unchanged BEFORE UPDATE OF subject, body, to_address, attachments ON messages
WHEN OLD.state NOT IN ('draft', 'queued') AND (OLD.subject IS NOT NEW.subject OR OLD.body IS NOT NEW.body OR OLD.to_address IS NOT NEW.to_address OR OLD.attachments IS NOT NEW.attachments)
BEGIN
  SELECT RAISE(ABORT, 'a message that a sender has taken cannot be rewritten');
END;
--> statement-breakpoint
-- A sent message is never sent again, nor a delivered webhook.
CREATE TRIGGER messages_sent_final BEFORE UPDATE OF state ON messages
WHEN OLD.state = 'sent' AND NEW.state IS NOT 'sent'
BEGIN
  SELECT RAISE(ABORT, 'a sent message stays sent');
END;
--> statement-breakpoint
CREATE TRIGGER webhook_deliveries_sent_final BEFORE UPDATE OF state ON webhook_deliveries
WHEN OLD.state = 'sent' AND NEW.state IS NOT 'sent'
BEGIN
  SELECT RAISE(ABORT, 'a delivered webhook stays delivered');
END;
--> statement-breakpoint
-- An account's language is part of it, like its name: users_version of 0004 watches it too now.
DROP TRIGGER users_version;
--> statement-breakpoint
CREATE TRIGGER users_version AFTER UPDATE OF email, name, password_hash, role, event_id, language ON users
WHEN NEW.version = OLD.version AND (OLD.email IS NOT NEW.email OR OLD.name IS NOT NEW.name OR OLD.password_hash IS NOT NEW.password_hash OR OLD.role IS NOT NEW.role OR OLD.event_id IS NOT NEW.event_id OR OLD.language IS NOT NEW.language)
BEGIN
  UPDATE users SET version = version + 1 WHERE id = NEW.id;
END;
