// The plan, before anything changes: versions, images, release notes, migrations, deployment diffs, warnings.
// `y` confirms, `n`/`q` cancels; the arrows scroll when it does not fit.
import { Box } from 'ink';
import { useMemo } from 'react';
import type { Plan } from '../../../engine/plan/plan.js';
import { KeyHints } from '../../components/KeyHints.js';
import { ScrollWindow } from '../../components/ScrollWindow.js';
import { useKeys } from '../../hooks/use-keys.js';
import { useScroll } from '../../hooks/use-scroll.js';
import { useTerminalRows } from '../../hooks/use-terminal-rows.js';
import { planRows } from '../../state/plan-rows.js';

export function PlanScreen({ plan, onAnswer }: { plan: Plan; onAnswer: (yes: boolean) => void }) {
  const rows = useMemo(() => planRows(plan), [plan]);
  const height = Math.max(5, useTerminalRows() - 4);
  const scroll = useScroll(rows.length, height);
  useKeys({
    ...scroll.keys,
    escape: () => onAnswer(false),
    text: (input) => {
      if (input === 'y' || input === 'Y') onAnswer(true);
      else if (input === 'n' || input === 'N' || input === 'q') onAnswer(false);
    },
  });
  return (
    <Box flexDirection="column">
      <ScrollWindow rows={rows} height={height} offset={scroll.offset} />
      <KeyHints hints={[['y', 'upgrade now'], ['n/q', 'cancel (nothing changes)'], ['↑/↓', 'scroll']]} />
    </Box>
  );
}
