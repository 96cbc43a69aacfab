// The one engine this process talks to, from the endpoint the docker CLI would use (engine-endpoint.ts): the
// dockerode client for it, and — over ssh — the tunnel by which the database is reached from the engine's host.
import Docker from 'dockerode';
import type { Duplex } from 'node:stream';
import { resolveEngineEndpoint, type EngineEndpoint } from './engine-endpoint.js';
import { SshEngine } from './ssh-engine.js';

export interface EngineConnection {
  endpoint: EngineEndpoint;
  docker: Docker;
  /** Over ssh: a TCP stream to host:port opened from the engine's host. Null where this host routes to containers. */
  tunnel: ((host: string, port: number) => Promise<Duplex>) | null;
}

let current: EngineConnection | null = null;

export function connectEngine(endpoint: EngineEndpoint): EngineConnection {
  if (endpoint.kind === 'unix') return { endpoint, docker: new Docker({ socketPath: endpoint.socketPath }), tunnel: null };
  if (endpoint.kind === 'tcp') {
    const tls = endpoint.tls;
    const docker = new Docker({
      host: endpoint.host,
      port: endpoint.port,
      protocol: tls ? 'https' : 'http',
      ...(tls?.ca ? { ca: tls.ca } : {}),
      ...(tls?.cert ? { cert: tls.cert } : {}),
      ...(tls?.key ? { key: tls.key } : {}),
    });
    return { endpoint, docker, tunnel: null };
  }
  const ssh = new SshEngine({ host: endpoint.host, port: endpoint.port, user: endpoint.user });
  // The host name is never dialled: every connection is made by the agent, over ssh.
  const docker = new Docker({ protocol: 'http', host: 'engine-over-ssh', port: 80, agent: ssh.httpAgent() } as Docker.DockerOptions);
  return { endpoint, docker, tunnel: (host, port) => ssh.forward(host, port) };
}

/** The process's engine, resolved from the environment once. */
export function engineConnection(): EngineConnection {
  current ??= connectEngine(resolveEngineEndpoint({ env: process.env }));
  return current;
}
