// The plan's operations as executor steps. Each step looks at what is there before acting, so re-running one that
// a crash interrupted is safe. Decisions were made by reconcile(); here we only carry them out.
import { stopWaves } from '../compose/index.js';
import { tablesAfter } from '../alembic/schema-effects.js';
import { dirname } from 'node:path';
import { loadManifest } from '../backup/store.js';
import { takeAndReportBackup, verifyAndRecord } from '../backup/verified-backup.js';
import { createBodyFromCompose } from '../operations/create-from-compose.js';
import { prepareNewContainer, swapIn, swapNames, removeAside } from '../operations/recreate.js';
import { waitForMigrations } from '../operations/wait-migrations.js';
import { waitHealthy } from '../verify/wait-healthy.js';
import { GLOWWORM_RUN_LABEL } from '../docker/recreate-spec.js';
import { runVerification } from '../verify/run-checks.js';
import { frontendApiUrl } from '../verify/frontend-api.js';
import { rehearseMigrations } from '../rehearsal/rehearse.js';
import { externalError } from '../errors.js';
import type { Operation } from '../plan/plan.js';
import { runningImages } from '../plan/observed-state.js';
import { keepOriginals, writeDeploymentFile } from './deployment-files.js';
import type { Step } from './executor.js';
import { STATE, type BackupState, type UpgradeRun } from './upgrade-run.js';

function serviceOf(op: Operation): string {
  return op.resource.replace(/^service:/, '');
}

function servicesOf(op: Operation): string[] {
  return op.resource.replace(/^services:/, '').split(',').filter(Boolean);
}

/**
 * The new container of a service under its temporary name: on the running container's config when the compose
 * definition is unchanged, else (a new service, or one the edits changed) from the target compose file.
 */
async function prepareService(run: UpgradeRun, service: string): Promise<void> {
  const { docker } = run;
  const change = run.plan.services.find((s) => s.service === service)!;
  const names = swapNames(change.container, run.runId);
  if (change.action !== 'create' && change.config !== 'compose') {
    await prepareNewContainer({ docker, names, runId: run.runId, imageRef: change.toImage });
    return;
  }
  const atName = await docker.inspectContainer(names.name);
  const ours = atName?.labels[GLOWWORM_RUN_LABEL] === run.runId;
  if ((change.action === 'create' && atName) || ours || (await docker.inspectContainer(names.temp))) return;
  // The target project was loaded from the run's edited copy; the labels must name the user's own files.
  const project = { ...run.target.project, composeFiles: run.observed.project.composeFiles };
  const spec = createBodyFromCompose(project, project.services[service]!, change.toImage, run.runId, composeVersionOf(run));
  const id = await docker.createContainer({ name: names.temp, body: spec.body });
  for (const net of spec.extraNetworks) await docker.connectNetwork(net.name, id, net.endpoint);
}

/** The compose version label the project's containers carry: docker-compose reads it from every container it finds. */
function composeVersionOf(run: UpgradeRun): string | null {
  for (const s of Object.values(run.observed.services)) {
    const version = s.container?.labels['com.docker.compose.version'];
    if (version) return version;
  }
  return null;
}

export function containerOf(run: UpgradeRun, service: string): string {
  return run.plan.services.find((s) => s.service === service)?.container ?? run.observed.services[service]?.containerName ?? service;
}

export async function backupState(run: UpgradeRun): Promise<{ file: string; manifest: NonNullable<Awaited<ReturnType<typeof loadManifest>>> } | null> {
  const b = run.journal.state<BackupState>(STATE.backup);
  if (!b) return null;
  const manifest = await loadManifest(b.file);
  return manifest ? { file: b.file, manifest } : null;
}

export function upgradeSteps(run: UpgradeRun): Step[] {
  return run.plan.operations.map((op, i) => toStep(run, op, i));
}

function toStep(run: UpgradeRun, op: Operation, index: number): Step {
  const id = `${String(index + 1).padStart(2, '0')}-${op.type}:${op.resource.replace(/^[a-z]+:/, '')}`;
  const { docker, channel } = run;
  switch (op.type) {
    case 'prepare':
      return {
        id,
        title: 'Create the new containers (the old version still serves)',
        run: async () => {
          for (const name of servicesOf(op)) await prepareService(run, name);
          return `${servicesOf(op).length} created under temporary names`;
        },
      };
    case 'stop':
      return {
        id,
        title: `Stop ${servicesOf(op).join(', ')}`,
        run: async () => {
          // The backup's verification server must be up before the writers stop: its start is not downtime.
          if (run.verifier) await (await run.verifier).ready();
          if (!run.journal.state(STATE.downtimeStartedAt)) await run.journal.setState(STATE.downtimeStartedAt, Date.now());
          // Dependents first, as compose stops (the frontend before the backend it proxies); the services of one wave
          // in parallel, since each stop is a wait for a process to exit and all of them count as downtime.
          let stopped = 0;
          for (const wave of stopWaves(run.observed.project, servicesOf(op))) {
            await Promise.all(wave.map(async (service) => {
              const c = await docker.inspectContainer(containerOf(run, service));
              if (c?.running || c?.restarting) await docker.stopContainer(c.id, 10);
              if (c) stopped += 1;
            }));
          }
          return `${stopped} stopped`;
        },
      };
    case 'backup':
      return {
        id,
        title: 'Back up the database',
        run: async () => {
          const images = runningImages(run.observed);
          const taken = await takeAndReportBackup({
            docker, db: run.db, creds: run.creds, project: run.observed.project.name, projectDir: run.observed.project.workingDir, images,
          }, channel.emit);
          await run.journal.setState(STATE.backup, { file: taken.file } satisfies BackupState);
          const m = taken.manifest;
          return `${(m.dump.bytes / 1048576).toFixed(1)} MB, ${Object.keys(m.tables).length} tables`;
        },
      };
    case 'verify-backup':
      return {
        id,
        title: 'Verify the backup by restoring it into a throwaway database',
        run: async () => {
          const b = await backupState(run);
          if (!b) throw externalError('backup.missing', 'The backup this run took is gone.');
          if (!run.verifier) throw externalError('backup.no-verifier', 'No throwaway database was started to verify the backup.');
          const verifier = await run.verifier;
          const rehearsalNext = run.plan.operations.some((o) => o.type === 'rehearse');
          try {
            return await verifyAndRecord(verifier, b.file, b.manifest, channel.emit);
          } finally {
            // The rehearsal migrates this very copy; otherwise the throwaway server has done its job.
            if (!rehearsalNext) await verifier.dispose();
          }
        },
      };
    case 'rehearse':
      return {
        id,
        title: 'Rehearse the migrations on the restored copy',
        run: async () => {
          if (!run.verifier) throw externalError('rehearsal.no-copy', 'There is no restored copy to rehearse on.');
          const verifier = await run.verifier;
          const backend = run.observed.services[run.observed.roles.backend!]!;
          try {
            const r = await rehearseMigrations({
              docker, emit: channel.emit, runId: run.runId, project: run.observed.project.name, verifier,
              database: run.creds.database, image: run.target.refs[backend.name]!, ini: run.target.alembicIni,
              graph: run.target.graph, backendEnv: backend.container?.env ?? [], timeoutMs: run.timeoutMs,
            });
            return `${r.timings.length} migrations in ${(r.timings.reduce((n, t) => n + t.durationMs, 0) / 1000).toFixed(1)} s on the copy`;
          } finally {
            await verifier.dispose();
          }
        },
      };
    case 'apply-deploy-migration':
      return {
        id,
        title: 'Apply deployment changes to the compose file and .env',
        run: async () => {
          const composePath = run.observed.project.composeFiles[0]!;
          const envPath = run.observed.project.envFile ?? `${dirname(composePath)}/.env`;
          const paths = [composePath, ...(run.observed.project.envFile ? [envPath] : [])];
          await run.journal.setState('keptFiles', await keepOriginals(run.workDir, paths));
          const applied = await run.deployments.apply();
          for (const name of applied) channel.emit({ type: 'deploy-migration.applied', name, direction: 'up' });
          if (run.files.compose !== null) await writeDeploymentFile(composePath, run.files.compose);
          if (run.files.env !== null) await writeDeploymentFile(envPath, run.files.env);
          await run.deployments.settle();
          return `${applied.length} migrations${run.files.compose !== null ? ', compose file updated' : ''}`;
        },
      };
    case 'recreate':
      return {
        id,
        title: `Recreate ${serviceOf(op)} on ${run.target.refs[serviceOf(op)]}`,
        run: async () => {
          const change = run.plan.services.find((s) => s.service === serviceOf(op))!;
          const names = swapNames(change.container, run.runId);
          await prepareService(run, change.service); // normally done before the downtime; a no-op then
          await swapIn(docker, names, run.runId);
          return change.action === 'create' ? 'created' : `old container kept as ${names.aside}`;
        },
      };
    case 'start':
      return {
        id,
        title: `Start ${serviceOf(op)}`,
        run: async () => {
          await docker.startContainer(containerOf(run, serviceOf(op)));
        },
      };
    case 'wait-healthy':
      return {
        id,
        title: `Wait until ${serviceOf(op)} is healthy`,
        run: async (signal) => {
          const c = await waitHealthy(docker, containerOf(run, serviceOf(op)), { timeoutMs: run.timeoutMs, signal });
          return c.health ?? c.status;
        },
      };
    case 'wait-migrations':
      return {
        id,
        title: `Follow ${serviceOf(op)} while it migrates the database`,
        run: async (signal) => {
          const b = await backupState(run);
          const { applied } = await waitForMigrations({
            docker, emit: channel.emit, signal, service: serviceOf(op), container: containerOf(run, serviceOf(op)),
            creds: run.creds, graph: run.target.graph, startRevisions: b?.manifest.alembic ?? run.plan.migrations.current ?? [],
            timeoutMs: run.timeoutMs,
          });
          return `${applied.length} migrations applied; database at ${run.target.graph.heads.join(', ')}`;
        },
      };
    case 'verify':
      return {
        id,
        title: 'Verify the upgrade',
        run: async (signal) => {
          const b = await backupState(run);
          // The tables there were, as the new migrations leave them (a release may drop one, and adds its own).
          const before = b ? Object.keys(b.manifest.tables) : run.observed.db?.tables ?? [];
          const tables = tablesAfter(before, run.plan.migrations.pending, run.target.effects);
          const outcome = await runVerification({ docker, emit: channel.emit, redactor: run.redactor, signal }, {
            backend: containerOf(run, run.observed.roles.backend!),
            containers: run.plan.services.map((s) => s.container),
            heads: run.target.graph.heads,
            tables,
            creds: run.creds,
            frontendApiUrl: frontendApiUrl(run.target.project, run.observed.roles.frontend),
            // A check failing just as it did before the upgrade is not the upgrade's doing (verify/baseline.ts).
            baseline: run.journal.state(STATE.verifyBaseline),
          });
          if (!outcome.ok) throw externalError('verify.failed', `Verification failed: ${outcome.failures.join('; ')}`);
          return outcome.summary;
        },
      };
    case 'commit':
      return {
        id,
        title: 'Remove the old containers kept for rollback',
        run: async () => {
          for (const s of run.plan.services) if (s.action === 'recreate') await removeAside(docker, swapNames(s.container, run.runId));
        },
      };
  }
}
