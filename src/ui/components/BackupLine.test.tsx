import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { ev } from '../state/events.fixture.js';
import { initialRunView, reduceRunEvent } from '../state/run-view.js';
import { BackupLine } from './BackupLine.js';

const mb = 1024 * 1024;

/** The line as the run view reduces these events to it. */
function lineAfter(...events: ReturnType<typeof ev>[]): string {
  const view = events.reduce(reduceRunEvent, initialRunView());
  return render(<BackupLine backup={view.backup!} />).lastFrame() ?? '';
}

describe('BackupLine', () => {
  it('while dumping: the bytes so far of the expected total, and the time left at the rate so far', () => {
    expect(lineAfter(ev('backup.progress', { bytes: 12 * mb, total: 48 * mb, etaSeconds: 9 })))
      .toBe('Backup: 12.6 MB of ~50.3 MB dumped, ~9s left');
  });

  it('says only what it knows: no total, no rate yet', () => {
    expect(lineAfter(ev('backup.progress', { bytes: 3 * mb, total: null, etaSeconds: null }))).toBe('Backup: 3.15 MB dumped so far');
    expect(lineAfter(ev('backup.progress', { bytes: 3 * mb, total: 48 * mb, etaSeconds: null }))).toBe('Backup: 3.15 MB of ~50.3 MB dumped');
  });

  it('once taken: the file and its facts, not the progress', () => {
    expect(lineAfter(
      ev('backup.progress', { bytes: 12 * mb, total: 48 * mb, etaSeconds: 9 }),
      ev('backup.completed', { path: '/b.sql.gz', sha256: 'ff', bytes: 2 * mb, tables: 14, rows: 9000 }),
    )).toBe('Backup: /b.sql.gz (2.1 MB gzip, 14 tables, 9000 rows)');
  });
});
