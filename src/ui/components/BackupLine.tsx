// The backup as it is taken and verified.
import { Text } from 'ink';
import { formatBytes, formatDuration } from '../state/format.js';
import type { BackupView } from '../state/run-view.js';

/** `12.6 MB of ~50.3 MB dumped, ~9s left`: the total is the server's estimate, hence the ~. */
function dumping(backup: BackupView): string {
  if (backup.total === null) return `${formatBytes(backup.bytes)} dumped so far`;
  const left = backup.etaSeconds === null ? '' : `, ~${formatDuration(backup.etaSeconds * 1000)} left`;
  return `${formatBytes(backup.bytes)} of ~${formatBytes(backup.total)} dumped${left}`;
}

export function BackupLine({ backup }: { backup: BackupView }) {
  const verified = backup.verified === null ? '' : backup.verified ? ', ✔ verified by a test restore' : ', ✘ FAILED verification';
  const facts = backup.path ? `${backup.path} (${formatBytes(backup.bytes)} gzip, ${backup.tables ?? '?'} tables, ${backup.rows ?? '?'} rows)` : dumping(backup);
  return (
    <Text wrap="truncate-end" color={backup.verified === false ? 'red' : undefined}>
      {`Backup: ${facts}${verified}`}
    </Text>
  );
}
