CREATE TABLE `conclusion_conflicts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`public_id` text NOT NULL,
	`conclusion_id` integer NOT NULL,
	`base_revision` integer NOT NULL,
	`current_revision` integer NOT NULL,
	`content` text NOT NULL,
	`user_id` integer,
	`author` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`conclusion_id`) REFERENCES `conclusions`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `conclusion_conflicts_public_id_unique` ON `conclusion_conflicts` (`public_id`);--> statement-breakpoint
CREATE INDEX `conclusion_conflicts_conclusion` ON `conclusion_conflicts` (`conclusion_id`);--> statement-breakpoint
CREATE TABLE `conclusion_revisions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`conclusion_id` integer NOT NULL,
	`number` integer NOT NULL,
	`content` text NOT NULL,
	`user_id` integer,
	`author` text NOT NULL,
	`created_at` integer NOT NULL,
	`restored_from` integer,
	FOREIGN KEY (`conclusion_id`) REFERENCES `conclusions`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `conclusion_revisions_number` ON `conclusion_revisions` (`conclusion_id`,`number`);--> statement-breakpoint
CREATE TABLE `conclusions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`public_id` text NOT NULL,
	`event_id` integer NOT NULL,
	`session_id` integer NOT NULL,
	`state` text NOT NULL,
	`revision` integer NOT NULL,
	`published_revision` integer,
	`published_at` integer,
	`return_comment` text,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`event_id`) REFERENCES `events`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`session_id`) REFERENCES `sessions`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "conclusions_state" CHECK("conclusions"."state" in ('draft','submitted','validated','published'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `conclusions_public_id_unique` ON `conclusions` (`public_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `conclusions_session_id_unique` ON `conclusions` (`session_id`);--> statement-breakpoint
CREATE INDEX `conclusions_event` ON `conclusions` (`event_id`);