// The verification checks reported so far. A check failing just as it did before the upgrade is marked apart (it
// does not fail the run), and its note comes before the detail so a narrow terminal does not cut it off.
import { Box, Text } from 'ink';
import { checkLine } from '../../engine/verify/baseline.js';
import type { VerifyRow } from '../state/run-view.js';

function mark(c: VerifyRow): [string, string] {
  if (c.ok) return ['  ✔', 'green'];
  return c.failsRun ? ['  ✘', 'red'] : ['  !', 'yellow'];
}

export function VerifyChecks({ checks }: { checks: readonly VerifyRow[] }) {
  return (
    <Box flexDirection="column">
      <Text bold>Verification</Text>
      {checks.map((c) => {
        const [glyph, color] = mark(c);
        return (
          <Text key={c.key} wrap="truncate-end">
            <Text color={color}>{glyph}</Text>
            {` ${checkLine({ ...c, passed: c.ok })}`}
          </Text>
        );
      })}
    </Box>
  );
}
