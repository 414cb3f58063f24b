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
