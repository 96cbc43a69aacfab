// Release notes as the target image carries them. The engine passes `readFile`, which reads one file out of an image
// without starting a container; the notes are looked for where GlowWorm images (and Debian-style packaging) put them.
// Notes are information: when they are absent or unreadable the upgrade goes on and says so (`missing`).
import type { ReleaseNotes } from './release-notes.js';
import { markImpliedBreaking, NO_RELEASE_NOTES, releaseNotesBetween, type ImpliedBreakingHints } from './notes-between.js';
import { parseChangelog } from './parse.js';

export const IMAGE_CHANGELOG_PATHS = ['/app/CHANGELOG.md', '/CHANGELOG.md', '/usr/share/doc/glowworm/CHANGELOG.md'];

export type ReadImageFile = (path: string) => Promise<string | null>;

const NO_HINTS: ImpliedBreakingHints = { deployMigrations: [], removedTables: [] };

export async function releaseNotesFromImage(
  readFile: ReadImageFile,
  fromVersion: string | null,
  toVersion: string,
  hints: ImpliedBreakingHints = NO_HINTS,
): Promise<ReleaseNotes> {
  let notes: ReleaseNotes = { from: fromVersion, to: toVersion, breaking: [], entries: [], missing: NO_RELEASE_NOTES };
  for (const path of IMAGE_CHANGELOG_PATHS) {
    let text: string | null;
    try {
      text = await readFile(path);
    } catch (error) {
      notes.missing = `the release notes could not be read from the image (${path}: ${error instanceof Error ? error.message : String(error)})`;
      break;
    }
    if (text === null) continue;
    notes = releaseNotesBetween(parseChangelog(text), fromVersion, toVersion);
    break;
  }
  return markImpliedBreaking(notes, hints);
}
