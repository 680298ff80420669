import { h, svg } from './dom.js';

/** One line of a chart: its name and its y values per x (null = no value at that x). */
export interface Series {
  readonly name: string;
  readonly values: readonly (number | null)[];
}

const COLOURS = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c'];

/**
 * A small inline-SVG line chart (no library): x = 1…n (epochs), one polyline per series, the
 * y range from the data, with a legend. Scales to its container's width.
 */
export function lineChart(title: string, xLabel: string, series: readonly Series[]): HTMLElement {
  const W = 360;
  const H = 180;
  const pad = { l: 44, r: 8, t: 8, b: 28 };
  const n = Math.max(...series.map((s) => s.values.length), 1);
  const ys = series.flatMap((s) => s.values.filter((v): v is number => v !== null && Number.isFinite(v)));
  let lo = Math.min(...ys);
  let hi = Math.max(...ys);
  if (!(hi > lo)) [lo, hi] = [lo - 1, hi + 1];
  const x = (i: number): number => pad.l + (n === 1 ? 0.5 : i / (n - 1)) * (W - pad.l - pad.r);
  const y = (v: number): number => pad.t + (1 - (v - lo) / (hi - lo)) * (H - pad.t - pad.b);
  const text = (tx: number, ty: number, s: string, anchor = 'end'): SVGElement => {
    const t = svg('text', { x: tx, y: ty, 'text-anchor': anchor, class: 'tick' });
    t.textContent = s;
    return t;
  };
  const plot = svg(
    'svg',
    { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': `${title}: ${series.map((s) => s.name).join(', ')} over ${n} ${xLabel}s` },
    svg('line', { x1: pad.l, y1: H - pad.b, x2: W - pad.r, y2: H - pad.b, class: 'axis' }),
    svg('line', { x1: pad.l, y1: pad.t, x2: pad.l, y2: H - pad.b, class: 'axis' }),
    text(pad.l - 4, y(hi) + 4, hi.toPrecision(3)),
    text(pad.l - 4, y(lo), lo.toPrecision(3)),
    text(x(0), H - 10, '1', 'middle'),
    text(x(n - 1), H - 10, String(n), 'middle'),
    text((W + pad.l) / 2, H - 2, xLabel, 'middle'),
    ...series.map((s, k) => {
      const pts = s.values.flatMap((v, i) => (v === null || !Number.isFinite(v) ? [] : [`${x(i).toFixed(1)},${y(v).toFixed(1)}`]));
      return svg('polyline', { points: pts.join(' '), fill: 'none', stroke: COLOURS[k % COLOURS.length], 'stroke-width': 2 });
    }),
  );
  const legend = h(
    'ul',
    { class: 'legend' },
    series.map((s, k) => h('li', {}, h('span', { class: 'swatch', style: `background:${COLOURS[k % COLOURS.length]}` }), s.name)),
  );
  return h('figure', { class: 'chart' }, h('figcaption', {}, title), plot, legend);
}
