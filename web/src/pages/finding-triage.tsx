import { useState } from 'react';
import {
  localTime,
  postJson,
  type FindingDetail,
  type TriageDecision,
  type TriageState,
} from '../api.js';

const LABEL: Readonly<Record<TriageState, string>> = {
  acknowledged: 'Acknowledged',
  'false-positive': 'False positive',
  'accepted-risk': 'Accepted risk',
  reopened: 'Reopened',
};

/**
 * Triage as in Dependency-Track: the decision in force, every decision with who, when and why,
 * and a form to add one (the server refuses it without a `triage` token). Triage changes neither
 * the evidence nor the check's exit code.
 */
export function TriagePanel(props: { readonly finding: FindingDetail }) {
  const [history, setHistory] = useState<readonly TriageDecision[]>(
    props.finding.triageHistory ?? [],
  );
  const [current, setCurrent] = useState<TriageDecision | undefined>(props.finding.triage);
  const [state, setState] = useState<TriageState>('acknowledged');
  const [reason, setReason] = useState('');
  const [until, setUntil] = useState('');
  const [message, setMessage] = useState('');
  if (props.finding.triageHistory === undefined) return null;
  const submit = async (event: React.SyntheticEvent) => {
    event.preventDefault();
    try {
      const answer = await postJson<{ triage?: TriageDecision; history: TriageDecision[] }>(
        `v1/findings/${encodeURIComponent(props.finding.id)}/triage`,
        { state, reason, ...(state === 'accepted-risk' ? { until } : {}) },
      );
      setHistory(answer.history);
      setCurrent(answer.triage);
      setReason('');
      setMessage('Recorded.');
    } catch (error) {
      const text = String(error);
      setMessage(
        text.includes('403')
          ? 'Not recorded: your token may read but not triage (it needs the triage scope).'
          : `Not recorded: ${text}`,
      );
    }
  };
  return (
    <section aria-labelledby="triage">
      <h2 id="triage">Triage</h2>
      <p id="triage-state">
        {current === undefined
          ? 'Not triaged.'
          : `${LABEL[current.state]}${current.until === undefined ? '' : ` until ${current.until}`}, by ${current.by}, ${localTime(current.at)}: ${current.reason}`}
      </p>
      <p className="muted-text">
        Triage is a note beside the finding: it never changes the evidence or the exit code of{' '}
        <span className="mono">nospy check</span>.
      </p>
      {history.length === 0 ? null : (
        <div className="table-wrap">
          <table>
            <caption>Every decision, oldest first</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">Decision</th>
                <th scope="col">Why</th>
              </tr>
            </thead>
            <tbody>
              {history.map((d, i) => (
                <tr key={i}>
                  <td>{localTime(d.at)}</td>
                  <td>{d.by}</td>
                  <td>
                    {LABEL[d.state]}
                    {d.until === undefined ? '' : ` until ${d.until}`}
                  </td>
                  <td>{d.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <form className="triage-form" onSubmit={(e) => void submit(e)}>
        <label>
          Decision{' '}
          <select
            value={state}
            onChange={(e) => {
              setState(e.target.value as TriageState);
            }}
          >
            {(Object.keys(LABEL) as TriageState[]).map((s) => (
              <option key={s} value={s}>
                {LABEL[s]}
              </option>
            ))}
          </select>
        </label>
        {state === 'accepted-risk' ? (
          <label>
            Until{' '}
            <input
              type="date"
              required
              value={until}
              onChange={(e) => {
                setUntil(e.target.value);
              }}
            />
          </label>
        ) : null}
        <label>
          Why{' '}
          <input
            required
            value={reason}
            onChange={(e) => {
              setReason(e.target.value);
            }}
          />
        </label>
        <button type="submit">Record</button>
        <span role="status" aria-live="polite">
          {message}
        </span>
      </form>
    </section>
  );
}
