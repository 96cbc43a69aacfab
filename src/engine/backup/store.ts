// Where backups live: <project dir>/.glowworm/backups, a 0700 folder of 0600 files (design.md rule 7). A dump is
// written under a `.partial` name and renamed only when complete, so a half-written file never looks like a backup.
import { chmod, mkdir, readdir, readFile, rename, writeFile, open } from 'node:fs/promises';
import { join } from 'node:path';
import type { BackupManifest } from './manifest.js';

export function backupDir(projectDir: string): string {
  return join(projectDir, '.glowworm', 'backups');
}

export async function ensureBackupDir(projectDir: string): Promise<string> {
  const dir = backupDir(projectDir);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(join(projectDir, '.glowworm'), 0o700);
  await chmod(dir, 0o700);
  return dir;
}

export function backupBaseName(database: string, revision: string[], when = new Date()): string {
  const stamp = when.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z').replace('T', '-');
  return `${stamp}-${database}-${revision.join('+') || 'empty'}`;
}

export function manifestPath(dumpPath: string): string {
  return dumpPath.replace(/\.sql\.gz$/, '') + '.manifest.json';
}

/** Write a file atomically: temp file, fsync, rename (design.md rule 5). */
export async function writeFileAtomic(path: string, content: string | Uint8Array, mode = 0o600): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}`;
  await writeFile(tmp, content, { mode });
  const fh = await open(tmp, 'r+');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(tmp, path);
}

export async function saveManifest(dumpPath: string, manifest: BackupManifest): Promise<string> {
  const path = manifestPath(dumpPath);
  await writeFileAtomic(path, JSON.stringify(manifest, null, 2) + '\n');
  return path;
}

export async function loadManifest(dumpPath: string): Promise<BackupManifest | null> {
  try {
    return JSON.parse(await readFile(manifestPath(dumpPath), 'utf8')) as BackupManifest;
  } catch {
    return null;
  }
}

export interface BackupListing {
  path: string;
  manifest: BackupManifest | null;
}

/** Backups of a project, newest first. */
export async function listBackups(projectDir: string): Promise<BackupListing[]> {
  let names: string[];
  try {
    names = await readdir(backupDir(projectDir));
  } catch {
    return [];
  }
  const dumps = names.filter((n) => n.endsWith('.sql.gz')).sort().reverse();
  return Promise.all(dumps.map(async (n) => {
    const path = join(backupDir(projectDir), n);
    return { path, manifest: await loadManifest(path) };
  }));
}
