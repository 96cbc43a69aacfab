// Where a registry's HTTP API (v2) lives for an image reference, and the repository's name there. Docker Hub is
// `registry-1.docker.io` with official images under `library/`; the loopback and `localhost` registries speak plain
// HTTP, as dockerd allows them without `insecure-registries` (the rig's 127.0.0.1:5000 is one); every other host HTTPS.
import { parseImageRef } from '../compose/image-ref.js';

export interface RegistryEndpoint {
  /** `http://127.0.0.1:5000`, `https://registry-1.docker.io`. */
  baseUrl: string;
  /** `glowworm/backend`, `library/mysql`, `nickstephens/glowworm-backend`. */
  repository: string;
  /** The image's tag, or null for a digest-only reference. */
  tag: string | null;
  /** The host `docker login` stores credentials under (the key registryAuthFor() looks up). */
  authHost: string;
}

const HUB = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io']);

function plainHttp(host: string): boolean {
  const name = host.replace(/:\d+$/, '');
  return name === 'localhost' || /^127\.\d+\.\d+\.\d+$/.test(name) || name === '[::1]';
}

export function registryEndpoint(ref: string): RegistryEndpoint {
  const parsed = parseImageRef(ref);
  if (parsed.registry === null || HUB.has(parsed.registry)) {
    const repository = parsed.repository.includes('/') ? parsed.repository : `library/${parsed.repository}`;
    return { baseUrl: 'https://registry-1.docker.io', repository, tag: parsed.tag, authHost: 'https://index.docker.io/v1/' };
  }
  const scheme = plainHttp(parsed.registry) ? 'http' : 'https';
  return { baseUrl: `${scheme}://${parsed.registry}`, repository: parsed.repository, tag: parsed.tag, authHost: parsed.registry };
}
