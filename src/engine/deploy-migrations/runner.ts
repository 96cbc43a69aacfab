// Runs deployment migrations with umzug over the user's compose file and `.env`: plan (which ones this deployment
// needs, from its files and the facts about the target release, with a redacted unified diff; nothing written), up
// (originals kept byte for byte first, journal `started` before and `completed` after each migration, the planned
// texts written), down (the kept originals put back when nothing changed since, else each down() in reverse), and the
// way back after a crash. One runner per compose project; the engine's run lock keeps two runs apart.
import { dirname, join, resolve } from 'node:path';
import { MigrationError, Umzug } from 'umzug';
import { GlowwormError, toGlowwormError, userError } from '../errors.js';
import { Redactor } from '../secrets.js';
import { DeployJournal, journalPath, type Direction, type JournalRun } from './deploy-journal.js';
import { planMigrations, type DeployMigrationPreview, type DeployPlan } from './deploy-plan.js';
import { loadMigrations } from './load-migrations.js';
import { fileLabels, startMigration } from './migration-context.js';
import { keepOriginals, putBackByHand, putOriginalsBack, unchangedSince } from './originals.js';
import { ComposeProjectFiles, sha256, type ProjectTexts } from './project-files.js';
import { NO_FACTS, type DeployMigration, type DeploymentFacts, type DeployProject } from './types.js';

export type { DeployMigrationPreview, DeployPlan } from './deploy-plan.js';

export interface DeployMigrationInfo {
  name: string;
  description: string;
}

export interface UpResult {
  applied: string[];
  /** Where the compose file and `.env` were kept before the first change (null when nothing was pending). */
  originalsDir: string | null;
  notes: string[];
}

export interface DownResult {
  reverted: string[];
  method: 'nothing-to-revert' | 'restored-originals' | 'ran-down-migrations';
  /** What was done and why, in words for the user. */
  message: string;
  notes: string[];
}

export interface RunOptions {
  /** The engine's run id: names the journal's run, and lets a resumed run go on past its own interrupted migration. */
  runId?: string;
  /** What the run goes to, for the journal's readers (the target backend image). */
  target?: string;
}

function timestampId(): string {
  return new Date().toISOString().replace(/[:.]/g, '-');
}

export class DeployMigrationRunner {
  readonly composeFile: string;
  readonly envFile: string;
  readonly composeDir: string;
  private readonly files: ComposeProjectFiles;
  private readonly redactor: Redactor;
  private loaded: Promise<DeployMigration[]> | null = null;

  /** `redactor`: the run's redactor, so generated secrets are masked in every event from the moment they exist. */
  constructor(private readonly project: DeployProject, options: { redactor?: Redactor } = {}) {
    this.composeFile = resolve(project.composeFile);
    this.composeDir = dirname(this.composeFile);
    this.envFile = resolve(project.envFile ?? join(this.composeDir, '.env'));
    this.files = new ComposeProjectFiles(this.composeFile, this.envFile);
    this.redactor = options.redactor ?? new Redactor();
  }

  /** The migrations this deployment needs and has not applied, in run order. */
  async pending(facts: DeploymentFacts): Promise<DeployMigrationInfo[]> {
    return (await this.plan(facts)).steps.map(({ name, description }) => ({ name, description }));
  }

  /** What `up(facts)` would change, computed on in-memory copies: nothing is written. */
  async preview(facts: DeploymentFacts): Promise<DeployMigrationPreview[]> {
    return (await this.plan(facts)).steps.map(({ name, description, diff, notes }) => ({ name, description, diff, notes }));
  }

  /** The preview with the exact texts behind it; pass it to up() to write exactly what was shown. */
  async plan(facts: DeploymentFacts, texts?: ProjectTexts, options: RunOptions = {}): Promise<DeployPlan> {
    const candidates = await this.notApplied(await this.openJournal(options.runId));
    const before = texts ?? (await this.files.readTexts());
    return planMigrations(facts, candidates, before, this.files, fileLabels(this.files, this.composeDir), this.redactor);
  }

  /** Paths the migrations ask of the target backend image; the engine looks them up before planning. */
  async imageFiles(): Promise<string[]> {
    return [...new Set((await this.migrations()).flatMap((m) => m.imageFiles ?? []))].sort();
  }

  /**
   * Apply what the plan showed: each migration writes the texts the plan computed (the diff the user confirmed, the
   * same generated secrets), after checking the files are still what the plan started from. Without a plan, one is
   * made from the files as they are now.
   */
  async up(facts: DeploymentFacts, options: RunOptions & { plan?: DeployPlan } = {}): Promise<UpResult> {
    const journal = await this.openJournal(options.runId);
    const plan = options.plan ?? (await this.plan(facts, undefined, options));
    const known = new Map((await this.migrations()).map((m) => [m.name, m]));
    const todo = plan.steps.map((step) => known.get(step.name)!);
    await this.assertPlanStillHolds(plan, await this.notApplied(journal));
    if (todo.length === 0) return { applied: [], originalsDir: null, notes: [] };
    await this.files.assertWritable();
    const id = options.runId ?? timestampId();
    journal.run = id;
    // Only a resumed run gets here with interrupted migrations (its own): they run again, from the files as they are.
    for (const event of journal.interrupted()) await journal.record(event.name, event.direction, 'failed', 'interrupted; run again');
    const run = journal.runs().find((r) => r.id === id && !r.restoredAt) ?? (await this.newRun(id, options.target));
    await journal.saveRun(run);
    const notes = plan.steps.flatMap((s) => s.notes);
    const planned = new Map(plan.steps.map((step) => [step.name, step.after]));
    const umzug = await this.umzug(journal, notes, (migration) => this.files.writeTexts(planned.get(migration.name)!));
    try {
      await umzug.up({ migrations: todo.map((m) => m.name) });
    } catch (error) {
      throw await this.undoFailedUp(journal, run, error);
    }
    const [composeAfter, envAfter] = await this.files.readStates();
    run.after = { compose: sha256(composeAfter.bytes), env: sha256(envAfter.bytes) };
    await journal.saveRun(run);
    return { applied: todo.map((m) => m.name), originalsDir: run.originals.dir, notes };
  }

  /**
   * The engine edits the files once more after the migrations (the release's image tags). Record the files as they
   * are now as the run's result, so a later `down` still sees them unchanged and puts the originals back byte for byte.
   */
  async recordFinalFiles(runId: string): Promise<void> {
    const journal = await DeployJournal.open(journalPath(this.composeDir));
    const run = journal.runs().find((r) => r.id === runId && !r.restoredAt);
    if (!run?.after) return;
    const [compose, env] = await this.files.readStates();
    run.after = { compose: sha256(compose.bytes), env: sha256(env.bytes) };
    await journal.saveRun(run);
  }

  /** Revert every applied migration, newest first. */
  async down(): Promise<DownResult> {
    const journal = await this.openJournal();
    const known = new Set((await this.migrations()).map((m) => m.name));
    const toRevert = journal.applied().filter((name) => known.has(name)).reverse();
    if (toRevert.length === 0) return { reverted: [], method: 'nothing-to-revert', message: 'No deployment migration to revert.', notes: [] };
    await this.files.assertWritable();
    const run = this.lastRun(journal);
    const appliedByRun = run ? journal.applied(run.id) : [];
    const sameMigrations = appliedByRun.length === toRevert.length && toRevert.every((name) => appliedByRun.includes(name));
    if (run?.after && sameMigrations && (await unchangedSince(run.after, run.originals))) {
      await this.putRunBack(journal, run);
      return { reverted: toRevert, method: 'restored-originals', notes: [],
        message: `Put back the compose file and .env exactly as they were before the migrations (kept in ${run.originals.dir}).` };
    }
    const why = sameMigrations
      ? 'the compose file or .env changed after the migrations were applied'
      : 'these migrations were not applied together by the last run';
    journal.run = `down-${timestampId()}`;
    const notes: string[] = [];
    try {
      await (await this.umzug(journal, notes)).down({ migrations: toRevert });
    } catch (error) {
      throw await this.recordFailure(journal, 'down', error, 'The files keep the changes of the migrations not reverted yet.');
    }
    return { reverted: toRevert, method: 'ran-down-migrations', notes,
      message: `Reverted ${toRevert.join(', ')} by running each migration's down() in reverse order, because ${why}.` };
  }

  /** Migrations that started and never finished (the process died); empty normally. */
  async interrupted(): Promise<string[]> {
    return (await DeployJournal.open(journalPath(this.composeDir))).interrupted().map((e) => e.name);
  }

  /**
   * Put the compose file and `.env` back exactly as they were before a run's up() (`runId`, default the last one),
   * whatever changed since (an interrupted migration, the engine's image retag), and mark that run's migrations as
   * not applied. This is the way on after a crash, and the engine's rollback of the deployment files.
   */
  async restoreOriginals(runId?: string): Promise<DownResult> {
    const journal = await DeployJournal.open(journalPath(this.composeDir));
    const run = runId === undefined ? this.lastRun(journal) : journal.runs().find((r) => r.id === runId && !r.restoredAt);
    if (!run) return { reverted: [], method: 'nothing-to-revert', message: 'No deployment migration run to undo.', notes: [] };
    await this.files.assertWritable();
    journal.run = run.id;
    for (const event of journal.interrupted()) await journal.record(event.name, event.direction, 'failed', 'interrupted; undone by putting the originals back');
    const reverted = await this.putRunBack(journal, run);
    return { reverted, method: 'restored-originals', notes: [],
      message: `Put back the compose file and .env exactly as they were before run ${run.id} (kept in ${run.originals.dir}).` };
  }

  private async newRun(id: string, target: string | undefined): Promise<JournalRun> {
    const [compose, env] = await this.files.readStates();
    const originals = await keepOriginals(this.composeDir, id, compose, env);
    return { id, ...(target ? { target } : {}), startedAt: new Date().toISOString(), originals, after: null };
  }

  /** The plan holds when the files are as it read them and every step it made is still unapplied. */
  private async assertPlanStillHolds(plan: DeployPlan, unapplied: DeployMigration[]): Promise<void> {
    const now = await this.files.readTexts();
    const open = new Set(unapplied.map((m) => m.name));
    const same = plan.steps.every((s) => open.has(s.name));
    if (!same || now.compose !== plan.before.compose || now.env !== plan.before.env) {
      throw userError('deploy-migrations.changed-since-preview',
        `The compose file or .env (or the pending deployment migrations) changed after the preview was made.`,
        'Run the upgrade again: it shows a new preview of the changes.');
    }
  }

  private async putRunBack(journal: DeployJournal, run: JournalRun): Promise<string[]> {
    const names = journal.applied(run.id).reverse();
    journal.run = run.id;
    for (const name of names) await journal.record(name, 'down', 'started');
    await putOriginalsBack(run.originals);
    for (const name of names) await journal.record(name, 'down', 'completed');
    run.restoredAt = new Date().toISOString();
    await journal.saveRun(run);
    return names;
  }

  /** After a failed up(): the files go back to the originals and the error says so. */
  private async undoFailedUp(journal: DeployJournal, run: JournalRun, error: unknown): Promise<GlowwormError> {
    const failure = await this.recordFailure(journal, 'up', error, '');
    try {
      await this.putRunBack(journal, run);
    } catch (restoreError) {
      return new GlowwormError(`${failure.message} Putting the files back failed too: ${(restoreError as Error).message}`, {
        kind: 'external', code: 'deploy-migrations.restore-failed', cause: failure,
        hint: `Put them back by hand: ${putBackByHand(run.originals)}`,
      });
    }
    return new GlowwormError(`${failure.message} The compose file and .env were put back as they were.`, {
      kind: failure.kind, code: failure.code, hint: failure.hint, cause: failure,
    });
  }

  private async recordFailure(journal: DeployJournal, direction: Direction, error: unknown, suffix: string): Promise<GlowwormError> {
    const name = error instanceof MigrationError ? error.migration.name : null;
    const inner = toGlowwormError(error instanceof MigrationError ? error.cause : error);
    if (name) await journal.record(name, direction, 'failed', this.redactor.redactText(inner.message));
    const message = `Deployment migration ${name ?? '(unknown)'} (${direction}) failed: ${inner.message}${suffix ? ` ${suffix}` : ''}`;
    return new GlowwormError(this.redactor.redactText(message), { kind: inner.kind, code: inner.code, hint: inner.hint, cause: inner });
  }

  /** `up` writes a migration's planned texts; a down-only umzug (down()) never calls it. */
  private async umzug(journal: DeployJournal, notes: string[], up?: (m: DeployMigration) => Promise<void>): Promise<Umzug> {
    const umzug = new Umzug({
      migrations: (await this.migrations()).map((migration) => ({
        name: migration.name,
        up: () => (up ? up(migration) : Promise.reject(new Error(`${migration.name} has no planned texts to write`))),
        down: () => this.revertInFiles(migration, notes),
      })),
      storage: journal,
      logger: undefined,
    });
    // umzug awaits these listeners before it calls the migration: `started` is on disk before anything changes.
    umzug.on('migrating', ({ name }) => journal.record(name, 'up', 'started'));
    umzug.on('reverting', ({ name }) => journal.record(name, 'down', 'started'));
    return umzug;
  }

  /** One migration's down() against the files on disk: read both, run it, write back what changed. */
  private async revertInFiles(migration: DeployMigration, notes: string[]): Promise<void> {
    const texts = await this.files.readTexts();
    // down() removes what up() marked as added; it needs no facts about a release.
    const run = startMigration(migration, NO_FACTS, texts, this.files, this.redactor, notes);
    await migration.down(run.context);
    await this.files.writeTexts(run.result());
  }

  private migrations(): Promise<DeployMigration[]> {
    this.loaded ??= this.project.migrations ? Promise.resolve(this.project.migrations) : loadMigrations();
    return this.loaded;
  }

  /** Migrations not applied now (never, or reverted since), in run order: the candidates a plan asks `needed` of. */
  private async notApplied(journal: DeployJournal): Promise<DeployMigration[]> {
    const applied = new Set(journal.applied());
    return (await this.migrations()).filter((m) => !applied.has(m.name));
  }

  private lastRun(journal: DeployJournal): JournalRun | undefined {
    return journal.runs().filter((r) => !r.restoredAt).at(-1);
  }

  /** The journal, refused when a migration started and never finished (the files may be half-changed), unless that
   * happened in `resumedRun`, which goes on. */
  private async openJournal(resumedRun?: string): Promise<DeployJournal> {
    const journal = await DeployJournal.open(journalPath(this.composeDir));
    const stuck = journal.interrupted().filter((e) => e.run !== resumedRun);
    if (stuck.length === 0) return journal;
    const run = this.lastRun(journal);
    throw userError(
      'deploy-migrations.interrupted',
      `Deployment migration ${stuck.map((e) => `${e.name} (${e.direction})`).join(', ')} started but never finished ` +
        `(glowworm stopped while it ran), so ${this.composeFile} and ${this.envFile} may be half-changed.`,
      run
        ? 'Continue it with `glowworm upgrade --resume` (the interrupted migration runs again on the files as they are ' +
          'now), or put both files back as they were with `glowworm upgrade --rollback` (they are kept in ' +
          `${run.originals.dir}). By hand: ${putBackByHand(run.originals)}, then move ${journal.path} aside.`
        : `Check both files, then move ${journal.path} aside.`,
    );
  }
}
