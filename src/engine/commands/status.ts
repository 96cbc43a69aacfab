// `glowworm status` and the doctor's overview: containers, health, images, the database revision against the
// running backend image's head, and the newest backup. Read-only; works when parts of the stack are down.
import type { ProjectOptions, StatusReport } from '../api.js';
import { pendingRevisions, toPendingRevision } from '../alembic/graph.js';
import { readGraphFromImage } from '../alembic/history-probe.js';
import { listBackups } from '../backup/store.js';
import type { DockerPort } from '../docker/port.js';
import { versionOf } from '../plan/observed-state.js';
import { Redactor } from '../secrets.js';
import { backendImageOf } from './backend-image.js';
import { inImage } from '../docker/in-image.js';
import { openDeployment } from './deployment.js';

export async function readStatus(opts: ProjectOptions, docker?: DockerPort): Promise<StatusReport> {
  const d = await openDeployment(opts, new Redactor(), docker);
  const { observed } = d;
  const services = Object.values(observed.services).map((s) => ({
    service: s.name,
    role: s.role,
    container: s.container?.name ?? null,
    state: s.container ? (s.container.restarting ? 'restarting' : s.container.status) : 'missing',
    health: s.container?.health ?? null,
    restartCount: s.container?.restartCount ?? 0,
    image: s.container?.image ?? s.compose.image,
    version: versionOf(s.image, s.container?.image ?? s.compose.image),
  }));
  let backendImage: StatusReport['backendImage'] = null;
  try {
    const ref = backendImageOf(observed);
    const history = await readGraphFromImage(inImage(d.docker, ref));
    let pending: StatusReport['backendImage'] = { ref, heads: history.graph.heads, pending: null };
    try {
      if (observed.db) pending = { ...pending, pending: pendingRevisions(history.graph, observed.db.revisions).map(toPendingRevision) };
    } catch (error) {
      pending = { ...pending, error: (error as Error).message };
    }
    backendImage = pending;
  } catch (error) {
    observed.warnings.push(`Could not read the backend image's migrations: ${(error as Error).message}`);
  }
  const newest = (await listBackups(observed.project.workingDir))[0];
  return {
    project: { name: observed.project.name, dir: observed.project.workingDir, files: observed.project.composeFiles },
    services,
    database: {
      reachable: observed.db !== null,
      name: observed.db?.creds.database ?? null,
      revisions: observed.db?.revisions ?? null,
      tables: observed.db?.tables.length ?? null,
    },
    backendImage,
    latestBackup: newest ? { path: newest.path, createdAt: newest.manifest?.createdAt ?? '', verified: newest.manifest?.verified?.ok ?? null } : null,
    warnings: observed.warnings,
  };
}
