// Writing a file so that a crash at any moment leaves either the old bytes or the new ones (design.md rule 5): a
// temporary file, fsync, rename. The journals, the lock's neighbours and the user's compose file are written this way.
import { open, rename, writeFile } from 'node:fs/promises';

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
