import { describe, expect, it } from 'vitest';
import { StepFailedError, toGlowwormError } from './errors.js';

const errno = (code: string, message: string) => Object.assign(new Error(message), { code });

describe('toGlowwormError', () => {
  it('a full disk, a read-only mount or a denied write is the host\'s fault, with what to do: not "a bug in glowworm"', () => {
    const full = toGlowwormError(errno('ENOSPC', 'ENOSPC: no space left on device, write'));
    expect(full).toMatchObject({ kind: 'external', code: 'host.enospc' });
    expect(full.hint).toMatch(/disk is full.*df -h/);
    expect(toGlowwormError(errno('EROFS', 'read-only'))).toMatchObject({ kind: 'external', code: 'host.erofs' });
    // Wrapped by the executor, it keeps its kind (the exit code follows the kind).
    expect(new StepFailedError('backup', errno('ENOSPC', 'no space'))).toMatchObject({ kind: 'external', code: 'host.enospc' });
  });

  it('a failed step keeps its id apart from the message people read', () => {
    const failed = new StepFailedError('10-wait-migrations:glowworm-backend', new Error('the backend failed to migrate'));
    expect(failed.message).toBe('the backend failed to migrate');
    expect(failed.step).toBe('10-wait-migrations:glowworm-backend');
  });

  it('anything else unexpected is still a bug to report', () => {
    expect(toGlowwormError(new TypeError('x is undefined'))).toMatchObject({ kind: 'bug', code: 'bug.unexpected' });
    expect(toGlowwormError(errno('ECONNRESET', 'socket hang up'))).toMatchObject({ kind: 'bug' });
  });
});
