import { useTitle } from '../route.js';

/** Any route the dashboard does not know: never the overview in disguise. */
export function NotFound() {
  useTitle('Not found');
  return (
    <>
      <h1>Not found</h1>
      <p>
        This dashboard has no page at <span className="mono">{window.location.hash}</span>.{' '}
        <a href="#/">Go to the overview</a>.
      </p>
    </>
  );
}
