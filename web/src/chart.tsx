import { useEffect, useRef } from 'react';
import uPlot from 'uplot';

const COLOURS = [
  '#b00020',
  '#e65100',
  '#f9a825',
  '#1565c0',
  '#607d8b',
  '#2e7d32',
  '#6a1b9a',
  '#00838f',
];

export interface Series {
  readonly label: string;
  readonly values: readonly number[];
}

/** A uPlot line chart over days (`YYYY-MM-DD`), one line per series. */
export function DayChart(props: {
  readonly title: string;
  readonly days: readonly string[];
  readonly series: readonly Series[];
}) {
  const host = useRef<HTMLDivElement>(null);
  const { title, days, series } = props;
  useEffect(() => {
    const element = host.current;
    if (element === null || days.length === 0) return undefined;
    const xs = days.map((day) => Date.parse(`${day}T00:00:00Z`) / 1000);
    const plot = new uPlot(
      {
        title,
        width: Math.max(320, element.clientWidth),
        height: 220,
        series: [
          {},
          ...series.map((s, i) => ({
            label: s.label,
            stroke: COLOURS[i % COLOURS.length] ?? '#000',
            width: 2,
            points: { show: true },
          })),
        ],
        axes: [{}, { label: 'findings' }],
      },
      [xs, ...series.map((s) => [...s.values])],
      element,
    );
    return () => {
      plot.destroy();
    };
  }, [title, days, series]);
  return <div className="chart" ref={host} aria-label={title} />;
}

/** A horizontal bar for a share (0..1) with the cap drawn as a line. */
export function ShareBar(props: {
  readonly share: number;
  readonly cap: number;
  readonly over: boolean;
  /** Whether the cap restricts this vendor (others are drawn grey). */
  readonly capped?: boolean;
}) {
  return (
    <div
      className="share"
      title={`${(props.share * 100).toFixed(0)}% (cap ${(props.cap * 100).toFixed(0)}%)`}
    >
      <div
        className={props.over ? 'fill over' : props.capped === false ? 'fill free' : 'fill'}
        style={{ width: `${String(props.share * 100)}%` }}
      />
      <div className="cap" style={{ left: `${String(props.cap * 100)}%` }} />
    </div>
  );
}
