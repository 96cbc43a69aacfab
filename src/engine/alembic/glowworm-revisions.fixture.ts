// The Alembic history of the rig's fixture GlowWorm releases, shaped like the real app's: hand-made ids (some not
// hex), a branch point at a1b2c3d4e5f6 whose two branches join in the merge 366388fee193, one head per release.
// Shared by the alembic unit tests; the rig's fixture images ship these revisions.

import type { Revision } from './graph.js';

const release100: Revision[] = [
  { id: '000000000001', downRevisions: [], message: 'initial schema' },
  { id: 'a1b2c3d4e5f6', downRevisions: ['000000000001'], message: 'create device logs table' },
];

const release110: Revision[] = [
  ...release100,
  { id: 'c2d3e4f5g6h7', downRevisions: ['a1b2c3d4e5f6'], message: 'create user logs table' },
  { id: '1c0cd51f0957', downRevisions: ['a1b2c3d4e5f6'], message: 'add scheduled playlists table' },
  {
    id: '366388fee193',
    downRevisions: ['c2d3e4f5g6h7', '1c0cd51f0957'],
    message: 'merge display mode and system settings',
  },
  { id: 'ce5826f818f3', downRevisions: ['366388fee193'], message: 'add playlist variants for resolution' },
];

const release200: Revision[] = [
  ...release110,
  { id: '2024110900', downRevisions: ['ce5826f818f3'], message: 'add device daemon tables' },
  { id: '2024110901', downRevisions: ['2024110900'], message: 'add scheduled actions table' },
];

export const fixtureReleases = { '1.0.0': release100, '1.1.0': release110, '2.0.0': release200 } as const;
