// `glowworm reset`, the last-resort wizard. The engine's run drives it: it explains and asks (y/n), asks for the
// database name to be TYPED, stops the app, takes and verifies a backup, drops and recreates the database, follows
// the backend's migrations from zero, verifies, and the wizard ends with the command that restores the backup.
import { Box, Text } from 'ink';
import type { EngineEvent, RunOutcome } from '../../../engine/events.js';
import { FinishedSteps } from '../../components/FinishedSteps.js';
import { LiveStep } from '../../components/LiveStep.js';
import { QuestionView } from '../../components/QuestionView.js';
import { RunProgress } from '../../components/RunProgress.js';
import { Spinner } from '@inkjs/ui';
import type { BatchOptions } from '../../hooks/consume-in-batches.js';
import { useRunApp } from '../../hooks/use-run-app.js';
import { useKeys } from '../../hooks/use-keys.js';
import type { QuestionBridge } from '../../question-bridge.js';
import { resetStageOf } from '../../state/reset-stage.js';
import { ResetEnd } from './ResetEnd.js';
import { ResetIntro } from './ResetIntro.js';

export interface ResetAppProps {
  events: AsyncIterable<EngineEvent>;
  questions: QuestionBridge;
  onInterrupt: () => void;
  onFinished: (outcome: RunOutcome | null) => void;
  batching?: Partial<BatchOptions>;
}

export function ResetApp({ events, questions, onInterrupt, onFinished, batching }: ResetAppProps) {
  const { view, done, streamError, open } = useRunApp(events, questions, onFinished, batching);
  const stage = resetStageOf(view, open?.question ?? null, done);
  useKeys({ interrupt: onInterrupt });
  return (
    <Box flexDirection="column">
      <FinishedSteps steps={view.steps.finished} />
      {stage === 'looking' || stage === 'explain' ? <Text bold color="red">glowworm reset — last resort: an empty database, migrated from zero</Text> : null}
      {stage === 'looking' ? <Spinner label="Looking at the deployment and the backend image's migrations…" /> : null}
      {stage === 'explain' && open ? <ResetIntro open={open} /> : null}
      {view.steps.live ? <LiveStep step={view.steps.live} /> : null}
      {stage === 'running' || stage === 'typed' || stage === 'done' || stage === 'failed' ? <RunProgress view={view} logHeight={6} showSteps={false} /> : null}
      {stage === 'typed' && open ? <QuestionView open={open} /> : null}
      {stage === 'done' || stage === 'refused' || stage === 'failed' ? <ResetEnd stage={stage} view={view} streamError={streamError} /> : null}
    </Box>
  );
}
