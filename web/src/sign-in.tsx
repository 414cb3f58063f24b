import { useState, type SyntheticEvent } from 'react';
import { apiHeaders, signIn } from './api.js';

/**
 * The sign-in form: the operator pastes a token with the `read` scope (`nospy token add --scope
 * read`). It is tried on `/v1/summary` before it is kept, so a wrong one is said at once.
 */
export function SignIn() {
  const [token, setToken] = useState('');
  const [problem, setProblem] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    const given = token.trim();
    if (given === '') return;
    setBusy(true);
    fetch('/v1/summary', { headers: apiHeaders(given) })
      .then((response) => {
        if (response.ok) signIn(given);
        else
          setProblem(
            response.status === 403
              ? 'This token may not read the dashboard: it needs the scope read.'
              : `This token is not accepted (HTTP ${String(response.status)}).`,
          );
      })
      .catch((error: unknown) => {
        setProblem(`The server cannot be reached: ${String(error)}`);
      })
      .finally(() => {
        setBusy(false);
      });
  };
  return (
    <section className="sign-in">
      <h1>Sign in</h1>
      <p>
        This server's findings, devices and traffic need a read token. Ask its operator for one (
        <code>nospy token add --scope read</code>).
      </p>
      <form onSubmit={submit}>
        <label>
          Token{' '}
          <input
            id="token"
            type="password"
            autoComplete="off"
            value={token}
            onChange={(event) => {
              setToken(event.target.value);
              setProblem(undefined);
            }}
          />
        </label>{' '}
        <button type="submit" disabled={busy}>
          Sign in
        </button>
      </form>
      {problem === undefined ? null : (
        <p className="bad" role="alert">
          {problem}
        </p>
      )}
    </section>
  );
}
