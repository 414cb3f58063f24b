import { useEffect, useState } from 'react';
import { Overview } from './pages/overview.js';
import { DevicePage } from './pages/device.js';
import { VendorPage } from './pages/vendor.js';
import { LogPage } from './pages/log.js';
import { CompliancePage } from './pages/compliance.js';

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

export function App() {
  const route = useHashRoute();
  return (
    <>
      <header>
        <strong>nospy</strong>
        <nav>
          <a href="#/">Overview</a>
          <a href="#/log">Log</a>
          <a href="#/compliance">Compliance</a>
        </nav>
      </header>
      <main>
        <Page route={route} />
      </main>
    </>
  );
}
