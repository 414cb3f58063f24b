import { SEVERITIES, type HistoryDay } from '../api.js';
import { binDays } from '../bins.js';

/**
 * New findings per day (or week) as stacked bars by severity over zero-filled days, drawn in
 * SVG, with the same numbers as a table behind it for screen readers and for copying.
 */
export function FindingsChart(props: {
  readonly days: readonly HistoryDay[];
  readonly until: string;
}) {
  const bins = binDays(props.days, props.until);
  if (bins.length === 0)
    return <p className="muted-text">No findings, so no new findings per day.</p>;
  const max = Math.max(1, ...bins.map((b) => b.total));
  const width = 640;
  const height = 160;
  const barWidth = width / bins.length;
  const weekly = bins[0]?.label.startsWith('week') === true;
  return (
    <figure className="chart">
      <figcaption>
        New findings per {weekly ? 'week' : 'day'} by severity, {bins[0]?.start} to{' '}
        {bins.at(-1)?.start} (highest bar: {max})
      </figcaption>
      <svg
        viewBox={`0 0 ${String(width)} ${String(height + 20)}`}
        role="img"
        aria-label={`Bar chart of new findings per ${weekly ? 'week' : 'day'}; the table below holds the same numbers`}
        preserveAspectRatio="none"
      >
        <line x1="0" y1={height} x2={width} y2={height} className="axis" />
        {bins.map((b, i) => {
          let y = height;
          return (
            <g key={b.start} data-bin={b.start} data-total={b.total}>
              <title>
                {b.label}: {b.total}
              </title>
              {SEVERITIES.map((s) => {
                const n = b.bySeverity[s] ?? 0;
                if (n === 0) return null;
                const h = (n / max) * (height - 4);
                y -= h;
                return (
                  <rect
                    key={s}
                    className={`bar ${s}`}
                    x={i * barWidth + barWidth * 0.1}
                    y={y}
                    width={Math.max(1, barWidth * 0.8)}
                    height={h}
                  />
                );
              })}
            </g>
          );
        })}
        <text x="0" y={height + 16} className="tick">
          {bins[0]?.start}
        </text>
        <text x={width} y={height + 16} className="tick" textAnchor="end">
          {bins.at(-1)?.start}
        </text>
      </svg>
      <ul className="legend">
        {SEVERITIES.map((s) => (
          <li key={s}>
            <span className={`swatch ${s}`} aria-hidden="true" /> {s}
          </li>
        ))}
      </ul>
      <details>
        <summary>The numbers as a table</summary>
        <div className="table-wrap">
          <table className="chart-data">
            <caption>New findings per {weekly ? 'week' : 'day'} by severity</caption>
            <thead>
              <tr>
                <th scope="col">{weekly ? 'Week' : 'Day'}</th>
                {SEVERITIES.map((s) => (
                  <th key={s} scope="col">
                    {s}
                  </th>
                ))}
                <th scope="col">Total</th>
              </tr>
            </thead>
            <tbody>
              {bins
                .filter((b) => b.total > 0)
                .map((b) => (
                  <tr key={b.start}>
                    <th scope="row">{b.label}</th>
                    {SEVERITIES.map((s) => (
                      <td key={s}>{b.bySeverity[s] ?? 0}</td>
                    ))}
                    <td>{b.total}</td>
                  </tr>
                ))}
            </tbody>
          </table>
        </div>
        <p className="muted-text">Days with no new finding are left out of the table.</p>
      </details>
    </figure>
  );
}
