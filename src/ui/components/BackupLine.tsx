// The backup as it is taken and verified.
import { Text } from 'ink';
import { formatBytes } from '../state/format.js';
import type { BackupView } from '../state/run-view.js';

export function BackupLine({ backup }: { backup: BackupView }) {
  const verified = backup.verified === null ? '' : backup.verified ? ', ✔ verified by a test restore' : ', ✘ FAILED verification';
  const facts = backup.path ? `${backup.path} (${formatBytes(backup.bytes)} gzip, ${backup.tables ?? '?'} tables, ${backup.rows ?? '?'} rows)` : `${formatBytes(backup.bytes)} dumped so far`;
  return (
    <Text wrap="truncate-end" color={backup.verified === false ? 'red' : undefined}>
      {`Backup: ${facts}${verified}`}
    </Text>
  );
}
