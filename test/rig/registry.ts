import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { REGISTRY_ADDRESS, REGISTRY_CONFIG_FILE, REGISTRY_STORAGE_DIR, RIG_LOG_DIR, RIG_STATE_DIR } from './paths.js';
import { ensureDebianPackages } from './host-packages.js';
import { RigError, spawnDaemon, waitFor } from './process.js';
import { say } from './log.js';

export const REGISTRY_LOG = `${RIG_LOG_DIR}/registry.log`;

// Our own config: Debian's /etc/docker/registry/config.yml has an htpasswd `auth:` section, and docker push to
// 127.0.0.1 must work without a login. Listening on loopback only: the registry is for this machine.
export const REGISTRY_CONFIG = `version: 0.1
log:
  level: warn
  fields:
    service: glowworm-rig-registry
storage:
  filesystem:
    rootdirectory: ${REGISTRY_STORAGE_DIR}
  delete:
    enabled: true
http:
  addr: ${REGISTRY_ADDRESS}
`;

/** HTTP status of GET /v2/, or undefined when nothing listens. */
async function registryStatus(): Promise<number | undefined> {
  try {
    const response = await fetch(`http://${REGISTRY_ADDRESS}/v2/`, { signal: AbortSignal.timeout(2000) });
    return response.status;
  } catch {
    return undefined;
  }
}

export async function ensureRegistry(): Promise<string> {
  const status = await registryStatus();
  if (status === 200) return 'already serving';
  if (status !== undefined) {
    throw new RigError(
      `something answers on http://${REGISTRY_ADDRESS}/v2/ with HTTP ${status} (a registry with auth?). ` +
        `The rig needs a registry without auth there: stop that one and run setup again.`,
    );
  }
  await ensureDebianPackages(['docker-registry']);
  mkdirSync(REGISTRY_STORAGE_DIR, { recursive: true });
  mkdirSync(RIG_LOG_DIR, { recursive: true });
  if (!existsSync(REGISTRY_CONFIG_FILE) || readFileSync(REGISTRY_CONFIG_FILE, 'utf8') !== REGISTRY_CONFIG) {
    mkdirSync(RIG_STATE_DIR, { recursive: true });
    writeFileSync(REGISTRY_CONFIG_FILE, REGISTRY_CONFIG);
  }
  say(`starting docker-registry serve ${REGISTRY_CONFIG_FILE} (log: ${REGISTRY_LOG})`);
  spawnDaemon('docker-registry', ['serve', REGISTRY_CONFIG_FILE], REGISTRY_LOG);
  await waitFor(`the registry on http://${REGISTRY_ADDRESS}/v2/ (see ${REGISTRY_LOG})`, 30_000, async () =>
    (await registryStatus()) === 200 ? true : undefined,
  );
  return 'started';
}

/** Digest of repo:tag in the registry (the Docker-Content-Digest header), or undefined when it has no such tag. */
export async function registryDigest(repository: string, tag: string): Promise<string | undefined> {
  const response = await fetch(`http://${REGISTRY_ADDRESS}/v2/${repository}/manifests/${tag}`, {
    method: 'HEAD',
    headers: { Accept: 'application/vnd.docker.distribution.manifest.v2+json' },
  });
  if (response.status === 404) return undefined;
  if (!response.ok) throw new RigError(`registry answered HTTP ${response.status} for ${repository}:${tag}`);
  return response.headers.get('docker-content-digest') ?? undefined;
}

/** A label of repo:tag's image as the registry holds it (its config blob), without pulling; undefined when absent. */
export async function registryImageLabel(repository: string, tag: string, label: string): Promise<string | undefined> {
  const base = `http://${REGISTRY_ADDRESS}/v2/${repository}`;
  const manifest = await fetch(`${base}/manifests/${tag}`, { headers: { Accept: 'application/vnd.docker.distribution.manifest.v2+json' } });
  if (manifest.status === 404) return undefined;
  if (!manifest.ok) throw new RigError(`registry answered HTTP ${manifest.status} for ${repository}:${tag}`);
  const config = ((await manifest.json()) as { config?: { digest?: string } }).config?.digest;
  if (!config) return undefined;
  const blob = await fetch(`${base}/blobs/${config}`);
  if (!blob.ok) throw new RigError(`registry answered HTTP ${blob.status} for the config of ${repository}:${tag}`);
  return ((await blob.json()) as { config?: { Labels?: Record<string, string> } }).config?.Labels?.[label];
}
