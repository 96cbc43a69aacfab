// Credentials for private registries the way `docker login` stores them (~/.docker/config.json, `auths[host].auth`
// = base64 "user:password"). Credential helpers (credsStore) are not supported: we say so rather than guess.
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface AuthConfig {
  username: string;
  password: string;
  serveraddress: string;
}

export function registryHost(ref: string): string {
  const first = ref.split('/')[0] ?? '';
  const looksLikeHost = ref.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  return looksLikeHost ? first : 'https://index.docker.io/v1/';
}

export async function registryAuthFor(ref: string, configDir = process.env['DOCKER_CONFIG'] ?? join(homedir(), '.docker')): Promise<AuthConfig | null> {
  let config: { auths?: Record<string, { auth?: string }> };
  try {
    config = JSON.parse(await readFile(join(configDir, 'config.json'), 'utf8'));
  } catch {
    return null;
  }
  const host = registryHost(ref);
  const entry = config.auths?.[host] ?? config.auths?.[`https://${host}`];
  if (!entry?.auth) return null;
  const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return null;
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1), serveraddress: host };
}
