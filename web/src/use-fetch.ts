import { useEffect, useState } from 'react';
import { getJson } from './api.js';

export type Loaded<T> =
  | { readonly state: 'loading' }
  | { readonly state: 'error'; readonly message: string }
  | { readonly state: 'ok'; readonly data: T };

/** Loads one API path, again whenever the path changes. */
export function useFetch<T>(path: string): Loaded<T> {
  const [loaded, setLoaded] = useState<Loaded<T>>({ state: 'loading' });
  useEffect(() => {
    let live = true;
    setLoaded({ state: 'loading' });
    getJson<T>(path).then(
      (data) => {
        if (live) setLoaded({ state: 'ok', data });
      },
      (error: unknown) => {
        if (live) setLoaded({ state: 'error', message: String(error) });
      },
    );
    return () => {
      live = false;
    };
  }, [path]);
  return loaded;
}
