// The pull's total line under the images: every known layer's bytes summed, with a bar and the layers done.
import { Box, Text } from 'ink';
import { formatBytes } from '../state/format.js';
import { pullTotals, totalsFraction, type PullView } from '../state/pull-progress.js';
import { ProgressBar } from './ProgressBar.js';

export function PullTotal({ pulls }: { pulls: readonly PullView[] }) {
  const t = pullTotals(pulls);
  const images = `${pulls.filter((p) => p.done).length}/${pulls.length} image${pulls.length === 1 ? '' : 's'}`;
  return (
    <Box>
      <Text>{'Total '}</Text>
      <ProgressBar fraction={totalsFraction(t)} width={16} />
      <Text dimColor wrap="truncate-end">{`  ${t.total > 0 ? `${formatBytes(t.current)} / ${formatBytes(t.total)}, ` : ''}${t.layersDone}/${t.layers} layers, ${images}`}</Text>
    </Box>
  );
}
