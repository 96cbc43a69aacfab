// Key presses → callbacks. Screens say which keys they care about; nothing else happens here. Keys arrive through
// the app's <KeyRouter> (one listener, see there why).
import { useContext, useLayoutEffect, useRef } from 'react';
import { KeyRouterContext, type KeyHandlers } from './key-routes.js';

export type { KeyHandlers } from './key-routes.js';

export function useKeys(handlers: KeyHandlers, isActive = true): void {
  const router = useContext(KeyRouterContext);
  if (!router) throw new Error('useKeys needs a <KeyRouter> above it.');
  const latest = useRef(handlers);
  useLayoutEffect(() => {
    latest.current = handlers;
  });
  useLayoutEffect(() => (isActive ? router.add(latest) : undefined), [router, isActive]);
}
