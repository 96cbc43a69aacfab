// `glowworm check`: is there something newer than what runs? Asked of the registry's HTTP API only — nothing is
// pulled and nothing changes. Real GlowWorm tags move (`latest`, `test`), so the main signal is a moved tag: the
// registry's digest for the running tag is none of the running image's RepoDigests. Where tags are versions (the rig,
// a fork that tags releases), the newer ones are listed too, newest first.
import type { CheckedImage, CheckOptions, CheckReport } from '../api.js';
import { parseImageRef } from '../compose/image-ref.js';
import { toGlowwormError } from '../errors.js';
import { RegistryClient, type RegistryReader } from '../registry/registry-client.js';
import { newerReleases, type TagFilter } from '../registry/release-tags.js';
import { Redactor } from '../secrets.js';
import { openDeployment } from './deployment.js';
import type { ServiceState } from '../plan/observed-state.js';

const APP_ROLES = ['backend', 'worker', 'frontend'];

/** Digest parts of `name@sha256:…` entries: content addresses compare equal whatever name the image was pulled as. */
function digestsOf(s: ServiceState): string[] {
  return [...new Set((s.image?.repoDigests ?? []).map((d) => d.slice(d.indexOf('@') + 1)))];
}

async function checkImage(registry: RegistryReader, image: string, group: ServiceState[], filter: TagFilter): Promise<CheckedImage> {
  const tag = parseImageRef(image).tag;
  const runningDigests = [...new Set(group.flatMap(digestsOf))];
  const base = { image, services: group.map((s) => s.name), tag, runningDigests, registryDigest: null, tagMoved: null, newer: [], error: null };
  try {
    const [registryDigest, tags] = await Promise.all([registry.digest(image), registry.tags(image)]);
    const tagMoved = registryDigest && runningDigests.length ? !runningDigests.includes(registryDigest) : null;
    return { ...base, registryDigest, tagMoved, newer: newerReleases(tags, tag, filter) };
  } catch (error) {
    return { ...base, error: toGlowwormError(error).message };
  }
}

export async function checkForUpdates(opts: CheckOptions, registry: RegistryReader = new RegistryClient()): Promise<CheckReport> {
  const { observed } = await openDeployment(opts, new Redactor());
  const byImage = new Map<string, ServiceState[]>();
  for (const s of Object.values(observed.services)) {
    if (!APP_ROLES.includes(s.role) || !s.compose.image) continue;
    byImage.set(s.compose.image, [...(byImage.get(s.compose.image) ?? []), s]);
  }
  const images = await Promise.all([...byImage].map(([image, group]) => checkImage(registry, image, group, opts.filter ?? {})));
  const backend = images.find((i) => observed.roles.backend && i.services.includes(observed.roles.backend));
  const upgradeTo = backend?.newer[0]
    ? { toTag: backend.newer[0], reason: 'newer-release' as const }
    : images.some((i) => i.tagMoved) ? { toTag: null, reason: 'tag-moved' as const } : null;
  return {
    project: { name: observed.project.name, dir: observed.project.workingDir },
    images,
    updateAvailable: images.some((i) => i.tagMoved || i.newer.length > 0),
    upgradeTo,
  };
}
