// Ask the backend's image (the one that is running, or the compose file's when nothing runs) about its migrations,
// in throwaway containers without a network: the graph, and what each revision does to the schema.
import type { RevisionGraph } from '../alembic/graph.js';
import { readGraphFromImage } from '../alembic/history-probe.js';
import { inImage } from '../docker/in-image.js';
import { readSchemaEffects, type RevisionEffects } from '../alembic/schema-effects.js';
import type { DockerPort } from '../docker/port.js';
import { userError } from '../errors.js';
import type { ObservedState } from '../plan/observed-state.js';

export function backendImageOf(observed: ObservedState): string {
  const backend = observed.roles.backend ? observed.services[observed.roles.backend] : undefined;
  const ref = backend?.container?.imageId ?? backend?.compose.image;
  if (!ref) throw userError('plan.no-backend', 'No GlowWorm backend service found in the compose file.');
  return ref;
}

export async function backendMigrations(docker: DockerPort, image: string): Promise<{ graph: RevisionGraph; ini: string | null; effects: Map<string, RevisionEffects> }> {
  const run = inImage(docker, image);
  const history = await readGraphFromImage(run);
  return { graph: history.graph, ini: history.ini, effects: await readSchemaEffects(run) };
}
