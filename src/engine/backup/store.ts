// Where backups live: <project dir>/.glowworm/backups, a 0700 folder of 0600 files (design.md rule 7). A dump is
// written under a `.partial` name and renamed only when complete, so a half-written file never looks like a backup.
// The partial name carries its writer (host and pid): a run killed mid-dump cannot remove its partial, and the next
// backup removes those whose writer is gone (the way throwaway containers carry their maker).
import { hostname } from 'node:os';
import { chmod, mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { SweepOptions } from '../docker/throwaway-owner.js';
import { processAlive } from '../host-process.js';
import type { BackupManifest } from './manifest.js';
import { writeFileAtomic } from '../atomic-file.js';

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

export { writeFileAtomic } from '../atomic-file.js';

export async function saveManifest(dumpPath: string, manifest: BackupManifest): Promise<string> {
  const path = manifestPath(dumpPath);
  await writeFileAtomic(path, JSON.stringify(manifest, null, 2) + '\n');
  return path;
}

export type ManifestRead = { manifest: BackupManifest } | { missing: true } | { unreadable: string };

/** A dump's manifest, telling "there is none" from "there is one we cannot read" (not JSON, not a manifest). */
export async function readManifest(dumpPath: string): Promise<ManifestRead> {
  let text: string;
  try {
    text = await readFile(manifestPath(dumpPath), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { missing: true };
    return { unreadable: (error as Error).message };
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return { unreadable: `not valid JSON: ${(error as Error).message}` };
  }
  const m = data as Partial<BackupManifest> | null;
  const ok = m?.format === 1 && typeof m.database === 'string' && typeof m.createDatabase === 'string'
    && typeof m.dump?.sha256 === 'string' && !!m.tables && typeof m.tables === 'object'
    && (m.dump.sections === undefined || Array.isArray(m.dump.sections));
  return ok ? { manifest: m as BackupManifest } : { unreadable: 'not a glowworm backup manifest (format 1)' };
}

/** The manifest, or null when it is missing or unreadable (listings; a restore asks readManifest). */
export async function loadManifest(dumpPath: string): Promise<BackupManifest | null> {
  const read = await readManifest(dumpPath);
  return 'manifest' in read ? read.manifest : null;
}

/** The name a dump is written under until it is complete: `<file>.<host>-<pid>.partial`. */
export function partialPath(file: string): string {
  return `${file}.${hostname()}-${process.pid}.partial`;
}

// `x.sql.gz.<host>-<pid>.partial`; `x.sql.gz.partial` is the name earlier versions used, with no writer in it.
const PARTIAL = /\.sql\.gz\.(?:(.+)-(\d+)\.)?partial$/;

/**
 * Remove the partial dumps of writers that are gone, returning their names. Every backup runs under the project's
 * lock, so a live writer is another process only in theory; it is still never removed, nor one of another host.
 * Partials of earlier versions name no writer and are removed: under the lock, nothing writes them.
 */
export async function removeDeadPartials(projectDir: string, opts: SweepOptions = {}): Promise<string[]> {
  const host = opts.host ?? hostname();
  const alive = opts.alive ?? processAlive;
  const names = await readdir(backupDir(projectDir)).catch(() => [] as string[]);
  const dead = names.filter((name) => {
    const m = PARTIAL.exec(name);
    if (!m) return false;
    if (m[2] === undefined) return true;
    const pid = Number(m[2]);
    return m[1] === host && pid !== process.pid && !alive(pid);
  });
  for (const name of dead) await rm(join(backupDir(projectDir), name), { force: true });
  return dead;
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
