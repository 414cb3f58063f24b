import { useEffect, useState } from 'react';
import { Overview } from './pages/overview.js';
import { DevicePage } from './pages/device.js';
import { VendorPage } from './pages/vendor.js';
import { LogPage } from './pages/log.js';
import { CompliancePage } from './pages/compliance.js';
import { AUTH_EVENT, signOut, storedToken } from './api.js';
import { SignIn } from './sign-in.js';

/** The hash route: `#/`, `#/devices/<id>`, `#/vendors/<id>`, `#/log`, `#/compliance`. */
function useHashRoute(): string[] {
  const read = () =>
    window.location.hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  const [route, setRoute] = useState(read);
  useEffect(() => {
    const onChange = () => {
      setRoute(read());
    };
    window.addEventListener('hashchange', onChange);
    return () => {
      window.removeEventListener('hashchange', onChange);
    };
  }, []);
  return route;
}

function Page(props: { readonly route: string[] }) {
  const [section, id] = props.route;
  if (section === 'devices' && id !== undefined) return <DevicePage id={id} />;
  if (section === 'vendors' && id !== undefined) return <VendorPage id={id} />;
  if (section === 'log') return <LogPage />;
  if (section === 'compliance') return <CompliancePage />;
  return <Overview />;
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

export function App() {
  const route = useHashRoute();
  const auth = useSignIn();
  return (
    <>
      <header>
        <strong>nospy</strong>
        <nav>
          <a href="#/">Overview</a>
          <a href="#/log">Log</a>
          <a href="#/compliance">Compliance</a>
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
      <main>{auth.required ? <SignIn /> : <Page key={auth.epoch} route={route} />}</main>
    </>
  );
}
