// How the reset ended: done (with the way back), refused before anything was deleted, or failed.
import { Box, Text } from 'ink';
import { CopyLine } from '../../components/CopyLine.js';
import { NoticeList } from '../../components/NoticeList.js';
import type { ResetStage } from '../../state/reset-stage.js';
import { resetBackupFile } from '../../state/reset-stage.js';
import { outcomeTitle } from '../../state/outcome-text.js';
import type { RunView } from '../../state/run-view.js';

export function ResetEnd({ stage, view, streamError }: { stage: Extract<ResetStage, 'done' | 'refused' | 'failed'>; view: RunView; streamError: string | null }) {
  const backup = resetBackupFile(view);
  const failedStep = view.steps.finished.find((s) => s.status === 'failed');
  return (
    <Box flexDirection="column" marginTop={1}>
      {stage === 'done' ? <Text bold color="green">✔ The database was reset and migrated from zero.</Text> : null}
      {stage === 'refused' ? <Text bold color="yellow">✘ Reset refused: nothing was deleted.</Text> : null}
      {stage === 'failed' ? <Text bold color="red">{`✘ ${outcomeTitle('The reset', view.finished?.outcome ?? null)}`}</Text> : null}
      {failedStep?.error && stage !== 'refused' ? <Text>{`What failed: ${failedStep.title}: ${failedStep.error.message}`}</Text> : null}
      <NoticeList notices={view.notices} />
      {streamError ? <Text color="red">{`✘ ${streamError}`}</Text> : null}
      {backup && stage !== 'refused' ? (
        <Box flexDirection="column" marginTop={1}>
          <Text bold>To go back to the database as it was before the reset:</Text>
          <CopyLine text={`glowworm restore ${backup}`} />
        </Box>
      ) : null}
    </Box>
  );
}
