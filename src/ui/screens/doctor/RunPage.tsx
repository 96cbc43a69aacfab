// An action that changes things (migrate, back up, restore): what it will do, the engine's own confirmation, the
// run, and how it ended. Leaving is possible only once it has ended; ctrl-c stops it at its next safe point.
import { Box, Text } from 'ink';
import type { EngineEvent } from '../../../engine/events.js';
import { KeyHints } from '../../components/KeyHints.js';
import { NoticeList } from '../../components/NoticeList.js';
import { QuestionView } from '../../components/QuestionView.js';
import { RunProgress } from '../../components/RunProgress.js';
import { Spinner } from '@inkjs/ui';
import type { BatchOptions } from '../../hooks/consume-in-batches.js';
import { useEngineRun } from '../../hooks/use-engine-run.js';
import { useKeys } from '../../hooks/use-keys.js';
import { useQuestion } from '../../hooks/use-question.js';
import type { QuestionBridge } from '../../question-bridge.js';
import type { DoctorItem } from '../../state/doctor-items.js';
import { outcomeTitle } from '../../state/outcome-text.js';

export function RunPage({ item, events, questions, onBack, batching }: {
  item: DoctorItem; events: AsyncIterable<EngineEvent>; questions: QuestionBridge; onBack: () => void; batching?: Partial<BatchOptions>;
}) {
  const { view, done, streamError } = useEngineRun(events, batching);
  const open = useQuestion(questions);
  useKeys({ escape: onBack, enter: onBack, text: (c) => c === 'q' && onBack() }, done && !open);
  const outcome = view.finished?.outcome ?? null;
  const started = view.steps.live !== null || view.steps.finished.length > 0;
  return (
    <Box flexDirection="column">
      <Text bold>{item.label}</Text>
      <Text dimColor wrap="wrap">{item.explains}</Text>
      {!started && !open && !done ? <Spinner label="Looking at the deployment…" /> : null}
      <RunProgress view={view} logHeight={6} />
      {open ? <QuestionView open={open} /> : null}
      {done ? (
        <Box flexDirection="column" marginTop={1}>
          <Text bold color={outcome === 'ok' ? 'green' : 'red'}>{`${outcome === 'ok' ? '✔' : '✘'} ${outcomeTitle(item.label, outcome)}`}</Text>
          <NoticeList notices={view.notices} />
          {streamError ? <Text color="red">{`✘ ${streamError}`}</Text> : null}
          <KeyHints hints={[['esc/q/enter', 'back to the menu']]} />
        </Box>
      ) : (
        !open && <KeyHints hints={[['ctrl-c', 'stop at the next safe point']]} />
      )}
    </Box>
  );
}
