// A window onto a service's log: the newest lines while following, or where the user scrolled to (log-window.ts).
// Each line has the time the engine saw it. Errors are red AND marked ✘ (warnings !), so they stand out with
// NO_COLOR too.
import { Box, Text } from 'ink';
import { clockTime } from '../state/format.js';
import type { LogBuffer, LogEntry } from '../state/log-buffer.js';
import { FOLLOWING, logWindow, type LogScroll } from '../state/log-window.js';

function LogLine({ line, showService }: { line: LogEntry; showService: boolean }) {
  const mark = line.level === 'error' ? '✘ ' : line.level === 'warn' ? '! ' : '  ';
  const color = line.level === 'error' ? 'red' : line.level === 'warn' ? 'yellow' : undefined;
  return (
    <Text color={color} bold={line.level === 'error'} wrap="truncate-end">
      {line.ts !== null ? <Text dimColor>{`${clockTime(line.ts)} `}</Text> : null}
      {mark}
      {showService ? <Text dimColor>{`${line.service} | `}</Text> : null}
      {line.text}
    </Text>
  );
}

export function LogPane({ buffer, height, title, showService = false, scroll = FOLLOWING }: { buffer: LogBuffer; height: number; title: string; showService?: boolean; scroll?: LogScroll }) {
  const shown = logWindow(buffer, height, scroll);
  const state = shown.follow
    ? (shown.above > 0 ? `  (${shown.above} earlier lines not shown)` : '')
    : `  (scrolled back: ${shown.above} lines above, ${shown.below} newer below; f to follow)`;
  return (
    <Box flexDirection="column" borderStyle="single" borderDimColor paddingX={1}>
      <Text dimColor wrap="truncate-end">
        {title}
        {state}
      </Text>
      {shown.lines.length === 0 ? <Text dimColor>  (nothing yet)</Text> : null}
      {shown.lines.map((line) => (
        <LogLine key={line.seq} line={line} showService={showService} />
      ))}
    </Box>
  );
}
