// The run journal (design.md rule 5): `started` is written before a step runs and `completed` after, each write
// atomic (temp file, fsync, rename), so a crash at any moment leaves a journal that says exactly where it stopped.
// `--resume` reads it back. Everything written passes the redactor: no secret reaches the disk here.
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CommandName } from '../event-words.js';
import { GlowwormError, type ErrorInfo } from '../errors.js';
import type { Redactor } from '../secrets.js';
import { writeFileAtomic } from '../atomic-file.js';

export type StepStatus = 'started' | 'completed' | 'failed' | 'skipped';
/** `rollback-incomplete`: a rollback that could not put everything back; it stays open so that it can be tried again. */
export type RunStatus = 'running' | 'completed' | 'failed' | 'rolled-back' | 'rollback-incomplete' | 'interrupted';

export interface JournalStep {
  id: string;
  title: string;
  status: StepStatus;
  startedAt: string;
  endedAt?: string;
  summary?: string;
  error?: ErrorInfo;
}

export interface JournalData {
  format: 1;
  runId: string;
  command: CommandName;
  projectDir: string;
  startedAt: string;
  updatedAt: string;
  status: RunStatus;
  /** What the run needs to continue after a crash: its options, plan, backup, container names. */
  state: Record<string, unknown>;
  steps: JournalStep[];
}

const OPEN: RunStatus[] = ['running', 'interrupted', 'rollback-incomplete'];

export function runsDir(projectDir: string): string {
  return join(projectDir, '.glowworm', 'runs');
}

export class Journal {
  private constructor(
    private readonly path: string,
    private data: JournalData,
    private readonly redactor: Redactor,
  ) {}

  static async create(projectDir: string, runId: string, command: CommandName, redactor: Redactor): Promise<Journal> {
    await mkdir(runsDir(projectDir), { recursive: true, mode: 0o700 });
    const now = new Date().toISOString();
    const j = new Journal(join(runsDir(projectDir), `${runId}.json`), {
      format: 1, runId, command, projectDir, startedAt: now, updatedAt: now, status: 'running', state: {}, steps: [],
    }, redactor);
    await j.flush();
    return j;
  }

  static async load(path: string, redactor: Redactor): Promise<Journal> {
    const data = JSON.parse(await readFile(path, 'utf8')) as JournalData;
    return new Journal(path, data, redactor);
  }

  /** Every journal of the project, newest first; one that cannot be read comes as its path and the reason. */
  static async *newestFirst(projectDir: string, redactor: Redactor): AsyncGenerator<{ path: string; journal: Journal } | { path: string; unreadable: Error }> {
    const names = (await readdir(runsDir(projectDir)).catch(() => [] as string[])).filter((n) => n.endsWith('.json')).sort().reverse();
    for (const name of names) {
      const path = join(runsDir(projectDir), name);
      try {
        yield { path, journal: await Journal.load(path, redactor) };
      } catch (error) {
        yield { path, unreadable: error as Error };
      }
    }
  }

  /** The newest run of `command` that did not finish (running = crashed, interrupted = Ctrl-C, or a rollback to retry). */
  static async findUnfinished(projectDir: string, command: CommandName, redactor: Redactor): Promise<Journal | null> {
    for await (const entry of Journal.newestFirst(projectDir, redactor)) {
      if ('unreadable' in entry) {
        // A crash mid-write cannot cut a journal short (writes are atomic), but a full disk or a hand edit can. It may
        // be of an unfinished run: never pass over it as if it were not there.
        throw new GlowwormError(`The journal ${entry.path} of an earlier glowworm run cannot be read (${entry.unreadable.message}): it may be of an upgrade that stopped part-way.`, {
          kind: 'user', code: 'journal.unreadable',
          hint: '`glowworm upgrade --rollback` puts back what that run left: its containers, the compose file and .env, and the database from its backup if it moved; the journal is then moved aside.',
        });
      }
      if (entry.journal.command === command && entry.journal.isOpen) return entry.journal;
    }
    return null;
  }

  get runId(): string {
    return this.data.runId;
  }
  get command(): CommandName {
    return this.data.command;
  }
  /** Not ended: running (or killed), interrupted, or a rollback to try again. */
  get isOpen(): boolean {
    return OPEN.includes(this.data.status);
  }
  get file(): string {
    return this.path;
  }
  get status(): RunStatus {
    return this.data.status;
  }
  get startedAt(): string {
    return this.data.startedAt;
  }
  get steps(): readonly JournalStep[] {
    return this.data.steps;
  }

  state<T>(key: string): T | undefined {
    return this.data.state[key] as T | undefined;
  }

  async setState(key: string, value: unknown): Promise<void> {
    this.data.state[key] = value;
    await this.flush();
  }

  /** Whether the step began: started, completed or failed (what it changes may be there). */
  ran(stepId: string): boolean {
    return this.data.steps.some((s) => s.id === stepId);
  }

  isCompleted(stepId: string): boolean {
    return this.data.steps.some((s) => s.id === stepId && (s.status === 'completed' || s.status === 'skipped'));
  }

  async stepStarted(id: string, title: string): Promise<void> {
    this.data.steps.push({ id, title, status: 'started', startedAt: new Date().toISOString() });
    await this.flush();
  }

  async stepEnded(id: string, status: Exclude<StepStatus, 'started'>, extra: { summary?: string; error?: ErrorInfo } = {}): Promise<void> {
    const step = [...this.data.steps].reverse().find((s) => s.id === id && s.status === 'started');
    const ended = { status, endedAt: new Date().toISOString(), ...extra };
    if (step) Object.assign(step, ended);
    else this.data.steps.push({ id, title: id, startedAt: ended.endedAt, ...ended });
    await this.flush();
  }

  async finish(status: Exclude<RunStatus, 'running'>): Promise<void> {
    this.data.status = status;
    await this.flush();
  }

  async reopen(): Promise<void> {
    this.data.status = 'running';
    await this.flush();
  }

  private async flush(): Promise<void> {
    this.data.updatedAt = new Date().toISOString();
    await writeFileAtomic(this.path, JSON.stringify(this.redactor.redact(this.data), null, 2) + '\n');
  }
}
