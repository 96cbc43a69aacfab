// The user's compose file and .env are theirs: before the upgrade writes either (deployment migrations, new image
// tags), a byte-exact copy goes into the run's folder; a rollback puts those bytes back whatever happened in between.
export type { DeploymentMigrationsPort } from '../deploy-migrations/types.js';
import { copyFile, mkdir, readFile, stat, chmod } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { writeFileAtomic } from '../atomic-file.js';

export interface KeptFile {
  path: string;
  copy: string;
  mode: number;
}

/** Copy the files aside (once per run: a resumed run keeps the first copy). */
export async function keepOriginals(workDir: string, paths: string[]): Promise<KeptFile[]> {
  const dir = join(workDir, 'originals');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const kept: KeptFile[] = [];
  for (const [i, path] of paths.entries()) {
    const copy = join(dir, `${i}-${basename(path)}`);
    const mode = (await stat(path)).mode & 0o777;
    try {
      await stat(copy);
    } catch {
      await copyFile(path, copy);
      await chmod(copy, 0o600);
    }
    kept.push({ path, copy, mode });
  }
  return kept;
}

export async function restoreOriginals(kept: KeptFile[]): Promise<void> {
  for (const k of kept) {
    await writeFileAtomic(k.path, await readFile(k.copy), k.mode);
  }
}

export async function writeDeploymentFile(path: string, text: string): Promise<void> {
  const mode = (await stat(path).catch(() => null))?.mode ?? 0o644;
  await writeFileAtomic(path, text, mode & 0o777);
}
