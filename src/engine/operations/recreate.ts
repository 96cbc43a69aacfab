// Recreate a service's container on a new image the way compose does, but keep the way back (design.md rule 3):
// create the new container under a temporary name, rename the old one aside (never removed before the commit),
// rename the new one into place. Every function first looks at what is there, so a run killed between any two
// Docker calls continues correctly on `--resume`.
import type { ContainerDetails, DockerPort } from '../docker/port.js';
import { GLOWWORM_RUN_LABEL, recreateSpec } from '../docker/recreate-spec.js';
import { externalError } from '../errors.js';
import type { SwapNames } from '../docker/swap-names.js';

function isOurs(c: ContainerDetails | null, runId: string): boolean {
  return !!c && c.labels[GLOWWORM_RUN_LABEL] === runId;
}

/** The pre-upgrade container: still under its name, or already renamed aside. */
export async function findOld(docker: DockerPort, names: SwapNames, runId: string): Promise<ContainerDetails | null> {
  const atName = await docker.inspectContainer(names.name);
  if (atName && !isOurs(atName, runId)) return atName;
  return docker.inspectContainer(names.aside);
}

/** Create the new container under its temporary name (before downtime starts). Idempotent. */
export async function prepareNewContainer(opts: {
  docker: DockerPort;
  names: SwapNames;
  runId: string;
  imageRef: string;
}): Promise<string> {
  const { docker, names, runId } = opts;
  const atName = await docker.inspectContainer(names.name);
  if (isOurs(atName, runId)) return atName!.id;
  const existing = await docker.inspectContainer(names.temp);
  if (existing) return existing.id;
  const old = await findOld(docker, names, runId);
  if (!old) throw externalError('recreate.no-old-container', `Cannot find the container ${names.name} to recreate.`);
  const [oldImage, newImage] = await Promise.all([docker.inspectImage(old.imageId), docker.inspectImage(opts.imageRef)]);
  if (!oldImage) {
    throw externalError('recreate.old-image-missing', `The image ${old.image} that ${names.name} runs is gone from the engine, so there would be no way back.`,
      'Pull the current version again before upgrading.');
  }
  if (!newImage) throw externalError('recreate.new-image-missing', `The image ${opts.imageRef} is not on this engine; the pull should have fetched it.`);
  const spec = recreateSpec({ old: old.raw, oldImage, newImage, newImageRef: opts.imageRef, runId });
  const id = await docker.createContainer({ name: names.temp, body: spec.body });
  for (const net of spec.extraNetworks) await docker.connectNetwork(net.name, id, net.endpoint);
  return id;
}

/** Put the new container in place: old renamed aside (stopped), new renamed to the real name. Idempotent. */
export async function swapIn(docker: DockerPort, names: SwapNames, runId: string, stopTimeoutSeconds = 10): Promise<void> {
  const atName = await docker.inspectContainer(names.name);
  if (isOurs(atName, runId)) return;
  if (atName) {
    if (atName.running || atName.restarting) await docker.stopContainer(atName.id, stopTimeoutSeconds);
    await docker.renameContainer(atName.id, names.aside);
  }
  const fresh = await docker.inspectContainer(names.temp);
  if (!fresh) throw externalError('recreate.new-container-missing', `The prepared container ${names.temp} is gone.`);
  await docker.renameContainer(fresh.id, names.name);
}

/** Undo a swap: the new container is removed, the old one renamed back. Idempotent; starting is the caller's. */
export async function swapBack(docker: DockerPort, names: SwapNames, runId: string): Promise<'restored' | 'untouched'> {
  const atName = await docker.inspectContainer(names.name);
  const aside = await docker.inspectContainer(names.aside);
  const temp = await docker.inspectContainer(names.temp);
  if (temp) await docker.removeContainer(temp.id, { force: true });
  if (atName && isOurs(atName, runId)) await docker.removeContainer(atName.id, { force: true });
  if (aside) {
    await docker.renameContainer(aside.id, names.name);
    return 'restored';
  }
  return 'untouched';
}

/** After a successful upgrade: the old container goes (its anonymous volumes stay: the new one uses them). */
export async function removeAside(docker: DockerPort, names: SwapNames): Promise<void> {
  const aside = await docker.inspectContainer(names.aside);
  if (aside) await docker.removeContainer(aside.id, { force: true, volumes: false });
}
