// One error type for the whole engine (design.md rule 6). Every error a user can see says what kind of failure it
// is, what to try next (`hint`) and what caused it. The CLI maps `kind` (and a few codes) to documented exit codes.

/**
 * - user: bad input or a precondition the user can fix (flags, missing project, wrong typed confirmation).
 * - external: something outside us failed (Docker, the registry, the database, the app's migrations).
 * - bug: an invariant of ours broke; the message asks for a report.
 * - aborted: the user stopped the run (Ctrl-C, "no" at a prompt). Nothing half-done is hidden: the journal says where.
 */
export type ErrorKind = 'user' | 'external' | 'bug' | 'aborted';

export interface ErrorInit {
  kind: ErrorKind;
  /** A stable machine-readable id, e.g. `docker.unreachable`, `lock.held`. */
  code: string;
  hint?: string;
  cause?: unknown;
}

export class GlowwormError extends Error {
  readonly kind: ErrorKind;
  readonly code: string;
  readonly hint: string | undefined;

  constructor(message: string, init: ErrorInit) {
    super(message, { cause: init.cause });
    this.name = 'GlowwormError';
    this.kind = init.kind;
    this.code = init.code;
    this.hint = init.hint;
  }
}

/**
 * A failed step wraps the original error with the step's id, keeping its kind, code, hint and message. The id stays
 * out of the message, which reaches people (the failure screen, the rollback's reason, notifications): it is in
 * `step` and in the `step.failed` event's `step` field, and the screens name the step by the title they were told.
 */
export class StepFailedError extends GlowwormError {
  readonly step: string;

  constructor(step: string, cause: unknown) {
    const inner = toGlowwormError(cause);
    super(inner.message, { kind: inner.kind, code: inner.code, hint: inner.hint, cause: inner });
    this.name = 'StepFailedError';
    this.step = step;
  }
}

export function userError(code: string, message: string, hint?: string): GlowwormError {
  return new GlowwormError(message, { kind: 'user', code, hint });
}

export function externalError(code: string, message: string, hint?: string, cause?: unknown): GlowwormError {
  return new GlowwormError(message, { kind: 'external', code, hint, cause });
}

export function abortedError(message = 'Stopped by the user.', hint?: string): GlowwormError {
  return new GlowwormError(message, { kind: 'aborted', code: 'aborted', hint });
}

/** Anything thrown becomes a GlowwormError; unknown errors are bugs (they carry their original as `cause`). */
/**
 * What the host's filesystem said (a full disk, a read-only mount, no permission): a fault of the machine the user can
 * fix, not a bug of ours — and the hint must say which. Keyed by Node's error codes.
 */
const HOST_ERRORS: Record<string, string> = {
  ENOSPC: 'The disk is full. Free space where the file lives (`df -h` shows which disk), then run the command again.',
  EDQUOT: 'The disk quota is used up. Free space or raise the quota, then run the command again.',
  EROFS: 'That filesystem is mounted read-only. Remount it writable, then run the command again.',
  EACCES: 'Permission denied. Run glowworm as the user that owns the project folder (or root), then run the command again.',
  EPERM: 'The operation is not permitted. Run glowworm as the user that owns the project folder (or root), then run the command again.',
  EIO: 'The disk reported an input/output error. Check the disk (`dmesg`), then run the command again.',
};

function hostError(error: unknown): GlowwormError | null {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (typeof code !== 'string' || !(code in HOST_ERRORS)) return null;
  return new GlowwormError((error as Error).message, { kind: 'external', code: `host.${code.toLowerCase()}`, hint: HOST_ERRORS[code], cause: error });
}

export function toGlowwormError(error: unknown): GlowwormError {
  if (error instanceof GlowwormError) return error;
  const host = hostError(error);
  if (host) return host;
  const message = error instanceof Error ? error.message : String(error);
  return new GlowwormError(message, {
    kind: 'bug',
    code: 'bug.unexpected',
    hint: 'This looks like a bug in glowworm. Please report it with the output of `--json`.',
    cause: error,
  });
}

/** Plain data for events and the journal (an Error does not serialise). */
export interface ErrorInfo {
  kind: ErrorKind;
  code: string;
  message: string;
  hint?: string;
  step?: string;
}

export function errorInfo(error: unknown): ErrorInfo {
  const e = toGlowwormError(error);
  const info: ErrorInfo = { kind: e.kind, code: e.code, message: e.message };
  if (e.hint) info.hint = e.hint;
  if (e instanceof StepFailedError) info.step = e.step;
  return info;
}
