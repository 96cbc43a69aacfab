// How a run ended, in words, for the failure and result screens.
import type { RunOutcome } from '../../engine/events.js';

export function outcomeTitle(what: string, outcome: RunOutcome | null): string {
  switch (outcome) {
    case 'ok':
      return `${what} succeeded`;
    case 'failed-rolled-back':
      return `${what} failed and everything was put back`;
    case 'needs-attention':
      return `${what} failed and could NOT be fully put back`;
    case 'usage':
      return `${what} did not start: something needs fixing first`;
    case 'external':
      return `${what} stopped: something outside glowworm failed`;
    case 'bug':
      return `${what} stopped on a bug in glowworm`;
    case 'locked':
      return `${what} did not start: another glowworm run holds this project`;
    case 'aborted':
      return `${what} was stopped by you`;
    case null:
      return `${what} ended without reporting an outcome (a bug in glowworm)`;
  }
}
