import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/** Short content hash of a recipe: anything JSON-serialisable (package lists, scripts, file contents). */
export function recipeHash(recipe: unknown): string {
  return createHash('sha256').update(JSON.stringify(recipe)).digest('hex').slice(0, 16);
}

/** Every file under dir, as path (relative to root) → content hash, sorted, so a changed fixture file changes it. */
export function treeFingerprint(dir: string, root = dir): Record<string, string> {
  const fingerprint: Record<string, string> = {};
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    const stat = statSync(path);
    if (stat.isDirectory()) Object.assign(fingerprint, treeFingerprint(path, root));
    else {
      const mode = (stat.mode & 0o111) !== 0 ? 'x' : '-';
      fingerprint[relative(root, path)] = mode + createHash('sha256').update(readFileSync(path)).digest('hex');
    }
  }
  return fingerprint;
}
