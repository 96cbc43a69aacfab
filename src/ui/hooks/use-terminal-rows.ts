// The terminal's height, following resizes; a fixed fallback when the output is not a terminal (tests).
import { useStdout } from 'ink';
import { useEffect, useState } from 'react';

export const FALLBACK_ROWS = 40;

export function useTerminalRows(): number {
  const { stdout } = useStdout();
  const [rows, setRows] = useState(() => stdout.rows || FALLBACK_ROWS);
  useEffect(() => {
    const onResize = () => setRows(stdout.rows || FALLBACK_ROWS);
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout]);
  return rows;
}
