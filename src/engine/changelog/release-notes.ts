// Release notes as glowworm shows them: entries of the changelog between two versions, breaking changes first.

export interface ReleaseNoteEntry {
  section: string;
  scope: string | null;
  subject: string;
  hash: string | null;
  breaking: boolean;
  /** Why we call it breaking when no commit said so, e.g. "needs a deployment migration". */
  breakingReason?: string;
}

export interface ReleaseNotes {
  from: string | null;
  to: string;
  breaking: ReleaseNoteEntry[];
  entries: ReleaseNoteEntry[];
  /** Set when the image carries no notes; the upgrade goes on. */
  missing?: string;
}
