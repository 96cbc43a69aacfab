// The body of a doctor/reset run: steps, backup, migration checklist, checks and a short log tail.
import { Box } from 'ink';
import type { RunView } from '../state/run-view.js';
import { BackupLine } from './BackupLine.js';
import { LogPane } from './LogPane.js';
import { MigrationChecklist } from './MigrationChecklist.js';
import { StepList } from './StepList.js';
import { VerifyChecks } from './VerifyChecks.js';

export function RunProgress({ view, logHeight, showSteps = true }: { view: RunView; logHeight: number; showSteps?: boolean }) {
  return (
    <Box flexDirection="column">
      {showSteps ? <StepList steps={view.steps} /> : null}
      {view.backup ? <BackupLine backup={view.backup} /> : null}
      {view.migrations.length ? <MigrationChecklist rows={view.migrations} /> : null}
      {view.verify.length ? <VerifyChecks checks={view.verify} /> : null}
      {view.logs.total > 0 ? <LogPane buffer={view.logs} height={logHeight} title="Log" showService /> : null}
    </Box>
  );
}
