// `glowworm upgrade` in the terminal: subscribes to the engine's run, answers its confirm(plan) from a key press,
// and shows preparing → plan → run → success/failure. It leaves (exit) once the run's stream has ended.
import { Box } from 'ink';
import { useState } from 'react';
import type { EngineEvent, RunOutcome } from '../../../engine/events.js';
import { FinishedSteps } from '../../components/FinishedSteps.js';
import { useRunApp } from '../../hooks/use-run-app.js';
import { useKeys } from '../../hooks/use-keys.js';
import type { QuestionBridge } from '../../question-bridge.js';
import { upgradeScreenOf } from '../../state/upgrade-screen.js';
import type { BatchOptions } from '../../hooks/consume-in-batches.js';
import { FailureScreen } from './FailureScreen.js';
import { PlanScreen } from './PlanScreen.js';
import { PreparingScreen } from './PreparingScreen.js';
import { RunScreen } from './RunScreen.js';
import { SuccessScreen } from './SuccessScreen.js';

export interface UpgradeAppProps {
  events: AsyncIterable<EngineEvent>;
  questions: QuestionBridge;
  /** Ctrl-C: the first stops the run at its next safe point, a second leaves at once (the caller decides). */
  onInterrupt: () => void;
  onFinished: (outcome: RunOutcome | null) => void;
  logHeight?: number;
  batching?: Partial<BatchOptions>;
}

export function UpgradeApp({ events, questions, onInterrupt, onFinished, logHeight = 8, batching }: UpgradeAppProps) {
  const { view, done, streamError, open } = useRunApp(events, questions, onFinished, batching);
  const [stopping, setStopping] = useState(false);
  const screen = upgradeScreenOf(view, open?.question ?? null, done);
  useKeys({ interrupt: () => { setStopping(true); onInterrupt(); } });
  return (
    <Box flexDirection="column">
      {/* The preparing screen shows its own phases; the steps behind them are printed once it gives way. */}
      {screen === 'preparing' ? null : <FinishedSteps steps={view.steps.finished} />}
      {screen === 'preparing' ? <PreparingScreen view={view} stopping={stopping} /> : null}
      {screen === 'plan' && open?.question.kind === 'plan' ? <PlanScreen plan={open.question.plan} onAnswer={open.answer} /> : null}
      {screen === 'run' ? <RunScreen view={view} logHeight={logHeight} stopping={stopping} /> : null}
      {screen === 'success' ? <SuccessScreen view={view} /> : null}
      {screen === 'failure' ? <FailureScreen view={view} streamError={streamError} /> : null}
    </Box>
  );
}
