// One keyboard listener for a whole app, routing each key to the screens' handlers. Screens register with a layout
// effect, i.e. in the same synchronous commit that draws them: a key that arrives once a prompt is visible always
// reaches it (ink's own useInput subscribes in a later, passive effect, so a fast key could miss a fresh screen).
import { useInput } from 'ink';
import { useState, type ReactNode } from 'react';
import { dispatchKey, KeyRouterContext, type KeyHandlers, type KeyRoutes } from '../hooks/key-routes.js';

export function KeyRouter({ children }: { children: ReactNode }) {
  const [routes] = useState(() => {
    const active = new Set<{ current: KeyHandlers }>();
    const routes: KeyRoutes & { active: typeof active } = {
      active,
      add(handlers) {
        active.add(handlers);
        return () => void active.delete(handlers);
      },
    };
    return routes;
  });
  useInput((input, key) => {
    for (const handlers of [...routes.active]) dispatchKey(handlers.current, input, key);
  });
  return <KeyRouterContext.Provider value={routes}>{children}</KeyRouterContext.Provider>;
}
