// PgUp/PgDn (and ↑/↓) scroll a log pane, `f` follows; the offset is view-only state (see state/log-window.ts).
import { useState } from 'react';
import type { LogBuffer } from '../state/log-buffer.js';
import { FOLLOWING, scrollLog, toggleFollow, type LogScroll } from '../state/log-window.js';
import type { KeyHandlers } from './use-keys.js';

export function useLogScroll(buffer: LogBuffer, height: number): { scroll: LogScroll; keys: KeyHandlers } {
  const [scroll, setScroll] = useState<LogScroll>(FOLLOWING);
  // Each key reads the newest scroll (several keys can arrive in one chunk) and the buffer as it is drawn now.
  const by = (delta: number) => setScroll((s) => scrollLog(buffer, height, s, delta));
  return {
    scroll,
    keys: {
      up: () => by(-1),
      down: () => by(1),
      pageUp: () => by(-height),
      pageDown: () => by(height),
      text: (c) => c === 'f' && setScroll((s) => toggleFollow(buffer, height, s)),
    },
  };
}
