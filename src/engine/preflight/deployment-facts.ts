// The facts the deployment migrations decide on, beyond the two files: what the target backend image holds (the files
// the migrations ask about, its Alembic revisions) and what each running container mounts. Never a version or a tag:
// GlowWorm's images carry no version label and its tags move.
import type { RevisionGraph } from '../alembic/graph.js';
import type { DeploymentFacts, RunningMount } from '../deploy-migrations/types.js';
import type { ObservedState } from '../plan/observed-state.js';

interface RawMount {
  Type?: string;
  Source?: string;
  Name?: string;
  Destination?: string;
}

export function runningMounts(observed: ObservedState): DeploymentFacts['running'] {
  const out: DeploymentFacts['running'] = {};
  for (const s of Object.values(observed.services)) {
    if (!s.container) continue;
    const raw = ((s.container.raw as unknown as { Mounts?: RawMount[] }).Mounts ?? []);
    const mounts: RunningMount[] = raw.map((m) => ({ type: m.Type ?? 'bind', source: m.Source ?? '', name: m.Name ?? null, destination: m.Destination ?? '' }));
    out[s.name] = { mounts };
  }
  return out;
}

/** `readFile` reads a path of the target backend image (null when absent). */
export async function deploymentFacts(
  observed: ObservedState,
  graph: RevisionGraph,
  imageFiles: string[],
  readFile: (path: string) => Promise<Buffer | null>,
): Promise<DeploymentFacts> {
  const targetBackendFiles: Record<string, boolean> = {};
  for (const path of imageFiles) targetBackendFiles[path] = (await readFile(path)) !== null;
  return {
    targetBackendFiles,
    targetRevisions: [...graph.revisions.keys()].sort(),
    running: runningMounts(observed),
    project: { dir: observed.project.workingDir, name: observed.project.name },
  };
}
