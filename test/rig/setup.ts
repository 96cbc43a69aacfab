import { ensureBaseImage } from './base-image.js';
import { ensureDockerEngine } from './docker-engine.js';
import { ensureFixtureImages } from './fixture-images.js';
import { ensureDebianPackages } from './host-packages.js';
import { ensureRegistry } from './registry.js';
import { withSetupLock } from './setup-lock.js';
import { say, seconds, timed } from './log.js';

/**
 * What the tests need on the host besides Docker: compose to create rig stacks, debootstrap for the base image,
 * python3-alembic so the Alembic unit tests run against a real Alembic (they skip without it), tmux for the
 * end-to-end TUI test, zsh for the completion tests (bash is always there).
 */
// openssh-server: test/engine-over-ssh.test.ts starts its own sshd on loopback, on its own port (this machine kind's
// /usr/sbin/policy-rc.d keeps apt from starting the system one).
const HOST_TEST_PACKAGES = ['docker-compose', 'debootstrap', 'python3-alembic', 'tmux', 'zsh', 'openssh-server'];

export interface SetupReport {
  engine: string;
  registry: string;
  baseImage: string;
  images: string[];
  totalMs: number;
}

/** Everything the integration tests and the demo need, idempotent: a warm machine only checks (a few seconds). */
export function rigSetup(): Promise<SetupReport> {
  return withSetupLock(setUp);
}

async function setUp(): Promise<SetupReport> {
  const started = Date.now();
  const engine = await timed('docker engine', ensureDockerEngine);
  await timed('host packages', () => ensureDebianPackages(HOST_TEST_PACKAGES));
  const registry = await timed('registry', ensureRegistry);
  const baseImage = await timed('base image', ensureBaseImage);
  const images = await timed('fixture images', ensureFixtureImages);
  const totalMs = Date.now() - started;
  say(`setup done in ${seconds(totalMs)}`);
  return { engine, registry, baseImage, images, totalMs };
}
