// The container compose would create for a service of the target project: its create body from the file
// (create-from-compose.ts) with compose's labels in the dialect of the compose that made the project
// (compose-labels.ts), the config-hash over the service as the target file writes it, and the anonymous volumes of
// the container it replaces.
import { readWrittenServices } from '../compose/written-services.js';
import type { ComposeProject } from '../compose/model.js';
import type { ContainerDetails, DockerPort } from '../docker/port.js';
import { externalError } from '../errors.js';
import { composeLabels, type ComposeDialect } from './compose-labels.js';
import { anonymousVolumes, createBodyFromCompose } from './create-from-compose.js';

export interface ComposeContainerInput {
  docker: DockerPort;
  /** The target project: its files are what the service's definition and hash are read from. */
  target: ComposeProject;
  /** The files the labels name: the user's own, where the target was loaded from an edited copy. */
  labelFiles: Pick<ComposeProject, 'composeFiles' | 'envFile'>;
  service: string;
  imageRef: string;
  runId: string;
  dialect: ComposeDialect;
  /** The container being replaced (null for a service the release adds). */
  old: ContainerDetails | null;
}

export async function composeContainerSpec(input: ComposeContainerInput): Promise<ReturnType<typeof createBodyFromCompose>> {
  const { target, docker } = input;
  const service = target.services[input.service];
  if (!service) throw externalError('recreate.service-missing', `The target compose file has no service ${input.service}.`);
  const image = await docker.inspectImage(input.imageRef);
  if (!image) throw externalError('recreate.new-image-missing', `The image ${input.imageRef} is not on this engine; the pull should have fetched it.`);
  const written = await readWrittenServices(target);
  const labels = composeLabels({
    dialect: input.dialect,
    project: { name: target.name, workingDir: target.workingDir, ...input.labelFiles },
    service,
    imageId: image.id,
    v1: input.dialect.kind === 'v1' ? { written: written.services[service.name] ?? {}, service, project: target, lookup: written.lookup } : null,
    v2: input.dialect.kind === 'v2' ? { service, projectDir: target.workingDir, lookup: written.lookup } : null,
  });
  const mounts = ((input.old?.raw as unknown as { Mounts?: { Type?: string; Name?: string; Destination?: string }[] } | undefined)?.Mounts) ?? [];
  return createBodyFromCompose(target, service, input.imageRef, input.runId, {
    composeLabels: labels,
    keptVolumes: anonymousVolumes(mounts, target),
  });
}
