import { describe, expect, it } from 'vitest';
import { externalError } from '../errors.js';
import { closingFailure } from './upgrade-outcome.js';

const run = { channel: { emitted: () => false } } as unknown as Parameters<typeof closingFailure>[0];

describe('closingFailure', () => {
  it('a fresh run that failed before changing anything says nothing was changed', () => {
    const e = closingFailure(run, externalError('pull.failed', 'The registry is down.'));
    expect(e).toMatchObject({ type: 'upgrade.failed', rolledBack: false, state: 'Nothing was changed: the running version is as it was.' });
  });

  it('a --resume or --rollback that failed before acting does not claim the version from before runs', () => {
    // Killed while the database server was swapped, the deployment is as the killed run left it (no database).
    const e = closingFailure(run, externalError('observe.no-db', "Cannot reach GlowWorm's database."), { continuing: true });
    expect(e).toMatchObject({ rolledBack: false, state: 'This run changed nothing; the deployment is as the earlier, unfinished upgrade left it.' });
  });
});
