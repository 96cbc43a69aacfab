import { describe, expect, it } from 'vitest';
import { IMAGE_CHANGELOG_PATHS, releaseNotesFromImage } from './from-image.js';

const CHANGELOG = `## 2.0.0 (2025-11-01)

### Features

* **display:** sign display URLs 0a1b2c3

## 1.1.0 (2025-09-30)

### Bug Fixes

* **db:** create missing tables 1b2c3d4
`;

const hints = {
  deployMigrations: [{ name: '001-2.0.0-display-signing-key', description: 'Add DISPLAY_SIGNING_KEY' }],
  removedTables: [],
};

describe('releaseNotesFromImage', () => {
  it('looks in the known places in order and reads the first file found', async () => {
    const asked: string[] = [];
    const notes = await releaseNotesFromImage(async (path) => {
      asked.push(path);
      return path === '/CHANGELOG.md' ? CHANGELOG : null;
    }, '1.1.0', '2.0.0', hints);
    expect(asked).toEqual(IMAGE_CHANGELOG_PATHS.slice(0, 2));
    expect(notes.missing).toBeUndefined();
    expect(notes.entries).toEqual([{ section: 'Features', scope: 'display', subject: 'sign display URLs', hash: '0a1b2c3', breaking: false }]);
    expect(notes.breaking.map((e) => e.breakingReason)).toEqual(['needs a deployment migration: 001-2.0.0-display-signing-key']);
  });

  it('goes on without notes, still naming the implied breaking changes', async () => {
    const notes = await releaseNotesFromImage(async () => null, '1.1.0', '2.0.0', hints);
    expect(notes).toEqual({
      from: '1.1.0',
      to: '2.0.0',
      entries: [],
      missing: 'the image carries no release notes',
      breaking: [expect.objectContaining({ breakingReason: 'needs a deployment migration: 001-2.0.0-display-signing-key' })],
    });
  });

  it('turns a failing read into `missing`, not an error', async () => {
    const notes = await releaseNotesFromImage(async () => {
      throw new Error('no such image');
    }, null, '2.0.0');
    expect(notes.missing).toBe('the release notes could not be read from the image (/app/CHANGELOG.md: no such image)');
    expect(notes.breaking).toEqual([]);
  });
});
