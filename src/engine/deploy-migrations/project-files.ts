// The user's compose file and `.env` as files on disk: read them byte for byte with their mode and owner, and replace
// them atomically (temp file beside them, fsync, rename, fsync of the directory) keeping that mode and owner, so a
// 0600 `.env` stays 0600 and a file owned by the user does not become root's when glowworm runs under sudo.
import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { access, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { userError } from '../errors.js';

/** The compose file and `.env` as text. */
export interface ProjectTexts {
  compose: string;
  /** null: there is no `.env` (yet). */
  env: string | null;
}

export interface FileState {
  path: string;
  /** null: the file does not exist. */
  bytes: Buffer | null;
  mode: number;
  uid: number;
  gid: number;
}

/** Mode of a `.env` glowworm has to create: it holds secrets. */
export const NEW_SECRET_FILE_MODE = 0o600;

export async function readFileState(path: string): Promise<FileState> {
  try {
    const [bytes, info] = await Promise.all([readFile(path), stat(path)]);
    return { path, bytes, mode: info.mode & 0o7777, uid: info.uid, gid: info.gid };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    const dir = await stat(dirname(path));
    return { path, bytes: null, mode: NEW_SECRET_FILE_MODE, uid: dir.uid, gid: dir.gid };
  }
}

export function sha256(bytes: Buffer | null): string | null {
  return bytes === null ? null : createHash('sha256').update(bytes).digest('hex');
}

/** Replace (or create) `path` with `content`, atomically, with the mode and owner of `like`. */
export async function replaceFile(path: string, content: string | Buffer, like: Pick<FileState, 'mode' | 'uid' | 'gid'>): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.glowworm-${process.pid}.tmp`);
  // Created 0600 so a secret is never readable by others, even for the moment before the chmod.
  const handle = await open(tmp, 'w', 0o600);
  try {
    await handle.writeFile(content);
    await handle.chmod(like.mode);
    if (process.getuid?.() === 0) await handle.chown(like.uid, like.gid);
    await handle.sync();
  } catch (error) {
    await handle.close();
    await rm(tmp, { force: true });
    throw error;
  }
  await handle.close();
  await rename(tmp, path);
  await syncDirectory(dirname(path));
}

export async function removeFile(path: string): Promise<void> {
  await rm(path, { force: true });
  await syncDirectory(dirname(path));
}

async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Refuse before anything is written when a file cannot be replaced. A file without its owner's write bit counts as
 * read-only even for root (who could write it anyway): someone made it read-only on purpose.
 */
export async function assertWritable(path: string, what: string): Promise<void> {
  const hint = `Make it writable (for example \`chmod u+w ${path}\`) and run glowworm as a user who may write ${dirname(path)}.`;
  let mode: number | null = null;
  try {
    mode = (await stat(path)).mode & 0o7777;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  if (mode !== null && (mode & 0o200) === 0) {
    throw userError('deploy-migrations.read-only', `The ${what} ${path} is read-only (mode ${mode.toString(8).padStart(4, '0')}).`, hint);
  }
  try {
    if (mode !== null) await access(path, constants.W_OK);
    // The file is replaced by a rename, which needs the directory to be writable too.
    await access(dirname(path), constants.W_OK);
  } catch (error) {
    throw userError('deploy-migrations.read-only', `The ${what} ${path} cannot be written: ${(error as Error).message}`, hint);
  }
}

function text(state: FileState): string | null {
  return state.bytes === null ? null : state.bytes.toString('utf8');
}

/** The pair of files deployment migrations change: read together, written together. */
export class ComposeProjectFiles {
  constructor(
    readonly composeFile: string,
    readonly envFile: string,
  ) {}

  async readStates(): Promise<[FileState, FileState]> {
    const states = await Promise.all([readFileState(this.composeFile), readFileState(this.envFile)]);
    if (states[0].bytes === null) throw userError('deploy-migrations.no-compose-file', `Compose file not found: ${this.composeFile}`);
    return states;
  }

  async readTexts(): Promise<ProjectTexts> {
    const [compose, env] = await this.readStates();
    return { compose: text(compose)!, env: text(env) };
  }

  /** Write what differs from the files on disk, `.env` first: a compose file never names a variable `.env` lacks. */
  async writeTexts(texts: ProjectTexts): Promise<void> {
    const [compose, env] = await this.readStates();
    if (texts.env !== text(env)) {
      if (texts.env === null) await removeFile(this.envFile);
      else await replaceFile(this.envFile, texts.env, env);
    }
    if (texts.compose !== text(compose)) await replaceFile(this.composeFile, texts.compose, compose);
  }

  async assertWritable(): Promise<void> {
    await assertWritable(this.composeFile, 'compose file');
    await assertWritable(this.envFile, '.env file');
  }
}
