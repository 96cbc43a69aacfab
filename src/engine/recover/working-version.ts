// The last version that worked here, for `glowworm recover`: an image of the backend's repository still on this
// engine whose Alembic head is exactly the database's revision. A moved tag (`test`, `latest`) leaves the old image
// untagged but present; the backups record the image each one was taken under. Asked of the image itself (its graph,
// read in a throwaway container), never guessed from a tag.
import { readGraphFromImage } from '../alembic/history-probe.js';
import { parseImageRef, repositoryKey } from '../compose/index.js';
import { inImage } from '../docker/in-image.js';
import type { DockerPort } from '../docker/port.js';
import { listBackups } from '../backup/store.js';

export interface WorkingVersion {
  imageId: string;
  /** A name the image has in the backend's repository (`repo:tag`), or null when it has none left. */
  ref: string | null;
  heads: string[];
  /** Where glowworm learnt of it. */
  foundBy: 'backup' | 'engine';
}

const sameSet = (a: string[], b: string[]) => a.length === b.length && [...a].sort().join() === [...b].sort().join();

function inRepository(name: string, repo: string): boolean {
  try {
    return repositoryKey(parseImageRef(name)) === repo;
  } catch {
    return false;
  }
}

export async function findWorkingVersion(
  docker: DockerPort,
  backend: { image: string; failingImageId: string },
  revisions: string[],
  projectDir: string,
  service: string,
): Promise<WorkingVersion | null> {
  const repo = repositoryKey(parseImageRef(backend.image));
  const images = await docker.listImages();
  const named = (id: string) => images.find((i) => i.id === id)?.repoTags.find((t) => inRepository(t, repo)) ?? null;
  // Backups first (each names the image it was taken under), newest first; then the repository's images, newest first.
  const fromBackups = (await listBackups(projectDir)).flatMap((b) => (b.manifest?.images[service] ? [b.manifest.images[service]!.id] : []));
  const fromEngine = images.filter((i) => [...i.repoTags, ...i.repoDigests].some((n) => inRepository(n.split('@')[0]!, repo)))
    .sort((a, b) => b.created - a.created).map((i) => i.id);
  const seen = new Set<string>([backend.failingImageId]);
  for (const [id, foundBy] of [...fromBackups.map((id) => [id, 'backup'] as const), ...fromEngine.map((id) => [id, 'engine'] as const)]) {
    if (seen.has(id) || !images.some((i) => i.id === id)) continue;
    seen.add(id);
    const { graph } = await readGraphFromImage(inImage(docker, id)).catch(() => ({ graph: null }));
    if (graph && sameSet(graph.heads, revisions)) return { imageId: id, ref: named(id), heads: graph.heads, foundBy };
  }
  return null;
}
