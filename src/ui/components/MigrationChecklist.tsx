// Pending Alembic revisions, ticked as the backend applies them.
import { Box, Text } from 'ink';
import type { MigrationRow } from '../state/migration-checklist.js';

const MARK = { pending: ['[ ]', undefined], applied: ['[✔]', 'green'], failed: ['[✘]', 'red'] } as const;

export function MigrationChecklist({ rows }: { rows: readonly MigrationRow[] }) {
  const applied = rows.filter((r) => r.mark === 'applied').length;
  return (
    <Box flexDirection="column">
      <Text bold>{`Database migrations ${applied}/${rows.length}`}</Text>
      {rows.map((r) => {
        const [mark, color] = MARK[r.mark];
        return (
          <Box key={r.revision} flexDirection="column">
            <Text wrap="truncate-end">
              <Text color={color}>{`  ${mark}`}</Text>
              {` ${r.revision}  ${r.message ?? ''}${r.isMerge ? '  (merge)' : ''}`}
            </Text>
            {r.failure ? <Text color="red" wrap="truncate-end">{`      ✘ ${r.failure}`}</Text> : null}
          </Box>
        );
      })}
    </Box>
  );
}
