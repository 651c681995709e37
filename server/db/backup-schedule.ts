// Scheduled backups (BACKUP_DIR, BACKUP_INTERVAL, BACKUP_KEEP): one process takes them (the
// single server, or the cluster primary), one at a time, into files named by their UTC moment,
// and keeps the newest BACKUP_KEEP of them.
import fs from 'node:fs';
import path from 'node:path';
import { backupDatabase, type BackupReport } from './backup.ts';

export interface BackupSchedule {
  /** Absolute path of the folder the backups go to. */
  dir: string;
  intervalMs: number;
  /** How many backups to keep; older ones are deleted after each new one. */
  keep: number;
}

export type BackupLog = (level: 'info' | 'error', msg: string, fields?: Record<string, unknown>) => void;

/** forum-20261202T144721.123Z.db: names sort as their moments do. */
export function scheduledBackupName(databasePath: string, at: Date): string {
  return `${path.basename(databasePath, '.db')}-${at.toISOString().replace(/[-:]/g, '')}.db`;
}

/** The scheduled backups of this database in dir, oldest first (other files are left alone). */
export function listScheduledBackups(databasePath: string, dir: string): string[] {
  const prefix = path.basename(databasePath, '.db');
  const pattern = /^-\d{8}T\d{6}\.\d{3}Z\.db$/;
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).filter((name) => name.startsWith(prefix) && pattern.test(name.slice(prefix.length))).sort();
}

/** The moment a scheduled backup's name records. */
function momentOf(name: string): number {
  const stamp = /(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})\.(\d{3})Z\.db$/.exec(name)!;
  return Date.UTC(+stamp[1]!, +stamp[2]! - 1, +stamp[3]!, +stamp[4]!, +stamp[5]!, +stamp[6]!, +stamp[7]!);
}

/** Takes one scheduled backup, then deletes the oldest beyond `keep`. */
export async function takeScheduledBackup(databasePath: string, schedule: BackupSchedule, now: Date): Promise<{ report: BackupReport; pruned: string[] }> {
  fs.mkdirSync(schedule.dir, { recursive: true });
  const report = await backupDatabase(databasePath, path.join(schedule.dir, scheduledBackupName(databasePath, now)));
  const all = listScheduledBackups(databasePath, schedule.dir);
  const pruned = all.slice(0, Math.max(0, all.length - schedule.keep));
  for (const name of pruned) fs.rmSync(path.join(schedule.dir, name), { force: true });
  return { report, pruned };
}

/**
 * Starts the schedule: the first backup is due an interval after the newest one in the folder (at
 * once when there is none or it is older), so frequent restarts do not postpone backups forever.
 * A failed backup is logged and tried again at the next interval. The timer never keeps the
 * process alive; stop() ends the schedule (a backup under way finishes, or leaves only its partial file).
 */
export function scheduleBackups(databasePath: string, schedule: BackupSchedule, log: BackupLog): { stop: () => void } {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  // Partial files of a backup cut short by a stop or a crash: never complete, never restored from.
  if (fs.existsSync(schedule.dir)) {
    const prefix = `.${path.basename(databasePath, '.db')}-`;
    for (const name of fs.readdirSync(schedule.dir)) {
      if (name.startsWith(prefix) && /\.db\.partial-\d+$/.test(name)) fs.rmSync(path.join(schedule.dir, name), { force: true });
    }
  }
  const plan = (delayMs: number) => {
    if (stopped) return;
    timer = setTimeout(run, Math.max(0, delayMs));
    timer.unref();
  };
  const run = async () => {
    const started = Date.now();
    try {
      const { report, pruned } = await takeScheduledBackup(databasePath, schedule, new Date(started));
      log('info', 'backup written', { file: report.file, bytes: report.bytes, ms: report.ms, pruned });
    } catch (error) {
      log('error', `scheduled backup failed: ${(error as Error).message}`, { dir: schedule.dir });
    }
    plan(started + schedule.intervalMs - Date.now());
  };
  const newest = listScheduledBackups(databasePath, schedule.dir).at(-1);
  // Bounded by one interval: a backup stamped in the future (the clock was set back) does not postpone the next one.
  plan(newest === undefined ? 0 : Math.min(schedule.intervalMs, momentOf(newest) + schedule.intervalMs - Date.now()));
  return {
    stop: () => {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
