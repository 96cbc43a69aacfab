import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import type { VerifyRow } from '../state/run-view.js';
import { VerifyChecks } from './VerifyChecks.js';

const row = (fields: Partial<VerifyRow> & Pick<VerifyRow, 'key' | 'check' | 'detail'>): VerifyRow => ({
  container: null, ok: true, failsRun: false, baseline: 'not-recorded', baselineDetail: null, ...fields,
});

describe('VerifyChecks', () => {
  it('marks a check already failing before the upgrade apart from a new failure, with the note before the detail', () => {
    const app = render(<VerifyChecks checks={[
      row({ key: 'container-health:glowworm-backend', check: 'container-health', container: 'glowworm-backend', detail: 'running, healthy' }),
      row({ key: 'settings-api', check: 'settings-api', ok: false, baseline: 'failed-same', baselineDetail: 'GET /api/settings answered 500', detail: 'GET /api/settings answered 500' }),
      row({ key: 'schema', check: 'schema', ok: false, failsRun: true, baseline: 'passed', detail: 'missing tables: users' }),
    ]} />);
    const lines = (app.lastFrame() ?? '').split('\n');
    expect(lines).toContain('  ✔ container-health glowworm-backend: running, healthy');
    expect(lines).toContain('  ! settings-api (already failing before the upgrade): GET /api/settings answered 500');
    expect(lines).toContain('  ✘ schema (passed before the upgrade): missing tables: users');
  });
});
