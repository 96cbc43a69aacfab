// Documented exit codes (docs/exit-codes.md). Scripts depend on these numbers: never renumber, only add.
import type { RunOutcome } from '../engine/events.js';

export const ExitCode = {
  ok: 0,
  /** The operation failed and everything was put back as it was (rolled back); nothing is left half-done. */
  failedRolledBack: 1,
  /** Bad usage or a precondition the user can fix (a flag, a missing project, a question that needs --yes). */
  usage: 2,
  /** The operation failed and could NOT be put back fully: read the message, then `glowworm doctor`. */
  needsAttention: 3,
  /** Something outside glowworm failed before anything changed (Docker unreachable, registry, database). */
  external: 4,
  /** A bug in glowworm. */
  bug: 5,
  /** `glowworm status`: a fault left something to do (an unfinished run, a lock left behind, app containers down). */
  statusAttention: 6,
  /** `glowworm check`: an update is available (a running tag moved, or newer release tags exist); nothing was changed. */
  updateAvailable: 7,
  /** Another glowworm run holds the lock on this project. */
  locked: 75,
  /** Stopped by the user (Ctrl-C or "no"); `--resume` continues where the journal says. */
  aborted: 130,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export function exitCodeFor(outcome: RunOutcome): ExitCodeValue {
  switch (outcome) {
    case 'ok':
      return ExitCode.ok;
    case 'failed-rolled-back':
      return ExitCode.failedRolledBack;
    case 'needs-attention':
      return ExitCode.needsAttention;
    case 'usage':
      return ExitCode.usage;
    case 'external':
      return ExitCode.external;
    case 'bug':
      return ExitCode.bug;
    case 'locked':
      return ExitCode.locked;
    case 'aborted':
      return ExitCode.aborted;
  }
}
