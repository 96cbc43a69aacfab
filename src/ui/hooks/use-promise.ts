// Subscribes to one promise (a read-only engine question): pending, then its value or its error.
import { useEffect, useState } from 'react';
import { toGlowwormError } from '../../engine/errors.js';

export type PromiseState<T> =
  | { status: 'pending' }
  | { status: 'ok'; value: T }
  | { status: 'error'; message: string; hint: string | null };

export function usePromise<T>(promise: Promise<T> | null): PromiseState<T> {
  const [state, setState] = useState<PromiseState<T>>({ status: 'pending' });
  useEffect(() => {
    if (!promise) return;
    let current = true;
    setState({ status: 'pending' });
    promise.then(
      (value) => current && setState({ status: 'ok', value }),
      (error: unknown) => {
        const e = toGlowwormError(error);
        if (current) setState({ status: 'error', message: e.message, hint: e.hint ?? null });
      },
    );
    return () => {
      current = false;
    };
  }, [promise]);
  return state;
}
