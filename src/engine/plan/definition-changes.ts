// Which parts of each service's compose definition the upgrade's edits change (deployment migrations; the image tag
// is not counted). A service whose definition changed is created from the target compose file, as compose would, so
// a removed port or a new variable really reaches the container; one whose definition is the same keeps its running
// config on the new image (recreate-spec.ts). Pure.
import { isDeepStrictEqual } from 'node:util';
import type { ComposeProject, ComposeService } from '../compose/index.js';

/** The fields of a service that shape its container (depends_on only orders starts; the image is the upgrade's own). */
const CONTAINER_FIELDS = [
  'command', 'entrypoint', 'environment', 'healthcheck', 'ports', 'expose', 'volumes', 'networks', 'networkMode',
  'restart', 'user', 'workingDir', 'extraHosts', 'labels', 'containerName',
] as const satisfies readonly (keyof ComposeService)[];

/** Per service that exists before and after: the container fields the edits change (absent: none). */
export function changedDefinitions(before: ComposeProject, after: ComposeProject): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [name, service] of Object.entries(after.services)) {
    const old = before.services[name];
    if (!old) continue;
    const fields = CONTAINER_FIELDS.filter((f) => !isDeepStrictEqual(comparable(old, f), comparable(service, f)));
    if (fields.length) out[name] = fields;
  }
  return out;
}

function comparable(service: ComposeService, field: (typeof CONTAINER_FIELDS)[number]): unknown {
  // `original` holds the entry as written; after interpolation the same entry may be spelled differently.
  if (field === 'ports') return service.ports.map(({ original: _o, ...p }) => p);
  if (field === 'volumes') return service.volumes.map(({ original: _o, mode: _m, ...v }) => v);
  return service[field];
}
