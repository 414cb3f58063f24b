import { useState } from 'react';
import { apiHeaders } from '../api.js';

/**
 * Downloads the finding's `nospy-finding/v1` file. Fetched with the signed-in token (a plain
 * link would carry none) and saved from a blob URL.
 */
export function DownloadEvidence(props: { readonly id: string }) {
  const [problem, setProblem] = useState<string | undefined>();
  const download = async () => {
    setProblem(undefined);
    const response = await fetch(`v1/findings/${encodeURIComponent(props.id)}/evidence`, {
      headers: apiHeaders(),
    });
    if (!response.ok) {
      setProblem(`the server answered ${String(response.status)}`);
      return;
    }
    const url = URL.createObjectURL(await response.blob());
    const link = document.createElement('a');
    link.href = url;
    link.download = `${props.id.replaceAll(':', '_')}.json`;
    link.click();
    URL.revokeObjectURL(url);
  };
  return (
    <p>
      <button id="download-evidence" type="button" onClick={() => void download()}>
        Download the evidence file
      </button>{' '}
      <span className="muted-text">
        (<span className="mono">nospy-finding/v1</span>; check it offline with{' '}
        <span className="mono">nospy verify --trust trust.yaml &lt;file&gt;</span>)
      </span>
      {problem === undefined ? null : <span className="error"> {problem}</span>}
    </p>
  );
}
