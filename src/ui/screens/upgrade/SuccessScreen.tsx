// The upgrade is done: versions, timings, where the backup is.
import { Box, Text } from 'ink';
import { wasUpToDate } from '../../../engine/events.js';
import { CopyLine } from '../../components/CopyLine.js';
import { NoticeList } from '../../components/NoticeList.js';
import { formatDuration } from '../../state/format.js';
import type { RunView } from '../../state/run-view.js';

export function SuccessScreen({ view }: { view: RunView }) {
  // An upgrade with nothing to do also ends with upgrade.completed: same version, no downtime.
  const r = view.result?.kind === 'upgraded' && !wasUpToDate(view.result) ? view.result : null;
  const applied = view.migrations.filter((m) => m.mark === 'applied').length;
  const passed = view.verify.filter((c) => c.ok).length;
  return (
    <Box flexDirection="column" marginTop={1}>
      {r ? (
        <>
          <Text color="green" bold>{`✔ Upgraded ${r.fromVersion ?? '?'} → ${r.toVersion}`}</Text>
          <Text>{`  took ${formatDuration(r.durationMs)}, the app was down ${formatDuration(r.downtimeMs)}`}</Text>
          <Text>{`  ${applied} database migration${applied === 1 ? '' : 's'} applied; ${passed}/${view.verify.length} checks passed`}</Text>
          {r.backupPath ? (
            <>
              <Text>  backup:</Text>
              <CopyLine text={r.backupPath} indent={4} />
              <Text>  to go back to it:</Text>
              <CopyLine text={`glowworm restore ${r.backupPath}`} indent={4} />
            </>
          ) : <Text>  backup: none taken (--no-backup)</Text>}
        </>
      ) : (
        <Text color="green" bold>✔ Nothing to do</Text>
      )}
      <NoticeList notices={view.notices} />
    </Box>
  );
}
