// A throwaway GlowWorm compose project on disk for the unit tests: the fixture compose file (0644) and `.env` (0600)
// in a fresh temp directory, plus byte-level snapshots to compare against.
import { chmod, mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { glowwormCompose, glowwormEnv } from './glowworm-stack.fixture.js';

export interface TempProject {
  dir: string;
  composeFile: string;
  envFile: string;
}

export async function makeTempProject(options: { containerPrefix?: string; env?: string } = {}): Promise<TempProject> {
  const dir = await mkdtemp(join(tmpdir(), 'glowworm-deploy-'));
  const composeFile = join(dir, 'docker-compose.yml');
  const envFile = join(dir, '.env');
  await writeFile(composeFile, glowwormCompose(options));
  await chmod(composeFile, 0o644);
  await writeFile(envFile, options.env ?? glowwormEnv());
  await chmod(envFile, 0o600);
  return { dir, composeFile, envFile };
}

export interface Snapshot {
  compose: Buffer;
  env: Buffer;
  composeMode: number;
  envMode: number;
}

export async function snapshot(project: TempProject): Promise<Snapshot> {
  return {
    compose: await readFile(project.composeFile),
    env: await readFile(project.envFile),
    composeMode: (await stat(project.composeFile)).mode & 0o777,
    envMode: (await stat(project.envFile)).mode & 0o777,
  };
}
