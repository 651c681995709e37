CREATE TABLE `staged_imports` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`token` text NOT NULL,
	`user_id` integer NOT NULL,
	`event_id` integer,
	`format` text NOT NULL,
	`file_name` text NOT NULL,
	`options` text NOT NULL,
	`bytes` blob NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`event_id`) REFERENCES `events`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `staged_imports_token_unique` ON `staged_imports` (`token`);--> statement-breakpoint
CREATE INDEX `staged_imports_created` ON `staged_imports` (`created_at`);