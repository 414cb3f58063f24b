import type { EvidencePart } from '../api.js';
import { EntryLink } from './common.js';

/**
 * One evidence part laid out for a person: statements decoded, flow samples as a table, the
 * image path and line of an indicator. What the server sent is shown, not trusted: "Verify in
 * this browser" checks the statements against the user's keys.
 */
export function EvidenceView(props: { readonly part: EvidencePart }) {
  const { part } = props;
  switch (part.type) {
    case 'statement':
      return <StatementPart part={part} />;
    case 'flows':
      return <FlowsPart part={part} />;
    case 'file':
      return (
        <dl>
          <dt>Image</dt>
          <dd className="mono">{str(part.image)}</dd>
          <dt>File</dt>
          <dd className="mono">
            {str(part.path)}
            {part.line === undefined ? '' : `, line ${str(part.line)}`}
            {part.offset === undefined ? '' : ` (byte ${str(part.offset)})`}
          </dd>
          <dt>Seen</dt>
          <dd className="mono wrap">{str(part.detail)}</dd>
        </dl>
      );
    case 'advisory':
      return (
        <dl>
          <dt>Advisory</dt>
          <dd>
            {str(part.id)}{' '}
            {list(part.aliases).length > 0 ? `(${list(part.aliases).join(', ')})` : ''}
          </dd>
          <dt>Component</dt>
          <dd className="mono">
            {str(part.component)} {str(part.version)}
          </dd>
          <dt>Affected</dt>
          <dd className="mono wrap">{str(part.affected)}</dd>
          <dt>Fixed in</dt>
          <dd>{part.fixed === undefined ? 'no fixed version known' : str(part.fixed)}</dd>
        </dl>
      );
    case 'policy':
      return (
        <dl>
          <dt>Rule</dt>
          <dd>
            {str(part.pack)} / {str(part.rule)}
          </dd>
          {part.source === undefined ? null : (
            <>
              <dt>Legal basis</dt>
              <dd className="wrap">{str(part.source)}</dd>
            </>
          )}
          <dt>Items</dt>
          <dd>
            {list(part.items).map((item) => (
              <a key={item} className="item-link" href={`#/devices/${encodeURIComponent(item)}`}>
                {item}
              </a>
            ))}
          </dd>
          <dt>Inventory</dt>
          <dd>
            {part.logged === undefined ? (
              <span className="warn-text">
                not logged: the finding rests on the operator’s word
              </span>
            ) : (
              'logged (its statement, the packs’ and registry’s digests are in the evidence file)'
            )}
          </dd>
        </dl>
      );
    case 'absence':
      return (
        <dl>
          <dt>Image</dt>
          <dd className="mono wrap">{str(part.digest)}</dd>
          <dt>Finding</dt>
          <dd>{str(part.detail)}</dd>
          <dt>Releases of the vendor at the checkpoint</dt>
          <dd>
            {list(part.releases).length} listed with their proofs
            {typeof part.omitted === 'number' && part.omitted > 0
              ? `, ${String(part.omitted)} left out`
              : ''}
          </dd>
        </dl>
      );
    case 'diff':
      return (
        <dl>
          <dt>Diff report</dt>
          <dd className="mono wrap">{str(part.report)}</dd>
          <dt>Rebuild statement</dt>
          <dd>
            <EntryLink index={str(part.statement)}>log entry {str(part.statement)}</EntryLink>
          </dd>
          <dt>Finding</dt>
          <dd>{str(part.detail)}</dd>
        </dl>
      );
    default:
      return (
        <details>
          <summary>{part.type} (as served)</summary>
          <pre className="wrap">{JSON.stringify(part, null, 2)}</pre>
        </details>
      );
  }
}

function str(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : '';
}

function list(value: unknown): string[] {
  return Array.isArray(value)
    ? value.map((v) => (typeof v === 'string' ? v : JSON.stringify(v)))
    : [];
}

/** The in-toto statement inside a DSSE envelope (base64 payload), or undefined if unreadable. */
export function decodeStatement(part: EvidencePart): Record<string, unknown> | undefined {
  const envelope = part.envelope as { payload?: unknown } | undefined;
  if (typeof envelope?.payload !== 'string') return undefined;
  try {
    const bytes = Uint8Array.from(atob(envelope.payload), (c) => c.charCodeAt(0));
    const parsed: unknown = JSON.parse(new TextDecoder().decode(bytes));
    return typeof parsed === 'object' && parsed !== null
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function StatementPart(props: { readonly part: EvidencePart }) {
  const { part } = props;
  const statement = decodeStatement(part);
  const type = typeof statement?.predicateType === 'string' ? statement.predicateType : 'unknown';
  const signatures = (part.envelope as { signatures?: { keyid?: string }[] } | undefined)
    ?.signatures;
  return (
    <dl>
      <dt>Log entry</dt>
      <dd>
        <EntryLink index={str(part.index)} />
      </dd>
      <dt>Statement</dt>
      <dd>{type.replace('https://nospy.dev/predicates/', '')}</dd>
      <dt>Signed by (key ids, unverified)</dt>
      <dd className="mono wrap">{(signatures ?? []).map((s) => s.keyid ?? '').join(', ')}</dd>
      <dt>Content</dt>
      <dd>
        <details>
          <summary>decoded statement</summary>
          <pre className="wrap">{JSON.stringify(statement?.predicate ?? statement, null, 2)}</pre>
        </details>
      </dd>
    </dl>
  );
}

const FLOW_COLUMNS = ['first', 'last', 'proto', 'src', 'sport', 'dst', 'dport', 'packets', 'bytes'];

function FlowsPart(props: { readonly part: EvidencePart }) {
  const records = (Array.isArray(props.part.records) ? props.part.records : []) as Record<
    string,
    unknown
  >[];
  const total = props.part.total as { records?: number; bytes?: number } | undefined;
  const columns = FLOW_COLUMNS.filter((c) => records.some((r) => r[c] !== undefined));
  return (
    <div className="table-wrap">
      <table>
        <caption>
          Flow samples: {records.length} of {total?.records ?? records.length} records
          {total?.bytes === undefined ? '' : `, ${String(total.bytes)} bytes in all`}
        </caption>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c} scope="col">
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {records.map((r, i) => (
            <tr key={i}>
              {columns.map((c) => (
                <td key={c} className="mono">
                  {str(r[c])}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
