// While the upgrade runs: the live step, the backup, the backend's container, the migration checklist, the checks,
// and the backend's log. Finished steps are printed above by <FinishedSteps> (see UpgradeApp).
import { Box, Text } from 'ink';
import { BackupLine } from '../../components/BackupLine.js';
import { KeyHints } from '../../components/KeyHints.js';
import { LiveStep } from '../../components/LiveStep.js';
import { LogPane } from '../../components/LogPane.js';
import { useKeys } from '../../hooks/use-keys.js';
import { useLogScroll } from '../../hooks/use-log-scroll.js';
import { MigrationChecklist } from '../../components/MigrationChecklist.js';
import { StoppingLine } from '../../components/StoppingLine.js';
import { VerifyChecks } from '../../components/VerifyChecks.js';
import type { RunView } from '../../state/run-view.js';

export function RunScreen({ view, logHeight, stopping }: { view: RunView; logHeight: number; stopping: boolean }) {
  const log = useLogScroll(view.logs, logHeight);
  useKeys(log.keys);
  return (
    <Box flexDirection="column">
      {view.rollback ? (
        <Text color="yellow" bold>
          {`↺ Rolling back: ${view.rollback.reason}${view.rollback.ok === null ? '' : view.rollback.ok ? ' — done' : ' — INCOMPLETE'}`}
        </Text>
      ) : null}
      {view.steps.live ? <LiveStep step={view.steps.live} /> : null}
      {view.backup ? <BackupLine backup={view.backup} /> : null}
      {view.containers.map((c) => (
        <Text key={c.service} dimColor wrap="truncate-end">
          {`  ${c.container}: ${c.state}${c.health ? ` (${c.health})` : ''}${c.restartCount ? `, restarted ${c.restartCount}×` : ''}`}
        </Text>
      ))}
      {view.migrations.length ? <MigrationChecklist rows={view.migrations} /> : null}
      {view.verify.length ? <VerifyChecks checks={view.verify} /> : null}
      <LogPane buffer={view.logs} height={logHeight} title="Backend log" showService scroll={log.scroll} />
      {stopping ? <StoppingLine /> : null}
      <KeyHints hints={[['PgUp/PgDn', 'scroll log'], ['f', log.scroll.follow ? 'hold' : 'follow'], ['ctrl-c', 'stop at the next safe point']]} />
    </Box>
  );
}
