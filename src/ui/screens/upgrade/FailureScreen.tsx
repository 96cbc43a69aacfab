// The upgrade failed (or never started): what failed, the error lines from the log, what the rollback did, where
// things stand now, and what to do next.
import { Box, Text } from 'ink';
import { CopyLine } from '../../components/CopyLine.js';
import { MigrationChecklist } from '../../components/MigrationChecklist.js';
import { LogPane } from '../../components/LogPane.js';
import { NextSteps } from '../../components/NextSteps.js';
import { NoticeList } from '../../components/NoticeList.js';
import { Rows } from '../../components/Rows.js';
import { halfAppliedRows } from '../../state/report-rows.js';
import { outcomeTitle } from '../../state/outcome-text.js';
import type { RunView } from '../../state/run-view.js';

export function FailureScreen({ view, streamError }: { view: RunView; streamError: string | null }) {
  const failed = view.result?.kind === 'failed' ? view.result : null;
  const failedStep = view.steps.finished.find((s) => s.status === 'failed') ?? null;
  // The error that ended the run arrives twice (a notice, and upgrade.failed): show it once, as what failed.
  const errorNotices = view.notices.filter((n) => n.level === 'error' && !(failed && n.message.startsWith(failed.error.message)));
  const stoppedByUser = failed?.error.kind === 'aborted';
  const hint = failed?.error.hint ?? failedStep?.error?.hint ?? null;
  return (
    <Box flexDirection="column" marginTop={1}>
      <Text color="red" bold>{`✘ ${outcomeTitle('The upgrade', view.finished?.outcome ?? null)}`}</Text>
      {failed && !stoppedByUser ? <Text>{`What failed: ${failedStep ? `${failedStep.title}: ` : ''}${failed.error.message}`}</Text> : null}
      {failed && stoppedByUser ? <Text>{`✘ ${failed.error.message}`}</Text> : null}
      {!failed && failedStep?.error ? <Text>{`What failed: ${failedStep.title}: ${failedStep.error.message}`}</Text> : null}
      <NoticeList notices={errorNotices} />
      {streamError ? <Text color="red">{`✘ ${streamError}`}</Text> : null}
      {view.errorLogs.total > 0 ? <LogPane buffer={view.errorLogs} height={10} title="Error lines from the log" showService /> : null}
      {view.migrations.some((m) => m.mark === 'failed') ? <MigrationChecklist rows={view.migrations} /> : null}
      {view.halfApplied && view.rollback ? <Text dimColor>Found before the rollback (the restored backup has undone it):</Text> : null}
      {view.halfApplied ? <Rows rows={halfAppliedRows(view.halfApplied)} wrap /> : null}
      {view.rollback ? (
        <Text>
          {`Rollback: ${view.rollback.ok ? '✔ completed' : '✘ INCOMPLETE'}${view.rollback.restoredDatabase ? ', database restored from the backup' : ''} (because: ${view.rollback.reason})`}
        </Text>
      ) : null}
      {failed ? <Text bold>{`Where things stand: ${failed.state}`}</Text> : null}
      {view.backup?.path ? <Text>Backup:</Text> : null}
      {view.backup?.path ? <CopyLine text={view.backup.path} /> : null}
      {hint ? <NextSteps hint={hint} /> : null}
    </Box>
  );
}
