import { render } from 'ink-testing-library';
import { describe, expect, it, vi } from 'vitest';
import type { PlanAnswer } from '../../../engine/api.js';
import type { Operation } from '../../../engine/plan/plan.js';
import { KeyRouter } from '../../components/KeyRouter.js';
import { FALLBACK_ROWS } from '../../hooks/use-terminal-rows.js';
import { fixturePlan } from '../../state/events.fixture.js';
import { PlanScreen } from './PlanScreen.js';

const longDiff = ['--- a/docker-compose.yml', '+++ b/docker-compose.yml', '@@ -1,80 +1,80 @@', ...Array.from({ length: 80 }, (_, i) => `+line ${i}`)].join('\n');

describe('PlanScreen', () => {
  it('scrolls a plan longer than the terminal, and answers with y or esc', async () => {
    const answers: PlanAnswer[] = [];
    const plan = fixturePlan({ deployChanges: [{ name: '003-scheduler', description: 'add the scheduler service', diff: longDiff }] });
    const app = render(<KeyRouter><PlanScreen plan={plan} onAnswer={(yes) => answers.push(yes)} /></KeyRouter>);
    const frame = () => app.lastFrame() ?? '';
    await vi.waitFor(() => expect(frame()).toContain(`── lines 1–${FALLBACK_ROWS - 4} of`));
    expect(frame()).toContain('more below');
    expect(frame()).not.toContain('+line 79');
    app.stdin.write('\x1b[6~'); // PgDn
    app.stdin.write('\x1b[6~');
    app.stdin.write('\x1b[6~');
    await vi.waitFor(() => expect(frame()).toContain('+line 79'));
    expect(frame()).not.toContain('more below');
    expect(frame()).not.toContain('Upgrade gw-demo: 1.0.0 → 1.1.0');
    app.stdin.write('\x1b[A'); // ↑ one line
    await vi.waitFor(() => expect(frame()).not.toContain('+line 79'));
    app.stdin.write('\x1b');
    await vi.waitFor(() => expect(answers).toEqual([false]));
    app.stdin.write('y');
    await vi.waitFor(() => expect(answers).toEqual([false, true]));
  });

  const backedUp: Operation[] = [
    { kind: 'backup', database: 'glowworm', online: false, cause: 'the way back' },
    { kind: 'verify-backup', database: 'glowworm', cause: 'restore it and compare' },
  ];

  it('offers r when the plan has migrations and a verified backup: it answers "rehearse"', async () => {
    const answers: PlanAnswer[] = [];
    const app = render(<KeyRouter><PlanScreen plan={fixturePlan({ operations: backedUp })} onAnswer={(a) => answers.push(a)} /></KeyRouter>);
    await vi.waitFor(() => expect(app.lastFrame()).toContain('r rehearse, then upgrade'));
    expect(app.lastFrame()).toContain('Rehearse (r): try the 4 new migrations on the backup\'s copy first; stop if that fails.');
    app.stdin.write('r');
    await vi.waitFor(() => expect(answers).toEqual(['rehearse']));
  });

  it('does not offer r without a backup to rehearse on, or when the rehearsal is already planned', async () => {
    for (const operations of [backedUp.slice(0, 1), [...backedUp, { kind: 'rehearse', database: 'glowworm', revisions: 4, cause: '--rehearse' } as Operation]]) {
      const answers: PlanAnswer[] = [];
      const app = render(<KeyRouter><PlanScreen plan={fixturePlan({ operations })} onAnswer={(a) => answers.push(a)} /></KeyRouter>);
      await vi.waitFor(() => expect(app.lastFrame()).toContain('y upgrade now'));
      expect(app.lastFrame()).not.toContain('rehearse, then upgrade');
      app.stdin.write('r');
      app.stdin.write('n');
      await vi.waitFor(() => expect(answers).toEqual([false])); // r was ignored, n answered
      app.unmount();
    }
  });
});
