// The comment glowworm writes above whatever a deployment migration adds to the compose file or `.env`. It tells the
// user where the line came from, and lets the migration's down() remove only what it added itself.

const PREFIX = 'added by glowworm deployment migration ';

export function addedByNote(migration: string): string {
  return PREFIX + migration;
}

/** Whether a comment's text (without its `#`) is glowworm's note, of `migration` or, without it, of any migration. */
export function isAddedByNote(comment: string, migration?: string): boolean {
  const text = comment.trim();
  return migration === undefined ? text.startsWith(PREFIX) : text === addedByNote(migration);
}
