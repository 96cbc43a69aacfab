// Which Docker engine to talk to, resolved as the docker CLI resolves it (cli/command/cli.go `resolveContextName` and
// `resolveDockerEndpoint`, cli/context/store): DOCKER_HOST wins and means the default context; else DOCKER_CONTEXT;
// else `currentContext` of $DOCKER_CONFIG/config.json (~/.docker/config.json), which `docker context use` sets; else
// the default context. A named context's endpoint is in $DOCKER_CONFIG/contexts/meta/<sha256(name)>/meta.json
// (`Endpoints.docker.Host`, `SkipTLSVerify`) and its TLS files in contexts/tls/<sha256(name)>/docker/. The default
// context is DOCKER_HOST or the local socket, with DOCKER_TLS_VERIFY/DOCKER_CERT_PATH for tcp.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { userError } from '../errors.js';

export type EngineEndpoint =
  | { kind: 'unix'; socketPath: string; source: string }
  | { kind: 'tcp'; host: string; port: number; tls: { ca?: Buffer; cert?: Buffer; key?: Buffer; verify: boolean } | null; source: string }
  | { kind: 'ssh'; host: string; port: number; user: string | null; source: string };

export interface EndpointEnv {
  env: Record<string, string | undefined>;
  /** Defaults to os.homedir(). */
  home?: string;
}

const DEFAULT_SOCKET = '/var/run/docker.sock';

export function resolveEngineEndpoint(opts: EndpointEnv = { env: process.env }): EngineEndpoint {
  const { env } = opts;
  const configDir = env['DOCKER_CONFIG'] || join(opts.home ?? homedir(), '.docker');
  if (env['DOCKER_HOST']) return fromHost(env['DOCKER_HOST'], 'DOCKER_HOST', tlsFromEnv(env));
  const named = env['DOCKER_CONTEXT'] || currentContext(configDir);
  if (!named || named === 'default') return { kind: 'unix', socketPath: DEFAULT_SOCKET, source: 'the default context' };
  return fromContext(named, configDir, env['DOCKER_CONTEXT'] ? 'DOCKER_CONTEXT' : `${join(configDir, 'config.json')}`);
}

/** A short description of where the engine is, for messages ("ssh://root@host:22 (DOCKER_HOST)"). */
export function describeEndpoint(e: EngineEndpoint): string {
  if (e.kind === 'unix') return `unix://${e.socketPath} (${e.source})`;
  if (e.kind === 'tcp') return `tcp://${e.host}:${e.port} (${e.source})`;
  return `ssh://${e.user ? `${e.user}@` : ''}${e.host}:${e.port} (${e.source})`;
}

function currentContext(configDir: string): string | null {
  const path = join(configDir, 'config.json');
  if (!existsSync(path)) return null;
  try {
    const config = JSON.parse(readFileSync(path, 'utf8')) as { currentContext?: unknown };
    return typeof config.currentContext === 'string' ? config.currentContext : null;
  } catch (error) {
    throw userError('engine.config-unreadable', `Cannot read the docker CLI config ${path}: ${(error as Error).message}.`,
      'Fix or remove that file, or set DOCKER_HOST.');
  }
}

function fromContext(name: string, configDir: string, origin: string): EngineEndpoint {
  const id = createHash('sha256').update(name).digest('hex');
  const metaPath = join(configDir, 'contexts', 'meta', id, 'meta.json');
  let meta: { Endpoints?: { docker?: { Host?: string; SkipTLSVerify?: boolean } } };
  try {
    meta = JSON.parse(readFileSync(metaPath, 'utf8')) as typeof meta;
  } catch {
    throw userError('engine.context-missing', `The docker context "${name}" (from ${origin}) does not exist: no ${metaPath}.`,
      'List contexts with `docker context ls`, then `docker context use NAME`, or set DOCKER_HOST.');
  }
  const host = meta.Endpoints?.docker?.Host;
  if (!host) throw userError('engine.context-invalid', `The docker context "${name}" has no docker endpoint (${metaPath}).`);
  const tlsDir = join(configDir, 'contexts', 'tls', id, 'docker');
  const file = (n: string) => (existsSync(join(tlsDir, n)) ? readFileSync(join(tlsDir, n)) : undefined);
  const ca = file('ca.pem');
  const cert = file('cert.pem');
  const key = file('key.pem');
  const tls = ca || cert || key ? { ...(ca ? { ca } : {}), ...(cert ? { cert } : {}), ...(key ? { key } : {}), verify: !meta.Endpoints?.docker?.SkipTLSVerify } : null;
  return fromHost(host, `context ${name}`, tls);
}

function tlsFromEnv(env: Record<string, string | undefined>): { ca?: Buffer; cert?: Buffer; key?: Buffer; verify: boolean } | null {
  const verify = !!env['DOCKER_TLS_VERIFY'] && env['DOCKER_TLS_VERIFY'] !== '0';
  const certPath = env['DOCKER_CERT_PATH'] || (verify ? join(homedir(), '.docker') : null);
  if (!verify && !env['DOCKER_CERT_PATH']) return null;
  const file = (n: string) => (certPath && existsSync(join(certPath, n)) ? readFileSync(join(certPath, n)) : undefined);
  const ca = file('ca.pem');
  const cert = file('cert.pem');
  const key = file('key.pem');
  return { ...(ca ? { ca } : {}), ...(cert ? { cert } : {}), ...(key ? { key } : {}), verify };
}

function fromHost(host: string, source: string, tls: { ca?: Buffer; cert?: Buffer; key?: Buffer; verify: boolean } | null): EngineEndpoint {
  const invalid = () => userError('engine.host-invalid', `Cannot use the engine address ${JSON.stringify(host)} (${source}).`,
    'It looks like unix:///var/run/docker.sock, tcp://HOST:2376 or ssh://USER@HOST[:PORT].');
  if (host.startsWith('unix://')) return { kind: 'unix', socketPath: host.slice('unix://'.length) || DEFAULT_SOCKET, source };
  let url: URL;
  try {
    url = new URL(host.includes('://') ? host : `tcp://${host}`);
  } catch {
    throw invalid();
  }
  if (url.protocol === 'ssh:') {
    if (!url.hostname) throw invalid();
    return { kind: 'ssh', host: url.hostname.replace(/^\[|\]$/g, ''), port: url.port ? Number(url.port) : 22, user: url.username ? decodeURIComponent(url.username) : null, source };
  }
  if (url.protocol === 'tcp:' || url.protocol === 'http:' || url.protocol === 'https:') {
    if (!url.hostname) throw invalid();
    const port = url.port ? Number(url.port) : tls ? 2376 : 2375;
    return { kind: 'tcp', host: url.hostname.replace(/^\[|\]$/g, ''), port, tls: tls ?? (url.protocol === 'https:' ? { verify: true } : null), source };
  }
  throw invalid();
}
