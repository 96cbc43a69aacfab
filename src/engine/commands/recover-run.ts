// `glowworm recover`: the seed's own situation — the new image was pulled and started by hand, its migration failed,
// the backend restart-loops, the settings API is gone. Put the version that worked back: find it on this engine (an
// image whose Alembic head is the database's revision), take and verify a backup of the database as it is, remove
// exactly what the failed revision created, point the compose file at the working image (so a later
// `docker compose up -d` keeps it), swap the containers back, and verify. Then say what comes next. Each step that
// changes something has its undo: a recovery that fails half-way puts back what it did (commands/project-run.ts).
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { ProjectOptions, RunIO } from '../api.js';
import { expectedTables } from '../alembic/schema-effects.js';
import { parseImageRef } from '../compose/index.js';
import { ComposeDocument, imageRepository } from '../deploy-migrations/compose-edit.js';
import type { DockerPort } from '../docker/port.js';
import { crashLooping } from '../docker/crash-loop.js';
import { withDb } from '../db/connection.js';
import { abortedError, userError } from '../errors.js';
import type { EngineEvent } from '../events.js';
import { prepareNewContainer, removeAside, swapBack, swapIn } from '../operations/recreate.js';
import { swapNames } from '../docker/swap-names.js';
import { keepOriginals, restoreOriginals, writeDeploymentFile, type KeptFile } from '../runbook/deployment-files.js';
import { startAppStep, stopAppStep } from '../runbook/steps/app.js';
import { putBackDatabase, verifiedBackupStep } from '../runbook/steps/database-back.js';
import { baselineStep, verifyAppStep } from '../runbook/steps/verify-app.js';
import { STATE } from '../runbook/upgrade-run.js';
import { runsDir } from '../runbook/journal.js';
import { diagnoseHalfApplied, leftoversToRemove, readLiveSchema } from '../verify/half-applied.js';
import { dropLeftovers, leftoverText, toLeftover } from '../recover/leftovers.js';
import { findWorkingVersion, type WorkingVersion } from '../recover/working-version.js';
import { backendMigrations } from './backend-image.js';
import { appScope, appServices, backupScope, openDeployment, requireDb, runningApp, type Deployment } from './deployment.js';
import { runProjectSteps } from './project-run.js';
import { runCommand } from './run-command.js';

/** The services running the backend's image (the backend and its workers): they go back together. */
function backendImageServices(d: Deployment): string[] {
  const backend = d.observed.roles.backend!;
  return [backend, ...d.observed.roles.workers.filter((w) => d.observed.services[w]?.container?.imageId === d.observed.services[backend]?.container?.imageId)];
}

/** A name for the working image in the backend's repository; an untagged one (its tag moved on) gets one. */
async function workingRef(docker: DockerPort, backendImage: string, working: WorkingVersion): Promise<string> {
  if (working.ref) return working.ref;
  const repo = imageRepository(backendImage);
  const tag = `glowworm-recovered-${working.imageId.replace(/^sha256:/, '').slice(0, 12)}`;
  await docker.tagImage(working.imageId, repo, tag);
  return `${repo}:${tag}`;
}

export function recoverRun(opts: ProjectOptions, io: RunIO, docker?: DockerPort): AsyncIterable<EngineEvent> {
  return runCommand('recover', opts.projectDir, async (cmd) => {
    const { channel } = cmd;
    const signal = io.signal ?? new AbortController().signal;
    const d = await openDeployment(opts, cmd.redactor, docker);
    const { creds } = requireDb(d);
    const backendName = d.observed.roles.backend;
    const backend = backendName ? d.observed.services[backendName] : undefined;
    if (!backend?.container || !backend.compose.image) throw userError('recover.no-backend', 'No GlowWorm backend container in this project.');
    if (!crashLooping(backend.container)) {
      channel.emit({ type: 'notice', level: 'info', message: `${backend.name} is not crash-looping (${backend.container.status}${backend.container.health ? `, ${backend.container.health}` : ''}): nothing to recover. \`glowworm status\` says more.` });
      return 'ok';
    }
    const revisions = d.observed.db!.revisions;
    const failing = await backendMigrations(d.docker, backend.container.imageId);
    const live = await withDb(creds, readLiveSchema);
    const diagnosis = diagnoseHalfApplied(failing.graph, failing.effects, revisions, live);
    // Only what provably is the failed revision's: what it creates that the schema at the database's revision (as the
    // image's own migrations define it) does not have — never the column it collided with (verify/half-applied.ts).
    const leftovers = leftoversToRemove(failing.graph, failing.effects, revisions, live).map(toLeftover);
    const leftInPlace = diagnosis?.unverified ?? [];
    const working = await findWorkingVersion(d.docker, { image: backend.compose.image, failingImageId: backend.container.imageId }, revisions, d.observed.project.workingDir, backend.name);
    if (!working) {
      throw userError('recover.no-working-image', `No image on this engine brings the database's revision (${revisions.join(', ') || 'empty'}): there is no working version here to go back to.`,
        'Restore the newest backup with the image it was taken under (`glowworm doctor` → Restore lists them), or wait for a release that fixes the migration.');
    }
    const failedRevision = diagnosis?.revision ?? '(the next revision)';
    channel.emit({
      type: 'notice', level: 'warn',
      message: [
        `${backend.name} crash-loops on ${backend.container.image} (restarted ${backend.container.restartCount} times): its migration ${failedRevision} fails; the database is at ${revisions.join(', ')}.`,
        `The version that worked: image ${working.ref ?? working.imageId.slice(0, 19)} (found by ${working.foundBy === 'backup' ? 'a backup taken under it' : 'its Alembic head on this engine'}), head ${working.heads.join(', ')}.`,
        leftovers.length ? `What ${failedRevision} left, to be removed: ${leftovers.map(leftoverText).join(', ')}.` : `${failedRevision} left nothing glowworm can prove is its own.`,
        ...(diagnosis?.preexisting.length ? [`Kept (they were there before it ran): ${diagnosis.preexisting.join(', ')}.`] : []),
        ...(leftInPlace.length ? [`Left in place (not provably the failed revision's; a release that fixes it must cope with them): ${leftInPlace.join(', ')}.`] : []),
      ].join('\n'),
    });
    const swapped = backendImageServices(d);
    const summary = `Take and verify a backup, remove what ${failedRevision} left, run ${swapped.join(', ')} on the working image again (the compose file says so too), and verify.`;
    if (!(await io.confirm(summary))) throw abortedError('Cancelled; nothing was changed.');

    const workDir = join(runsDir(opts.projectDir), cmd.runId);
    const composePath = d.observed.project.composeFiles[0]!;
    // Stopped, and started again at the end (or by the stop's undo, as they were): what runs, or all of the app.
    const running = runningApp(d);
    const services = running.length ? running : appServices(d).map((a) => a.service);
    const app = appScope(d, channel.emit);
    const verifyIO = { docker: d.docker, emit: channel.emit, redactor: cmd.redactor };
    const expectations = (tables: string[]) => () => ({
      backend: backend.containerName, containers: appServices(d).map((a) => a.container.name), heads: revisions, tables, creds,
    });
    let ref = '';
    await runProjectSteps('recover', { projectDir: opts.projectDir, docker: d.docker }, cmd, signal, (j) => {
      const scope = backupScope(d, cmd, j);
      return [
        baselineStep(verifyIO, j, expectations([...live.tables])),
        stopAppStep(app, services, { id: 'recover:stop', title: 'Stop the app' }),
        verifiedBackupStep(scope, { id: 'recover:backup', title: 'Back up the database as it is, and verify the backup' }),
        {
          id: 'recover:leftovers', title: `Remove what ${failedRevision} left`,
          run: async () => {
            const { dropped, kept } = await withDb(creds, (db) => dropLeftovers(db, leftovers));
            if (kept.length) channel.emit({ type: 'notice', level: 'warn', message: `Kept, because they hold data: ${kept.join(', ')}. A release that fixes ${failedRevision} must cope with them.` });
            return dropped.join(', ') || 'nothing removed';
          },
          undo: () => putBackDatabase(scope),
        },
        {
          id: 'recover:compose', title: 'Point the compose file at the working image',
          run: async () => {
            ref = await workingRef(d.docker, backend.compose.image!, working);
            const tag = parseImageRef(ref).tag!;
            await j.setState(STATE.keptFiles, await keepOriginals(workDir, [composePath]));
            const doc = ComposeDocument.parse(await readFile(composePath, 'utf8'));
            for (const service of swapped) doc.setImageTag(service, tag);
            await writeDeploymentFile(composePath, doc.toString());
            return `${swapped.join(', ')} → ${ref} (the file as it was: ${join(workDir, 'originals')})`;
          },
          undo: async () => {
            const kept = j.state<KeptFile[]>(STATE.keptFiles);
            if (!kept) return 'unchanged';
            await restoreOriginals(kept);
            return 'restored byte for byte';
          },
        },
        {
          id: 'recover:containers', title: 'Run the backend and its workers on the working image',
          run: async () => {
            for (const service of swapped) {
              const names = swapNames(d.observed.services[service]!.containerName, cmd.runId);
              await prepareNewContainer({ docker: d.docker, names, runId: cmd.runId, imageRef: ref });
              await swapIn(d.docker, names, cmd.runId);
            }
          },
          // The crash-looping containers come back under their names (the new ones go), as the user had them.
          undo: async () => {
            let back = 0;
            for (const service of swapped) {
              if ((await swapBack(d.docker, swapNames(d.observed.services[service]!.containerName, cmd.runId), cmd.runId)) === 'restored') back += 1;
            }
            return `${back} put back`;
          },
        },
        startAppStep(app, services, { id: 'recover:start', title: 'Start the app' }),
        verifyAppStep(verifyIO, j, expectations(expectedTables(failing.graph, failing.effects, revisions)),
          { id: 'recover:verify', title: 'Verify the working version', code: 'recover.verify-failed', after: 'The working version does not verify' }),
        {
          id: 'recover:commit', title: 'Remove the crash-looping containers and the copy of the compose file',
          run: async () => {
            for (const service of swapped) await removeAside(d.docker, swapNames(d.observed.services[service]!.containerName, cmd.runId));
            await rm(join(workDir, 'originals'), { recursive: true, force: true });
          },
        },
      ];
    });
    channel.emit({
      type: 'notice', level: 'info',
      message: `Recovered: ${backend.name} runs ${ref} again, the database at ${revisions.join(', ')}. Next: wait for a release that fixes ${failedRevision}; then \`glowworm upgrade --to <its tag> --rehearse\` tries it on a copy of your data first.`,
    });
    return 'ok';
  });
}
