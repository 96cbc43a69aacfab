// Before the plan: discovering and observing the deployment, pulling the new images (per layer), reading the new
// backend image for its migrations and release notes.
import { Box, Text } from 'ink';
import { KeyHints } from '../../components/KeyHints.js';
import { NoticeList } from '../../components/NoticeList.js';
import { PullProgress } from '../../components/PullProgress.js';
import { PullTotal } from '../../components/PullTotal.js';
import { Spinner } from '@inkjs/ui';
import { StoppingLine } from '../../components/StoppingLine.js';
import type { RunView } from '../../state/run-view.js';
import { preparingPhases, type PhaseState } from '../../state/upgrade-screen.js';

function Phase({ state, title }: { state: PhaseState; title: string }) {
  const mark = state === 'done' ? <Text color="green">✔</Text> : state === 'active' ? <Spinner /> : <Text dimColor>·</Text>;
  return (
    <Box gap={1}>
      {mark}
      <Text dimColor={state === 'waiting'}>{title}</Text>
    </Box>
  );
}

export function PreparingScreen({ view, stopping }: { view: RunView; stopping: boolean }) {
  const phases = preparingPhases(view);
  return (
    <Box flexDirection="column">
      <Text bold>{`Preparing the upgrade${view.projectDir ? ` of ${view.projectDir}` : ''}`}</Text>
      <Phase state={phases.discover} title="Discover the project, observe its containers and database" />
      <Phase state={phases.pull} title="Pull the new images (the running deployment is not touched)" />
      <Box flexDirection="column" marginLeft={2}>
        {view.pulls.map((pull) => (
          <PullProgress key={pull.image} pull={pull} />
        ))}
        {view.pulls.length > 0 ? <PullTotal pulls={view.pulls} /> : null}
      </Box>
      <Phase state={phases.readImage} title="Read the new backend image: database migrations and release notes" />
      <NoticeList notices={view.notices} />
      {stopping ? <StoppingLine /> : null}
      <KeyHints hints={[['ctrl-c', 'stop']]} />
    </Box>
  );
}
