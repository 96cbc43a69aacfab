// Before deployment migrations change anything, the compose file and `.env` are kept byte for byte under
// `.glowworm/deploy-migrations/originals/<run>/` (0700 folder, 0600 copies: `.env` holds secrets), with their mode and
// owner in the journal. Putting them back is the exact way back; it does not depend on any migration's down().
import { chmod, mkdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { readFileState, removeFile, replaceFile, sha256, type FileState } from './project-files.js';

export interface KeptFile {
  path: string;
  /** Where the copy is; null when the file did not exist (putting it back then means removing it). */
  copy: string | null;
  mode: number;
  uid: number;
  gid: number;
  sha256: string | null;
}

export interface KeptOriginals {
  dir: string;
  compose: KeptFile;
  env: KeptFile;
}

export function originalsRoot(composeDir: string): string {
  return join(composeDir, '.glowworm', 'deploy-migrations', 'originals');
}

async function keep(dir: string, file: FileState): Promise<KeptFile> {
  const copy = file.bytes === null ? null : join(dir, basename(file.path));
  if (copy && file.bytes) await replaceFile(copy, file.bytes, { mode: 0o600, uid: file.uid, gid: file.gid });
  return { path: file.path, copy, mode: file.mode, uid: file.uid, gid: file.gid, sha256: sha256(file.bytes) };
}

export async function keepOriginals(composeDir: string, runId: string, compose: FileState, env: FileState): Promise<KeptOriginals> {
  const dir = join(originalsRoot(composeDir), runId);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(join(composeDir, '.glowworm'), 0o700);
  return { dir, compose: await keep(dir, compose), env: await keep(dir, env) };
}

async function putBack(file: KeptFile): Promise<void> {
  if (file.copy === null) await removeFile(file.path);
  else await replaceFile(file.path, await readFile(file.copy), file);
}

/** Compose file first: once it no longer names a variable, `.env` losing it cannot break a `docker compose` run. */
export async function putOriginalsBack(kept: KeptOriginals): Promise<void> {
  await putBack(kept.compose);
  await putBack(kept.env);
}

/** Whether both files are still exactly as `after` recorded them. */
export async function unchangedSince(after: { compose: string | null; env: string | null }, kept: KeptOriginals): Promise<boolean> {
  const [compose, env] = await Promise.all([readFileState(kept.compose.path), readFileState(kept.env.path)]);
  return sha256(compose.bytes) === after.compose && sha256(env.bytes) === after.env;
}

/** The shell commands that put the originals back by hand (for messages). */
export function putBackByHand(kept: KeptOriginals): string {
  // Plain cp: it keeps the mode of the file it overwrites, not the 0600 of the copy.
  const line = (file: KeptFile) => (file.copy ? `cp '${file.copy}' '${file.path}'` : `rm -f '${file.path}'`);
  return `${line(kept.compose)} && ${line(kept.env)}`;
}

