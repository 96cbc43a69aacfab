// The question the engine is waiting on, if any (see question-bridge.ts).
import { useSyncExternalStore } from 'react';
import type { OpenQuestion, QuestionBridge } from '../question-bridge.js';

export function useQuestion(bridge: QuestionBridge): OpenQuestion | null {
  return useSyncExternalStore(bridge.subscribe, bridge.snapshot, bridge.snapshot);
}
