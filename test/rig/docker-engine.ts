import { request } from 'node:http';
import { mkdirSync } from 'node:fs';
import { DOCKER_SOCKET, RIG_LOG_DIR } from './paths.js';
import { cannotInstallReason, ensureDebianPackages, missingPackages, readHostFacts, type HostFacts } from './host-packages.js';
import { RigError, spawnDaemon, waitFor } from './process.js';
import { say } from './log.js';

export const DOCKERD_LOG = `${RIG_LOG_DIR}/dockerd.log`;

/** True when a Docker engine answers GET /_ping on the socket. */
export function engineAnswers(socketPath = DOCKER_SOCKET): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ socketPath, path: '/_ping', method: 'GET', timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
    req.end();
  });
}

export type EngineStartPlan =
  | { kind: 'running' }
  | { kind: 'start'; installPackages: string[] }
  | { kind: 'impossible'; message: string };

/**
 * What setup does about the engine, decided from facts only (no side effects), so the branch that starts dockerd can
 * be tested without stopping the engine that is running.
 */
export function planEngineStart(answers: boolean, facts: HostFacts, missing: readonly string[]): EngineStartPlan {
  if (answers) return { kind: 'running' };
  if (!facts.isRoot || !facts.isDebian) {
    const what = `no Docker engine answers on ${DOCKER_SOCKET} and the rig cannot start one: `;
    if (missing.length > 0) return { kind: 'impossible', message: what + cannotInstallReason(facts, missing) };
    return {
      kind: 'impossible',
      message: `${what}starting dockerd needs root on a Debian machine; start it yourself (e.g. \`sudo dockerd &\`) and run setup again.`,
    };
  }
  return { kind: 'start', installPackages: [...missing] };
}

export async function ensureDockerEngine(): Promise<string> {
  const answers = await engineAnswers();
  const facts = readHostFacts();
  const missing = answers || !facts.isDebian ? [] : await missingPackages(['docker.io']);
  const plan = planEngineStart(answers, facts, missing);
  switch (plan.kind) {
    case 'running':
      return 'already running';
    case 'impossible':
      throw new RigError(plan.message);
    case 'start': {
      if (plan.installPackages.length > 0) await ensureDebianPackages(plan.installPackages);
      mkdirSync(RIG_LOG_DIR, { recursive: true });
      say(`starting dockerd (log: ${DOCKERD_LOG})`);
      spawnDaemon('dockerd', [], DOCKERD_LOG);
      await waitFor(`dockerd to answer on ${DOCKER_SOCKET} (see ${DOCKERD_LOG})`, 60_000, async () =>
        (await engineAnswers()) ? true : undefined,
      );
      return 'started';
    }
  }
}
