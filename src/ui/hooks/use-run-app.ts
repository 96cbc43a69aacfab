// What a whole-screen run (upgrade, reset) shares: subscribe to the run and to the engine's open question, and
// leave the app once the stream has ended, reporting the outcome.
import { useApp } from 'ink';
import { useEffect } from 'react';
import type { EngineEvent, RunOutcome } from '../../engine/events.js';
import type { OpenQuestion, QuestionBridge } from '../question-bridge.js';
import type { BatchOptions } from './consume-in-batches.js';
import { useEngineRun, type EngineRunState } from './use-engine-run.js';
import { useQuestion } from './use-question.js';

export function useRunApp(
  events: AsyncIterable<EngineEvent>,
  questions: QuestionBridge,
  onFinished: (outcome: RunOutcome | null) => void,
  batching?: Partial<BatchOptions>,
): EngineRunState & { open: OpenQuestion | null } {
  const run = useEngineRun(events, batching);
  const open = useQuestion(questions);
  const { exit } = useApp();
  useEffect(() => {
    if (!run.done) return;
    onFinished(run.view.finished?.outcome ?? null);
    exit();
  }, [run.done]); // eslint-disable-line react-hooks/exhaustive-deps -- once, when the stream ends
  return { ...run, open };
}
