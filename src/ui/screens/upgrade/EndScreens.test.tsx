// The success and failure screens at 80 columns: what the user must copy is whole on its own line, never cut with
// "…" nor broken mid-path; a half-applied revision's options are not cut.
import { Box } from 'ink';
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { ev } from '../../state/events.fixture.js';
import { initialRunView, reduceRunEvents } from '../../state/run-view.js';
import { FailureScreen } from './FailureScreen.js';
import { SuccessScreen } from './SuccessScreen.js';

const BACKUP = '/srv/glowworm-production/.glowworm/backups/20261202-021500-glowworm-before-1.1.0.sql.gz';

function at80(node: React.ReactNode): string[] {
  const app = render(<Box width={80} flexDirection="column">{node}</Box>);
  return (app.lastFrame() ?? '').split('\n').map((l) => l.trimEnd());
}

describe('end screens at 80 columns', () => {
  it('success: the backup path and its restore command each whole on a line of their own', () => {
    const view = reduceRunEvents(initialRunView(), [
      ev('upgrade.completed', { fromVersion: '1.0.0', toVersion: '1.1.0', durationMs: 45_000, downtimeMs: 30_000, backupPath: BACKUP }),
      ev('run.finished', { ok: true, outcome: 'ok' }),
    ]);
    const lines = at80(<SuccessScreen view={view} />);
    expect(lines).toContain(`    ${BACKUP}`);
    expect(lines).toContain(`    glowworm restore ${BACKUP}`);
    expect(lines.join('\n')).not.toContain('…');
  });

  it('failure: the backup path whole, each command of the hint whole on its own line, the options not cut', () => {
    const option = 'restore the backup taken before the upgrade with `glowworm restore FILE`, then run the upgrade again once a fixed release is out';
    const view = reduceRunEvents(initialRunView(), [
      ev('step.started', { step: '10-wait-migrations:glowworm-backend', title: 'Follow glowworm-backend while it migrates the database' }),
      ev('backup.completed', { path: BACKUP, sha256: 'ab', bytes: 4096, tables: 14, rows: 100 }),
      ev('schema.half-applied', { revision: '2024110900', message: 'add display sizes', present: ['display_devices.resolution_width'], absent: ['display_devices.resolution_height'], preexisting: [], options: [option] }),
      ev('step.failed', { step: '10-wait-migrations:glowworm-backend', durationMs: 9000, error: { kind: 'external', code: 'migration.failed', message: 'the backend failed to migrate' } }),
      ev('upgrade.failed', { error: { kind: 'aborted', code: 'x', message: 'Upgrade interrupted.', hint: 'Continue with `glowworm upgrade --project-dir /srv/glowworm-production --resume`, or put everything back with `glowworm upgrade --project-dir /srv/glowworm-production --rollback`.' }, rolledBack: false, state: 'Stopped part-way.' }),
      ev('run.finished', { ok: false, outcome: 'aborted' }),
    ]);
    const lines = at80(<FailureScreen view={view} streamError={null} />);
    const text = lines.join('\n');
    expect(lines).toContain(`  ${BACKUP}`);
    expect(lines).toContain('  glowworm upgrade --project-dir /srv/glowworm-production --resume');
    expect(lines).toContain('  glowworm upgrade --project-dir /srv/glowworm-production --rollback');
    expect(text).not.toContain('…');
    // Wrapped at word boundaries, every word of the option is there.
    expect(text.replace(/\s+/g, ' ')).toContain(option);
    expect(text).not.toContain('10-wait-migrations');
  });
});
