CREATE TABLE `personal_agenda_sessions` (
	`agenda_id` integer NOT NULL,
	`session_id` integer NOT NULL,
	PRIMARY KEY(`agenda_id`, `session_id`),
	FOREIGN KEY (`agenda_id`) REFERENCES `personal_agendas`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`session_id`) REFERENCES `sessions`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `personal_agenda_sessions_session` ON `personal_agenda_sessions` (`session_id`);--> statement-breakpoint
CREATE TABLE `personal_agendas` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`token_hash` text NOT NULL,
	`event_id` integer NOT NULL,
	`revision` integer DEFAULT 1 NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`event_id`) REFERENCES `events`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `personal_agendas_token_hash_unique` ON `personal_agendas` (`token_hash`);--> statement-breakpoint
CREATE INDEX `personal_agendas_event` ON `personal_agendas` (`event_id`);