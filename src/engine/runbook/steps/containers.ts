// Steps that change containers: create the new ones under temporary names, swap one in under its service's name
// (the old one renamed aside, never removed before the commit), start one. Each looks at what is there first, so a
// run killed between two Docker calls goes on correctly, and each undo puts back exactly what its run changed.
import { composeContainerSpec } from '../../operations/compose-container.js';
import { composeDialectOf } from '../../operations/compose-labels.js';
import { GLOWWORM_RUN_LABEL } from '../../docker/recreate-spec.js';
import { findOld, prepareNewContainer, swapBack, swapIn } from '../../operations/recreate.js';
import { swapNames } from '../../docker/swap-names.js';
import type { UpgradeRun } from '../upgrade-run.js';
import type { StepBuilder } from './step-builder.js';
import { keepContainerLog } from '../kept-logs.js';

/**
 * The new container of a service under its temporary name, made from the target compose file as compose would make
 * it (the whole definition, compose's labels and config-hash), so a later `docker compose up -d` finds it up to date.
 * Only a service the target file lacks keeps its running config on the new image.
 */
async function prepareService(run: UpgradeRun, service: string): Promise<void> {
  const { docker } = run;
  const change = run.plan.services.find((s) => s.service === service)!;
  const names = swapNames(change.container, run.runId);
  if (change.action !== 'create' && !run.target.project.services[service]) {
    await prepareNewContainer({ docker, names, runId: run.runId, imageRef: change.toImage });
    return;
  }
  const atName = await docker.inspectContainer(names.name);
  const ours = atName?.labels[GLOWWORM_RUN_LABEL] === run.runId;
  if ((change.action === 'create' && atName) || ours || (await docker.inspectContainer(names.temp))) return;
  const spec = await composeContainerSpec({
    docker,
    target: run.target.project,
    // The target project was loaded from the run's edited copy; the labels must name the user's own files.
    labelFiles: { composeFiles: run.observed.project.composeFiles, envFile: run.observed.project.envFile },
    service,
    imageRef: change.toImage,
    runId: run.runId,
    dialect: composeDialectOf(Object.values(run.observed.services).flatMap((s) => (s.container ? [s.container.labels] : []))),
    old: change.action === 'create' ? null : await findOld(docker, names, run.runId),
  });
  const id = await docker.createContainer({ name: names.temp, body: spec.body });
  for (const net of spec.extraNetworks) await docker.connectNetwork(net.name, id, net.endpoint);
}

/** Remove what this run created under a temporary name (a prepared container never swapped in). */
async function removePrepared(run: UpgradeRun, container: string): Promise<boolean> {
  const temp = await run.docker.inspectContainer(swapNames(container, run.runId).temp);
  if (!temp || temp.labels[GLOWWORM_RUN_LABEL] !== run.runId) return false;
  await run.docker.removeContainer(temp.id, { force: true });
  return true;
}

export const prepareStep: StepBuilder<'prepare'> = (run, op, id) => ({
  id,
  title: 'Create the new containers (the old version still serves)',
  run: async () => {
    for (const name of op.services) await prepareService(run, name);
    return `${op.services.length} created under temporary names`;
  },
  undo: async () => {
    let removed = 0;
    for (const name of op.services) {
      const change = run.plan.services.find((s) => s.service === name);
      if (change && (await removePrepared(run, change.container))) removed += 1;
    }
    return `${removed} prepared containers removed`;
  },
});

export const recreateStep: StepBuilder<'recreate'> = (run, op, id) => ({
  id,
  title: `Recreate ${op.service} on ${op.image}`,
  run: async () => {
    const names = swapNames(op.container, run.runId);
    await prepareService(run, op.service); // normally done before the downtime; a no-op then
    await swapIn(run.docker, names, run.runId);
    return op.create ? 'created' : `old container kept as ${names.aside}`;
  },
  undo: async () => {
    const names = swapNames(op.container, run.runId);
    // The new container goes: its log (a failed migration's traceback) is kept in the run's folder first.
    const atName = await run.docker.inspectContainer(names.name);
    if (atName?.labels[GLOWWORM_RUN_LABEL] === run.runId) {
      await keepContainerLog(run.docker, atName.id, run.workDir, op.service, run.redactor).catch(() => 0);
    }
    if (!op.create) return (await swapBack(run.docker, names, run.runId)) === 'restored' ? `${op.container} is the old container again` : 'nothing to swap back';
    // A service the release added: remove what this run created under either name.
    for (const name of [names.name, names.temp]) {
      const c = await run.docker.inspectContainer(name);
      if (c?.labels[GLOWWORM_RUN_LABEL] === run.runId) await run.docker.removeContainer(c.id, { force: true });
    }
    return `${op.container} removed`;
  },
});

export const startStep: StepBuilder<'start'> = (run, op, id) => ({
  id,
  title: `Start ${op.service}`,
  run: async () => {
    await run.docker.startContainer(op.container);
  },
  // Stop what this started (the new container, or the kept one restarted); the old one is started by the stop's undo.
  undo: async () => {
    const c = await run.docker.inspectContainer(op.container);
    if (c?.running || c?.restarting) await run.docker.stopContainer(c.id, 10);
    return c?.running || c?.restarting ? 'stopped' : 'was not running';
  },
});
