// Scroll keys for a <ScrollWindow>: the offset is view-only state; the window clamps it to the content.
import { useState } from 'react';
import type { KeyHandlers } from './use-keys.js';

export function useScroll(total: number, height: number): { offset: number; keys: KeyHandlers } {
  const [offset, setOffset] = useState(0);
  const max = Math.max(0, total - height);
  const by = (delta: number) => setOffset((o) => Math.max(0, Math.min(max, Math.min(o, max) + delta)));
  return {
    offset: Math.min(offset, max),
    keys: { up: () => by(-1), down: () => by(1), pageUp: () => by(-height), pageDown: () => by(height) },
  };
}
