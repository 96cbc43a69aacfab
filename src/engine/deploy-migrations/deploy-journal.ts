// `<compose dir>/.glowworm/deploy-migrations.json`: which deployment migrations are applied, and the runs that applied
// them. It is umzug's storage, with one difference that matters: umzug only logs a migration after it succeeded, so the
// runner also writes `started` BEFORE each one runs. A `started` without a later `completed` or `failed` means a crash
// in between, and the files may be half-changed. Every write replaces the file atomically (temp, fsync, rename).
import { mkdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { UmzugStorage } from 'umzug';
import { writeFileAtomic } from '../atomic-file.js';
import { userError } from '../errors.js';
import type { KeptOriginals } from './originals.js';

export type Direction = 'up' | 'down';

export interface JournalEvent {
  name: string;
  direction: Direction;
  status: 'started' | 'completed' | 'failed';
  at: string;
  run: string;
  error?: string;
}

export interface JournalRun {
  id: string;
  /** What the run upgraded to, for people (the target backend image); never used to decide anything. */
  target?: string;
  startedAt: string;
  /** The compose file and `.env` as they were before the run, kept byte for byte. */
  originals: KeptOriginals;
  /** sha256 of both files right after the run (null while it runs, or for a file that does not exist). */
  after: { compose: string | null; env: string | null } | null;
  /** Set when the run was undone by putting the originals back. */
  restoredAt?: string;
}

interface JournalData {
  format: 1;
  events: JournalEvent[];
  runs: JournalRun[];
}

export function journalPath(composeDir: string): string {
  return join(composeDir, '.glowworm', 'deploy-migrations.json');
}

export class DeployJournal implements UmzugStorage {
  /** The run the next events belong to. */
  run = '';

  private constructor(
    readonly path: string,
    private readonly data: JournalData,
  ) {}

  static async open(path: string): Promise<DeployJournal> {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      return new DeployJournal(path, { format: 1, events: [], runs: [] });
    }
    try {
      return new DeployJournal(path, JSON.parse(text) as JournalData);
    } catch (error) {
      throw userError('deploy-migrations.journal-invalid', `${path} is not valid JSON: ${(error as Error).message}`,
        'Restore it from a backup, or move it away if no deployment migration was ever applied here.');
    }
  }

  async record(name: string, direction: Direction, status: JournalEvent['status'], error?: string): Promise<void> {
    const event: JournalEvent = { name, direction, status, at: new Date().toISOString(), run: this.run };
    if (error) event.error = error;
    this.data.events.push(event);
    await this.flush();
  }

  // umzug's storage contract: it calls these after a migration's up() / down() returned.
  async logMigration({ name }: { name: string }): Promise<void> {
    await this.record(name, 'up', 'completed');
  }

  async unlogMigration({ name }: { name: string }): Promise<void> {
    await this.record(name, 'down', 'completed');
  }

  async executed(): Promise<string[]> {
    return this.applied();
  }

  /** Applied migrations in the order they were applied (with `run`: only those that run applied). */
  applied(run?: string): string[] {
    const appliedBy = new Map<string, string>();
    for (const e of this.data.events) {
      if (e.status !== 'completed') continue;
      appliedBy.delete(e.name);
      if (e.direction === 'up') appliedBy.set(e.name, e.run);
    }
    return [...appliedBy].filter(([, by]) => run === undefined || by === run).map(([name]) => name);
  }

  /** Migrations whose last event is `started`: the process died while it ran. */
  interrupted(): JournalEvent[] {
    const last = new Map<string, JournalEvent>();
    for (const e of this.data.events) last.set(e.name, e);
    return [...last.values()].filter((e) => e.status === 'started');
  }

  runs(): readonly JournalRun[] {
    return this.data.runs;
  }

  async saveRun(run: JournalRun): Promise<void> {
    const at = this.data.runs.findIndex((r) => r.id === run.id);
    if (at >= 0) this.data.runs[at] = run;
    else this.data.runs.push(run);
    await this.flush();
  }

  private async flush(): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true, mode: 0o700 });
    await writeFileAtomic(this.path, JSON.stringify(this.data, null, 2) + '\n');
  }
}
