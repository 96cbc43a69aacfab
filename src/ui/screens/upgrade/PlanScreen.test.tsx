import { render } from 'ink-testing-library';
import { describe, expect, it, vi } from 'vitest';
import { KeyRouter } from '../../components/KeyRouter.js';
import { FALLBACK_ROWS } from '../../hooks/use-terminal-rows.js';
import { fixturePlan } from '../../state/events.fixture.js';
import { PlanScreen } from './PlanScreen.js';

const longDiff = ['--- a/docker-compose.yml', '+++ b/docker-compose.yml', '@@ -1,80 +1,80 @@', ...Array.from({ length: 80 }, (_, i) => `+line ${i}`)].join('\n');

describe('PlanScreen', () => {
  it('scrolls a plan longer than the terminal, and answers with y or esc', async () => {
    const answers: boolean[] = [];
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
});
