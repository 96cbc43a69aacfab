// The plan, before anything changes: versions, images, release notes, migrations, deployment diffs, warnings.
// `y` confirms, `r` confirms with a rehearsal first (when the plan can have one), `n`/`q` cancels; the arrows
// scroll when it does not fit.
import { Box, Text } from 'ink';
import { useMemo } from 'react';
import type { PlanAnswer } from '../../../engine/api.js';
import { canRehearse, type Plan } from '../../../engine/plan/plan.js';
import { KeyHints } from '../../components/KeyHints.js';
import { ScrollWindow } from '../../components/ScrollWindow.js';
import { useKeys } from '../../hooks/use-keys.js';
import { useScroll } from '../../hooks/use-scroll.js';
import { useTerminalRows } from '../../hooks/use-terminal-rows.js';
import { planRows } from '../../state/plan-rows.js';

export function PlanScreen({ plan, onAnswer }: { plan: Plan; onAnswer: (answer: PlanAnswer) => void }) {
  const rows = useMemo(() => planRows(plan), [plan]);
  const rehearsable = canRehearse(plan);
  const height = Math.max(5, useTerminalRows() - (rehearsable ? 5 : 4));
  const scroll = useScroll(rows.length, height);
  useKeys({
    ...scroll.keys,
    escape: () => onAnswer(false),
    text: (input) => {
      if (input === 'y' || input === 'Y') onAnswer(true);
      else if (rehearsable && (input === 'r' || input === 'R')) onAnswer('rehearse');
      else if (input === 'n' || input === 'N' || input === 'q') onAnswer(false);
    },
  });
  const hints: [string, string][] = [['y', 'upgrade now'], ['n/q', 'cancel'], ['↑/↓', 'scroll']];
  if (rehearsable) hints.splice(1, 0, ['r', 'rehearse, then upgrade']);
  return (
    <Box flexDirection="column">
      <ScrollWindow rows={rows} height={height} offset={scroll.offset} />
      {rehearsable ? (
        // One row, whatever the width: the scroll window's height above counts on it.
        <Text wrap="truncate-end">Rehearse (r): try {pendingText(plan.migrations.pending.length)} on the backup's copy first; stop if that fails.</Text>
      ) : null}
      <KeyHints hints={hints} />
    </Box>
  );
}

function pendingText(n: number): string {
  return n === 1 ? 'the new migration' : `the ${n} new migrations`;
}
