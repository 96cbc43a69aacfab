// Runs deployment migrations with umzug over the user's compose file and `.env`: preview (a redacted unified diff,
// nothing written), up (originals kept byte for byte first, journal `started` before and `completed` after each
// migration), down (the kept originals put back when nothing changed since, else each down() in reverse), and the way
// back after a crash. One runner per compose project; the engine's run lock keeps two runs apart.
import { dirname, join, resolve } from 'node:path';
import { MigrationError, Umzug } from 'umzug';
import { GlowwormError, toGlowwormError, userError } from '../errors.js';
import { Redactor } from '../secrets.js';
import { compareVersions, parseVersion } from '../changelog/version-order.js';
import { DeployJournal, journalPath, type Direction, type JournalRun } from './deploy-journal.js';
import { planMigrations, type DeployMigrationPreview, type DeployPlan } from './deploy-plan.js';
import { loadMigrations } from './load-migrations.js';
import { fileLabels, startMigration } from './migration-context.js';
import { keepOriginals, putBackByHand, putOriginalsBack, unchangedSince } from './originals.js';
import { ComposeProjectFiles, sha256, type ProjectTexts } from './project-files.js';
import type { DeployMigration, DeployProject } from './types.js';

export type { DeployMigrationPreview, DeployPlan } from './deploy-plan.js';

export interface DeployMigrationInfo {
  name: string;
  version: string;
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
}

function timestampId(): string {
  return new Date().toISOString().replace(/[:.]/g, '-');
}

function assertVersion(version: string): void {
  if (!parseVersion(version)) {
    throw userError('deploy-migrations.not-a-version', `"${version}" is not a release version (like 2.0.0).`,
      'Deployment migrations are tied to release versions; pass the version the upgrade goes to.');
  }
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

  /** Migrations for versions up to and including `targetVersion` that are not applied yet, in run order. */
  async pending(targetVersion: string): Promise<DeployMigrationInfo[]> {
    const todo = await this.pendingIn(await this.openJournal(), targetVersion);
    return todo.map(({ name, version, description }) => ({ name, version, description }));
  }

  /** What `up(targetVersion)` would change, computed on in-memory copies: nothing is written. */
  async preview(targetVersion: string): Promise<DeployMigrationPreview[]> {
    return (await this.plan(targetVersion)).steps.map(({ name, description, diff, notes }) => ({ name, description, diff, notes }));
  }

  /** The preview with the exact texts behind it; pass it to up() to write exactly what was shown. */
  async plan(targetVersion: string, texts?: ProjectTexts, options: RunOptions = {}): Promise<DeployPlan> {
    const todo = await this.pendingIn(await this.openJournal(options.runId), targetVersion);
    const before = texts ?? (await this.files.readTexts());
    return planMigrations(targetVersion, todo, before, this.files, fileLabels(this.files, this.composeDir), this.redactor);
  }

  /**
   * Apply the pending migrations. With `plan`, each migration writes the texts that plan computed (the diff the user
   * confirmed, the same generated secrets), after checking the files are still what the plan started from.
   */
  async up(targetVersion: string, options: RunOptions & { plan?: DeployPlan } = {}): Promise<UpResult> {
    const journal = await this.openJournal(options.runId);
    const todo = await this.pendingIn(journal, targetVersion);
    if (options.plan) await this.assertPlanStillHolds(options.plan, todo);
    if (todo.length === 0) return { applied: [], originalsDir: null, notes: [] };
    await this.files.assertWritable();
    const id = options.runId ?? timestampId();
    journal.run = id;
    // Only a resumed run gets here with interrupted migrations (its own): they run again, from the files as they are.
    for (const event of journal.interrupted()) await journal.record(event.name, event.direction, 'failed', 'interrupted; run again');
    const run = journal.runs().find((r) => r.id === id && !r.restoredAt) ?? (await this.newRun(id, targetVersion));
    await journal.saveRun(run);
    const notes = options.plan ? options.plan.steps.flatMap((s) => s.notes) : [];
    const planned = new Map(options.plan?.steps.map((step) => [step.name, step.after]));
    const umzug = await this.umzug(journal, notes, (migration) => {
      const texts = planned.get(migration.name);
      return texts ? this.files.writeTexts(texts) : this.applyToFiles(migration, 'up', notes);
    });
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

  /** Revert the migrations for versions after `toVersion` (all applied ones without it). */
  async down(toVersion?: string): Promise<DownResult> {
    if (toVersion !== undefined) assertVersion(toVersion);
    const journal = await this.openJournal();
    const known = new Map((await this.migrations()).map((m) => [m.name, m]));
    const toRevert = journal.applied().filter((name) => {
      const migration = known.get(name);
      return migration && (toVersion === undefined || compareVersions(migration.version, toVersion) > 0);
    }).reverse();
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

  private async newRun(id: string, targetVersion: string): Promise<JournalRun> {
    const [compose, env] = await this.files.readStates();
    const originals = await keepOriginals(this.composeDir, id, compose, env);
    return { id, targetVersion, startedAt: new Date().toISOString(), originals, after: null };
  }

  private async assertPlanStillHolds(plan: DeployPlan, todo: DeployMigration[]): Promise<void> {
    const now = await this.files.readTexts();
    const same = plan.steps.length === todo.length && plan.steps.every((s, i) => s.name === todo[i]!.name);
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

  private async umzug(journal: DeployJournal, notes: string[], up = (m: DeployMigration) => this.applyToFiles(m, 'up', notes)): Promise<Umzug> {
    const umzug = new Umzug({
      migrations: (await this.migrations()).map((migration) => ({
        name: migration.name,
        up: () => up(migration),
        down: () => this.applyToFiles(migration, 'down', notes),
      })),
      storage: journal,
      logger: undefined,
    });
    // umzug awaits these listeners before it calls the migration: `started` is on disk before anything changes.
    umzug.on('migrating', ({ name }) => journal.record(name, 'up', 'started'));
    umzug.on('reverting', ({ name }) => journal.record(name, 'down', 'started'));
    return umzug;
  }

  /** One migration against the files on disk: read both, run it, write back what changed. */
  private async applyToFiles(migration: DeployMigration, direction: Direction, notes: string[]): Promise<void> {
    const texts = await this.files.readTexts();
    const run = startMigration(migration.name, texts, this.files, this.redactor, notes);
    await migration[direction](run.context);
    await this.files.writeTexts(run.result());
  }

  private migrations(): Promise<DeployMigration[]> {
    this.loaded ??= this.project.migrations ? Promise.resolve(this.project.migrations) : loadMigrations();
    return this.loaded;
  }

  private async pendingIn(journal: DeployJournal, targetVersion: string): Promise<DeployMigration[]> {
    assertVersion(targetVersion);
    const applied = new Set(journal.applied());
    return (await this.migrations()).filter((m) => !applied.has(m.name) && compareVersions(m.version, targetVersion) <= 0);
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
