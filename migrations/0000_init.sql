CREATE TABLE `events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`public_id` text NOT NULL,
	`slug` text NOT NULL,
	`timezone` text NOT NULL,
	`default_language` text NOT NULL,
	`languages` text NOT NULL,
	`title` text NOT NULL,
	`subtitle` text,
	`description` text,
	`venue` text,
	`city` text,
	`country` text,
	`start_date` text NOT NULL,
	`end_date` text NOT NULL,
	`revision` integer DEFAULT 1 NOT NULL,
	`updated_at` integer NOT NULL,
	CONSTRAINT "events_dates" CHECK("events"."start_date" <= "events"."end_date")
);
--> statement-breakpoint
CREATE UNIQUE INDEX `events_public_id_unique` ON `events` (`public_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `events_slug_unique` ON `events` (`slug`);--> statement-breakpoint
CREATE TABLE `expected_outputs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`public_id` text NOT NULL,
	`event_id` integer NOT NULL,
	`position` integer NOT NULL,
	`statement` text NOT NULL,
	FOREIGN KEY (`event_id`) REFERENCES `events`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `expected_outputs_public_id_unique` ON `expected_outputs` (`public_id`);--> statement-breakpoint
CREATE INDEX `expected_outputs_event` ON `expected_outputs` (`event_id`,`position`);--> statement-breakpoint
CREATE TABLE `organisations` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`public_id` text NOT NULL,
	`event_id` integer NOT NULL,
	`name` text NOT NULL,
	`full_name` text,
	`description` text,
	FOREIGN KEY (`event_id`) REFERENCES `events`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `organisations_public_id_unique` ON `organisations` (`public_id`);--> statement-breakpoint
CREATE INDEX `organisations_event` ON `organisations` (`event_id`);--> statement-breakpoint
CREATE TABLE `parts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`public_id` text NOT NULL,
	`event_id` integer NOT NULL,
	`position` integer NOT NULL,
	`label` text NOT NULL,
	`title` text NOT NULL,
	FOREIGN KEY (`event_id`) REFERENCES `events`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `parts_public_id_unique` ON `parts` (`public_id`);--> statement-breakpoint
CREATE INDEX `parts_event` ON `parts` (`event_id`,`position`);--> statement-breakpoint
CREATE TABLE `people` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`public_id` text NOT NULL,
	`event_id` integer NOT NULL,
	`name` text NOT NULL,
	`organisation_id` integer,
	`bio` text,
	FOREIGN KEY (`event_id`) REFERENCES `events`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`organisation_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `people_public_id_unique` ON `people` (`public_id`);--> statement-breakpoint
CREATE INDEX `people_event` ON `people` (`event_id`);--> statement-breakpoint
CREATE TABLE `rooms` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`public_id` text NOT NULL,
	`event_id` integer NOT NULL,
	`position` integer NOT NULL,
	`name` text NOT NULL,
	FOREIGN KEY (`event_id`) REFERENCES `events`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `rooms_public_id_unique` ON `rooms` (`public_id`);--> statement-breakpoint
CREATE INDEX `rooms_event` ON `rooms` (`event_id`,`position`);--> statement-breakpoint
CREATE TABLE `session_contributors` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`session_id` integer NOT NULL,
	`role` text NOT NULL,
	`person_id` integer,
	`organisation_id` integer,
	`position` integer NOT NULL,
	FOREIGN KEY (`session_id`) REFERENCES `sessions`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`organisation_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "session_contributors_someone" CHECK("session_contributors"."person_id" is not null or "session_contributors"."organisation_id" is not null),
	CONSTRAINT "session_contributors_role" CHECK("session_contributors"."role" in ('speaker','moderator','presenter','rapporteur'))
);
--> statement-breakpoint
CREATE INDEX `session_contributors_session` ON `session_contributors` (`session_id`,`position`);--> statement-breakpoint
CREATE INDEX `session_contributors_person` ON `session_contributors` (`person_id`);--> statement-breakpoint
CREATE INDEX `session_contributors_organisation` ON `session_contributors` (`organisation_id`);--> statement-breakpoint
CREATE TABLE `session_outputs` (
	`session_id` integer NOT NULL,
	`output_id` integer NOT NULL,
	PRIMARY KEY(`session_id`, `output_id`),
	FOREIGN KEY (`session_id`) REFERENCES `sessions`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`output_id`) REFERENCES `expected_outputs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `session_outputs_output` ON `session_outputs` (`output_id`);--> statement-breakpoint
CREATE TABLE `sessions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`public_id` text NOT NULL,
	`event_id` integer NOT NULL,
	`part_id` integer,
	`slot_id` integer,
	`room_id` integer,
	`kind` text NOT NULL,
	`status` text DEFAULT 'confirmed' NOT NULL,
	`title` text NOT NULL,
	`description` text,
	`revision` integer DEFAULT 0 NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`event_id`) REFERENCES `events`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`part_id`) REFERENCES `parts`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`slot_id`) REFERENCES `time_slots`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`room_id`) REFERENCES `rooms`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "sessions_kind" CHECK("sessions"."kind" in ('session','plenary','workshop','panel','break','registration')),
	CONSTRAINT "sessions_status" CHECK("sessions"."status" in ('confirmed','cancelled'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sessions_public_id_unique` ON `sessions` (`public_id`);--> statement-breakpoint
CREATE INDEX `sessions_event` ON `sessions` (`event_id`);--> statement-breakpoint
CREATE INDEX `sessions_slot` ON `sessions` (`slot_id`);--> statement-breakpoint
CREATE TABLE `time_slots` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`public_id` text NOT NULL,
	`event_id` integer NOT NULL,
	`starts_at` integer NOT NULL,
	`ends_at` integer NOT NULL,
	FOREIGN KEY (`event_id`) REFERENCES `events`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "time_slots_order" CHECK("time_slots"."starts_at" < "time_slots"."ends_at")
);
--> statement-breakpoint
CREATE UNIQUE INDEX `time_slots_public_id_unique` ON `time_slots` (`public_id`);--> statement-breakpoint
CREATE INDEX `time_slots_event` ON `time_slots` (`event_id`,`starts_at`);