import { describe, expect, it } from 'vitest';
import { crashLooping } from './crash-loop.js';

const at = Date.parse('2026-12-01T12:00:00Z');
const c = (over: Partial<Parameters<typeof crashLooping>[0]>) => ({ restarting: false, restartCount: 0, running: true, health: 'healthy', startedAt: '2026-12-01T11:00:00Z', ...over });

describe('crashLooping', () => {
  it('is a restarting container, or one caught between two crashes', () => {
    expect(crashLooping(c({ restarting: true, restartCount: 1 }), at)).toBe(true);
    expect(crashLooping(c({ restartCount: 3, health: 'starting', startedAt: '2026-12-01T11:59:58Z' }), at)).toBe(true);
    expect(crashLooping(c({ restartCount: 3, running: false, health: null }), at)).toBe(true);
    expect(crashLooping(c({ restartCount: 3, health: null, startedAt: '2026-12-01T11:59:50Z' }), at)).toBe(true);
  });

  it('is not a container that got past its start, however often it restarted before', () => {
    expect(crashLooping(c({ restartCount: 5 }), at)).toBe(false);
    expect(crashLooping(c({ restartCount: 5, health: null, startedAt: '2026-12-01T11:55:00Z' }), at)).toBe(false);
    expect(crashLooping(c({ restartCount: 1, running: false, health: null }), at)).toBe(false);
  });
});
