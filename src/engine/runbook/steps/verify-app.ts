// Verification as two steps any command can use: the checks on what runs now, before anything changes (the
// baseline, kept in the journal), and the same checks at the end judged against it — what already failed the same
// way is reported, not blamed (verify/baseline.ts). Neither changes anything, so neither has an undo.
import { externalError } from '../../errors.js';
import { captureBaseline, runVerification, type VerifyEmit, type VerifyExpectations, type VerifyIO } from '../../verify/run-checks.js';
import type { VerifyBaseline } from '../../verify/baseline.js';
import type { Step } from '../executor.js';
import type { Journal } from '../journal.js';
import { STATE } from '../upgrade-run.js';

export function baselineStep(io: VerifyIO, journal: Journal, expect: () => VerifyExpectations): Step {
  return {
    id: 'baseline',
    title: 'Check what runs now (to judge the result against)',
    run: async () => {
      const { baseline, failing } = await captureBaseline(io, expect());
      await journal.setState(STATE.verifyBaseline, baseline);
      return failing.length ? `already failing: ${failing.join('; ')}` : 'every check passes';
    },
  };
}

export function verifyAppStep(
  io: VerifyIO & { emit: VerifyEmit }, journal: Journal, expect: () => VerifyExpectations,
  step: { id: string; title: string; code: string; after: string },
): Step {
  return {
    id: step.id,
    title: step.title,
    run: async (signal) => {
      const outcome = await runVerification({ ...io, signal }, { ...expect(), baseline: journal.state<VerifyBaseline>(STATE.verifyBaseline) ?? null });
      if (!outcome.ok) throw externalError(step.code, `${step.after}: ${outcome.failures.join('; ')}`);
      return outcome.summary;
    },
  };
}
