import { useEffect, useState } from 'react';
import { Overview } from './pages/overview.js';
import { DevicePage } from './pages/device.js';
import { VendorPage } from './pages/vendor.js';
import { LogPage } from './pages/log.js';
import { LogEntriesPage } from './pages/log-entries.js';
import { LogEntryPage } from './pages/log-entry.js';
import { CompliancePage } from './pages/compliance.js';
import { FindingPage } from './pages/finding.js';
import { NotFound } from './pages/not-found.js';
import { AUTH_EVENT, signOut, storedToken } from './api.js';
import { useHashRoute, type Route } from './route.js';
import { SignIn } from './sign-in.js';

/**
 * The hash routes: `#/` (overview, filters in the query), `#/finding/<id>`, `#/devices/<id>`,
 * `#/vendors/<id>`, `#/log` (`?entry=<index>`), `#/log/entries` (`?from=<index>`),
 * `#/log/entry/<index>`, `#/compliance`; anything else is not found.
 */
function Page(props: { readonly route: Route }) {
  const { path, query } = props.route;
  const [section, id, ...rest] = path;
  if (section === 'log' && id === 'entry' && rest.length === 1 && rest[0] !== undefined) {
    return <LogEntryPage key={rest[0]} index={rest[0]} />;
  }
  if (rest.length > 0) return <NotFound />;
  if (section === 'log' && id === 'entries') return <LogEntriesPage from={query.get('from')} />;
  if (section === undefined) return <Overview query={query} />;
  if (section === 'finding' && id !== undefined) return <FindingPage id={id} />;
  if (section === 'devices' && id !== undefined) return <DevicePage id={id} />;
  if (section === 'vendors' && id !== undefined) return <VendorPage id={id} />;
  if (section === 'log' && id === undefined) return <LogPage entry={query.get('entry')} />;
  if (section === 'compliance' && id === undefined) return <CompliancePage />;
  return <NotFound />;
}

/**
 * Whether the API asked for a sign-in (a 401), and a counter that changes at every sign-in so
 * the pages load again with the token.
 */
function useSignIn(): { readonly required: boolean; readonly epoch: number } {
  const [state, setState] = useState({ required: false, epoch: 0 });
  useEffect(() => {
    const onAuth = (event: Event) => {
      const signedIn = (event as CustomEvent<string>).detail === 'signed-in';
      setState((s) => ({ required: !signedIn, epoch: signedIn ? s.epoch + 1 : s.epoch }));
    };
    window.addEventListener(AUTH_EVENT, onAuth);
    return () => {
      window.removeEventListener(AUTH_EVENT, onAuth);
    };
  }, []);
  return state;
}

const NAV = [
  { href: '#/', label: 'Overview', section: undefined },
  { href: '#/log', label: 'Log', section: 'log' },
  { href: '#/compliance', label: 'Compliance', section: 'compliance' },
] as const;

export function App() {
  const route = useHashRoute();
  const auth = useSignIn();
  const section = route.path[0];
  return (
    <>
      <a className="skip-link" href="#main" onClick={skipToMain}>
        Skip to content
      </a>
      <header>
        <strong>nospy</strong>
        <nav aria-label="Main">
          {NAV.map((item) => (
            <a
              key={item.href}
              href={item.href}
              aria-current={item.section === section ? 'page' : undefined}
            >
              {item.label}
            </a>
          ))}
          {storedToken() === undefined ? null : (
            <a
              href="#/"
              onClick={() => {
                signOut();
              }}
            >
              Sign out
            </a>
          )}
        </nav>
      </header>
      <main id="main" tabIndex={-1}>
        {auth.required ? <SignIn /> : <Page key={auth.epoch} route={route} />}
      </main>
    </>
  );
}

/** A hash link would change the route: move the focus to the content instead. */
function skipToMain(event: React.MouseEvent) {
  event.preventDefault();
  document.getElementById('main')?.focus();
}
