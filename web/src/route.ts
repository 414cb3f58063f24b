import { useEffect, useState } from 'react';

/** A hash route: `#/finding/<id>?a=b` → path segments and the query. */
export interface Route {
  readonly path: readonly string[];
  readonly query: URLSearchParams;
}

export function readRoute(hash: string = window.location.hash): Route {
  const text = hash.replace(/^#\/?/, '');
  const at = text.indexOf('?');
  const path = at < 0 ? text : text.slice(0, at);
  return {
    path: path.split('/').filter(Boolean).map(decodeURIComponent),
    query: new URLSearchParams(at < 0 ? '' : text.slice(at + 1)),
  };
}

/** The current hash route, updated on every hash change. */
export function useHashRoute(): Route {
  const [route, setRoute] = useState(() => readRoute());
  useEffect(() => {
    const onChange = () => {
      setRoute(readRoute());
    };
    window.addEventListener('hashchange', onChange);
    return () => {
      window.removeEventListener('hashchange', onChange);
    };
  }, []);
  return route;
}

/** Replaces the query of the current route (kept in the URL, so a view is shared or reloaded). */
export function setQuery(query: URLSearchParams): void {
  const { path } = readRoute();
  const text = query.toString();
  const hash = `#/${path.map(encodeURIComponent).join('/')}${text === '' ? '' : `?${text}`}`;
  if (hash !== window.location.hash) window.location.hash = hash;
}

/** Sets the page's title, `<what> · nospy`. */
export function useTitle(what: string): void {
  useEffect(() => {
    document.title = `${what} · nospy`;
  }, [what]);
}
