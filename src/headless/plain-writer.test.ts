import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../engine/events.js';
import { fixturePlan } from '../ui/state/events.fixture.js';
import { PlainFormatter } from './plain-writer.js';

const stamp = { runId: 'r', step: 'plan', ts: 0 };

describe('PlainFormatter', () => {
  it('prints the plan text and the diff of every deployment change, for the person confirming at a plain prompt', () => {
    const diff = '--- a/docker-compose.yml\n+++ b/docker-compose.yml\n@@ -1 +1 @@\n-    image: backend:1.1.0\n+    image: backend:2.0.0\n';
    const plan = fixturePlan({ deployChanges: [{ name: 'image-tags', description: 'set the GlowWorm images to :2.0.0', diff }] });
    const out = new PlainFormatter().format({ ...stamp, type: 'plan.ready', plan, text: 'PLAN TEXT' } as EngineEvent);
    expect(out).toBe(`PLAN TEXT\nDeployment change image-tags:\n${diff.trimEnd()}`);
  });

  it('says "nothing to do" for an upgrade that was already up to date', () => {
    const done = { ...stamp, type: 'upgrade.completed', fromVersion: '1.1.0', toVersion: '1.1.0', durationMs: 900, downtimeMs: 0, backupPath: null } as EngineEvent;
    expect(new PlainFormatter().format(done)).toBe('Nothing to do: already on 1.1.0.');
  });
});
