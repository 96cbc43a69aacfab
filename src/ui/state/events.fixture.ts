// Engine events and a plan shaped like the rig's 1.0.0 → 1.1.0 upgrade, for the UI's unit tests (state and screens).
import type { EngineEvent, EngineEventType, EventOf } from '../../engine/events.js';
import type { Plan } from '../../engine/plan/plan.js';

let clock = 1_700_000_000_000;

/** An event with its envelope filled in; `step` defaults to `run`, `ts` ticks 10 ms per event. */
export function ev<T extends EngineEventType>(type: T, fields: Omit<EventOf<T>, 'type' | 'runId' | 'ts' | 'step'> & { step?: string; ts?: number }): EngineEvent {
  clock += 10;
  return { runId: 'run-1', step: 'run', ts: clock, ...fields, type } as unknown as EngineEvent;
}

export function fixturePlan(overrides: Partial<Plan> = {}): Plan {
  return {
    project: { name: 'gw-demo', dir: '/tmp/gw-demo', files: ['/tmp/gw-demo/docker-compose.yml'] },
    fromVersion: '1.0.0',
    toVersion: '1.1.0',
    services: [
      { service: 'glowworm-backend', container: 'glowworm-backend', action: 'recreate', fromImage: 'registry/backend:1.0.0', toImage: 'registry/backend:1.1.0', fromVersion: '1.0.0', toVersion: '1.1.0' },
      { service: 'glowworm-frontend', container: 'glowworm-frontend', action: 'recreate', fromImage: 'registry/frontend:1.0.0', toImage: 'registry/frontend:1.1.0', fromVersion: '1.0.0', toVersion: '1.1.0' },
      { service: 'glowworm-mysql', container: 'glowworm-mysql', action: 'keep', fromImage: 'registry/mysql:8.0', toImage: 'registry/mysql:8.0', fromVersion: null, toVersion: null },
    ],
    images: [
      { ref: 'registry/backend:1.1.0', reason: 'glowworm-backend, glowworm-celery-worker' },
      { ref: 'registry/frontend:1.1.0', reason: 'glowworm-frontend' },
    ],
    migrations: {
      current: ['a1b2c3d4e5f6'],
      targetHeads: ['ce5826f818f3'],
      pending: [
        { id: 'c2d3e4f5g6h7', message: 'create user logs table', downRevisions: ['a1b2c3d4e5f6'], isMerge: false },
        { id: '1c0cd51f0957', message: 'add scheduled playlists table', downRevisions: ['a1b2c3d4e5f6'], isMerge: false },
        { id: '366388fee193', message: 'merge display mode and system settings', downRevisions: ['c2d3e4f5g6h7', '1c0cd51f0957'], isMerge: true },
        { id: 'ce5826f818f3', message: 'add playlist variants for resolution', downRevisions: ['366388fee193'], isMerge: false },
      ],
    },
    deployChanges: [],
    releaseNotes: {
      from: '1.0.0',
      to: '1.1.0',
      breaking: [],
      entries: [
        { section: 'Features', scope: 'display', subject: 'show the playlist on displays', hash: 'abc1234', breaking: false },
        { section: 'Bug Fixes', scope: 'db', subject: 'create missing tables at start-up', hash: 'def5678', breaking: false },
      ],
    },
    operations: [
      { kind: 'stop', services: ['glowworm-frontend'], cause: 'its image changes' },
      { kind: 'backup', database: 'glowworm', online: false, cause: 'pending migrations' },
    ],
    warnings: [],
    ...overrides,
  };
}
