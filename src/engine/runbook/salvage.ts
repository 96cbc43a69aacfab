// The way back when the journal of a stopped upgrade cannot be read (a full disk, a hand edit): what that run left is
// found on the engine and in its folder instead. Its containers carry its run id (`io.glowworm.run`), the ones it
// put aside are named `<name>-glowworm-old-<run>`, the compose file and .env it wrote were kept byte for byte in
// `.glowworm/runs/<run>/originals/`, and its backup is the newest one taken since the run began. Each part looks at
// what is there, so running it twice is safe. The journal is moved aside at the end, so nothing blocks what comes next.
import { readdir, readFile, rename, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { dependencyOrder } from '../compose/index.js';
import { GLOWWORM_RUN_LABEL } from '../docker/recreate-spec.js';
import type { DockerPort } from '../docker/port.js';
import { DeployMigrationRunner } from '../deploy-migrations/runner.js';
import { listBackups } from '../backup/store.js';
import { writeFileAtomic } from '../atomic-file.js';
import { withDb } from '../db/connection.js';
import { alembicRevisions, listTables } from '../db/schema.js';
import { externalError } from '../errors.js';
import type { ObservedState } from '../plan/observed-state.js';
import { swapBack } from '../operations/recreate.js';
import { swapNames } from '../docker/swap-names.js';
import { runVerification } from '../verify/run-checks.js';
import type { Emit } from '../event-channel.js';
import type { Redactor } from '../secrets.js';
import type { Step } from './executor.js';
import { Journal } from './journal.js';
import { restoreIfMoved } from './steps/database-back.js';
import { startApp, stopApp, type AppScope } from './steps/app.js';

export interface SalvageIO {
  docker: DockerPort;
  emit: Emit;
  redactor: Redactor;
  observed: ObservedState;
  timeoutMs: number;
}

const APP_ROLES = new Set(['backend', 'worker', 'frontend']);

/** `20261201-231414-0a2a` → the moment the run began (run ids are their start time, UTC). */
function runStart(runId: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})(\d{2})/.exec(runId);
  return m ? Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!) : 0;
}

function appServices(o: ObservedState): string[] {
  return dependencyOrder(o.project, Object.values(o.services).filter((s) => APP_ROLES.has(s.role)).map((s) => s.name));
}

export function salvageSteps(io: SalvageIO, journalPath: string): { steps: Step[]; restoredDatabase: () => boolean } {
  const { docker, observed } = io;
  const runId = basename(journalPath, '.json');
  const creds = observed.db?.creds;
  if (!creds) throw externalError('observe.no-db', 'The database is not reachable: start it first (`docker compose up -d glowworm-mysql`).');
  const containerOf = (service: string) => observed.services[service]!.containerName;
  const db = observed.services[observed.roles.db!]!.container!;
  let restoredTables: string[] | null = null;
  let restored = false;
  let heads: string[] = [];
  const app: AppScope = { docker, project: observed.project, backend: observed.roles.backend ?? null, containerOf, emit: io.emit, timeoutMs: io.timeoutMs };
  const steps: Step[] = [
    {
      id: 'salvage:containers', title: `Put back the containers run ${runId} swapped or created`,
      run: async () => {
        const all = await docker.listContainers();
        const aside = all.filter((c) => c.name.endsWith(`-glowworm-old-${runId}`));
        const temps = all.filter((c) => c.name.endsWith(`-glowworm-new-${runId}`));
        // Only a run that is provably unfinished is put back: one that committed (nothing aside, nothing prepared)
        // has its containers serving now, and they must not be touched.
        if (!aside.length && !temps.length) {
          throw externalError('salvage.not-unfinished', `Nothing of run ${runId} is waiting on the engine (no container put aside or prepared by it): it did not stop half-way, so nothing is put back.`,
            `Move ${journalPath} aside (\`mv ${journalPath} ${journalPath}.unreadable\`) and go on.`);
        }
        await stopApp(app, appServices(observed));
        for (const c of aside) await swapBack(docker, swapNames(c.name.slice(0, -`-glowworm-old-${runId}`.length), runId), runId);
        const ours = (await docker.listContainers()).filter((c) => c.labels[GLOWWORM_RUN_LABEL] === runId);
        for (const c of ours) await docker.removeContainer(c.id, { force: true });
        return `${aside.length} put back, ${ours.length} of that run's containers removed`;
      },
    },
    {
      id: 'salvage:files', title: 'Put the compose file and .env back as they were before that run',
      run: async () => {
        const composeFile = observed.project.composeFiles[0]!;
        const envFile = observed.project.envFile ?? join(dirname(composeFile), '.env');
        await new DeployMigrationRunner({ composeFile, envFile }).restoreOriginals(runId);
        // The engine's own copies, taken before the first write (deployment-files.ts: `<i>-<name>`, compose first).
        const kept = join(dirname(journalPath), runId, 'originals');
        const names = await readdir(kept).catch(() => [] as string[]);
        for (const name of names) {
          const target = name.startsWith('0-') ? composeFile : name.startsWith('1-') ? envFile : null;
          if (!target) continue;
          const mode = ((await stat(target).catch(() => null))?.mode ?? 0o600) & 0o777;
          await writeFileAtomic(target, await readFile(join(kept, name)), mode);
        }
        return names.length ? 'restored byte for byte' : 'that run had not written them';
      },
    },
    {
      id: 'salvage:database', title: "Restore the database from that run's backup if it moved",
      run: async () => {
        const since = runStart(runId);
        // That run's own backup: the first one taken after it began (a later one may be of a later state).
        const backup = (await listBackups(observed.project.workingDir)).reverse().find((b) => b.manifest && Date.parse(b.manifest.createdAt) >= since - 1000);
        if (backup?.manifest) {
          heads = backup.manifest.alembic;
          restoredTables = Object.keys(backup.manifest.tables);
          const back = await restoreIfMoved({ docker, db, creds, emit: io.emit }, backup.path, backup.manifest);
          if (!back) return `unchanged since the backup ${backup.path}`;
          restored = true;
          return `restored from ${backup.path} (${back.why})`;
        }
        heads = observed.db?.revisions ?? [];
        return 'that run took no backup: the database is as it is now';
      },
    },
    {
      id: 'salvage:start', title: 'Start the previous version',
      run: async (signal) => `${await startApp(app, appServices(observed), signal)} started`,
    },
    {
      id: 'salvage:verify', title: 'Verify the previous version',
      run: async (signal) => {
        const tables = restoredTables ?? (await withDb(creds, listTables));
        const current = await withDb(creds, alembicRevisions);
        const outcome = await runVerification({ docker, emit: io.emit, redactor: io.redactor, signal }, {
          backend: containerOf(observed.roles.backend!), containers: appServices(observed).map(containerOf),
          heads: heads.length ? heads : current, tables, creds,
        });
        if (!outcome.ok) throw externalError('rollback.verify-failed', `The previous version does not verify: ${outcome.failures.join('; ')}`);
        await rename(journalPath, `${journalPath}.unreadable`);
        return outcome.summary;
      },
    },
  ];
  return { steps, restoredDatabase: () => restored };
}

/** The unreadable journals of a project's runs, newest first. */
export async function unreadableJournals(projectDir: string, redactor: Redactor): Promise<string[]> {
  const out: string[] = [];
  for await (const entry of Journal.newestFirst(projectDir, redactor)) if ('unreadable' in entry) out.push(entry.path);
  return out;
}
