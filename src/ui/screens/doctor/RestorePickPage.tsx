// Pick the backup to restore; the restore itself asks for the database name (typed).
import { Box, Text } from 'ink';
import type { BackupInfo } from '../../../engine/api.js';
import { KeyHints } from '../../components/KeyHints.js';
import { SelectList } from '../../components/SelectList.js';
import { Spinner } from '@inkjs/ui';
import { useKeys } from '../../hooks/use-keys.js';
import { usePromise } from '../../hooks/use-promise.js';
import { doctorItem } from '../../state/doctor-items.js';
import { backupRows } from '../../state/report-rows.js';
import { Rows } from '../../components/Rows.js';

export function RestorePickPage({ list, selected, onUp, onDown, onPick, onBack }: {
  list: Promise<BackupInfo[]>; selected: number; onUp: () => void; onDown: (count: number) => void; onPick: (files: readonly string[]) => void; onBack: () => void;
}) {
  const result = usePromise(list);
  const backups = result.status === 'ok' ? result.value : [];
  const chosen = backups[selected];
  useKeys({
    up: onUp,
    down: () => onDown(backups.length),
    // The list, not the path drawn under the cursor: the reducer picks by the cursor as the keys left it.
    enter: () => onPick(backups.map((b) => b.path)),
    escape: onBack,
    text: (c) => c === 'q' && onBack(),
  });
  return (
    <Box flexDirection="column">
      <Text bold>Restore a backup</Text>
      <Text dimColor wrap="wrap">{doctorItem('restore').explains}</Text>
      {result.status === 'pending' ? <Spinner label="Listing backups…" /> : null}
      {result.status === 'error' ? <Text color="red">{`✘ ${result.message}`}</Text> : null}
      {result.status === 'ok' && backups.length === 0 ? <Text dimColor>No backups yet: take one with "Back up now".</Text> : null}
      <SelectList items={backups.map((b) => b.path)} selected={selected} />
      {chosen ? <Rows rows={backupRows([chosen]).slice(1)} /> : null}
      <KeyHints hints={[['↑/↓', 'move'], ['enter', 'restore this one'], ['esc/q', 'back']]} />
    </Box>
  );
}
