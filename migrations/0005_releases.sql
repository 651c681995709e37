CREATE TABLE `releases` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`public_id` text NOT NULL,
	`event_id` integer NOT NULL,
	`sequence` integer NOT NULL,
	`name` text NOT NULL,
	`note` text,
	`released_at` integer NOT NULL,
	`user_id` integer,
	`actor` text NOT NULL,
	`snapshot` text NOT NULL,
	`changes` text NOT NULL,
	FOREIGN KEY (`event_id`) REFERENCES `events`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `releases_public_id_unique` ON `releases` (`public_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `releases_event_sequence` ON `releases` (`event_id`,`sequence`);--> statement-breakpoint
CREATE UNIQUE INDEX `releases_event_name` ON `releases` (`event_id`,`name`);