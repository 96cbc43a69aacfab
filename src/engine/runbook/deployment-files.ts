// The user's compose file and .env are theirs: before the upgrade writes either (deployment migrations, new image
// tags), a byte-exact copy goes into the run's folder; a rollback puts those bytes back whatever happened in between.
import { copyFile, mkdir, readFile, stat, chmod } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { writeFileAtomic } from '../backup/store.js';
import type { DeployChange } from '../plan/plan.js';
import type { DeploymentFacts } from '../deploy-migrations/types.js';

/**
 * The deployment-migration runner as the upgrade needs it (implemented over umzug in deploy-migrations/).
 * `apply` must write exactly the texts `preview` returned: the user confirmed that diff. Generated secrets are
 * therefore made once, at preview, and reused by apply.
 */
export interface DeploymentMigrationsPort {
  /** Files of the target backend image the migrations ask about; the preflight looks them up for the facts. */
  imageFiles(): Promise<string[]>;
  preview(facts: DeploymentFacts, files: { compose: string; env: string | null }, targetImage?: string): Promise<{
    changes: DeployChange[];
    compose: string;
    env: string | null;
  }>;
  /** Apply the migrations the preview showed; returns their names. */
  apply(): Promise<string[]>;
  /** The engine has finished writing the files (image tags after the migrations): remember them as the result. */
  settle(): Promise<void>;
  /** Mark the migrations this run applied as reverted (their bytes are put back by restoreOriginals). */
  revert(): Promise<string[]>;
}

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
