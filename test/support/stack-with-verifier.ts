// A rig stack, root credentials to its database and a throwaway verification server started from its DB image: what
// the backup tests that call the engine's backup functions directly (not the CLI) set up.
import { randomBytes } from 'node:crypto';
import { serverOf, startVerifier, type Verifier } from '../../src/engine/backup/verify.js';
import type { DbCredentials } from '../../src/engine/db/credentials.js';
import { DockerodeDocker } from '../../src/engine/docker/dockerode-docker.js';
import type { ContainerDetails } from '../../src/engine/docker/port.js';
import { Redactor } from '../../src/engine/secrets.js';
import { containerName, databaseAddress, stackDown, stackEnv, stackUp, type Stack, type StackUpOptions } from '../rig/index.js';

export interface StackWithVerifier {
  stack: Stack;
  docker: DockerodeDocker;
  db: ContainerDetails;
  creds: DbCredentials;
  verifier: Verifier;
  /** Removes the verifier and the stack. */
  down(): Promise<void>;
}

export async function stackWithVerifier(opts: StackUpOptions & { prefix: string }): Promise<StackWithVerifier> {
  const docker = new DockerodeDocker();
  const stack = await stackUp(opts);
  const db = (await docker.inspectContainer(containerName(stack, 'glowworm-mysql')))!;
  const creds = { user: 'root', password: stackEnv(stack)['MYSQL_ROOT_PASSWORD']!, database: 'glowworm', host: await databaseAddress(stack), port: 3306 };
  const verifier = await startVerifier({
    docker, ...serverOf(db),
    project: `test-${opts.prefix}`, runId: randomBytes(4).toString('hex'), redactor: new Redactor(),
  });
  return {
    stack, docker, db, creds, verifier,
    async down() {
      await verifier.dispose().catch(() => undefined);
      await stackDown(opts.dir, stack.prefix);
    },
  };
}
