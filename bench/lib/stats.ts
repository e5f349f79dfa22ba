// Summary statistics of repeated measurements, and number formatting for the printed tables.

export interface Summary {
  n: number;
  median: number;
  min: number;
  max: number;
  q1: number;
  q3: number;
}

function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

/** Median, min, max and quartiles (linear interpolation) of a sample. */
export function summarize(values: readonly number[]): Summary {
  const s = [...values].sort((a, b) => a - b);
  return { n: s.length, median: quantile(s, 0.5), min: s[0] ?? NaN, max: s[s.length - 1] ?? NaN, q1: quantile(s, 0.25), q3: quantile(s, 0.75) };
}

/** Geometric mean of positive finite values; NaN when there are none. */
export function geomean(values: readonly number[]): number {
  const v = values.filter((x) => Number.isFinite(x) && x > 0);
  if (v.length === 0) return NaN;
  return Math.exp(v.reduce((a, x) => a + Math.log(x), 0) / v.length);
}

/** A number with about three significant digits (12345 → "12,345", 1.234 → "1.23", 0.01234 → "0.0123"). */
export function fmt(x: number): string {
  if (!Number.isFinite(x)) return '–';
  const a = Math.abs(x);
  if (a >= 1000) return Math.round(x).toLocaleString('en-US');
  if (a >= 100) return x.toFixed(0);
  if (a >= 10) return x.toFixed(1);
  if (a >= 1) return x.toFixed(2);
  if (a === 0) return '0';
  return x.toPrecision(3);
}

/** "min–max" of a summary. */
export function fmtRange(s: Summary): string {
  return `${fmt(s.min)}–${fmt(s.max)}`;
}

/** A ratio such as "1.05×"; "–" when undefined. */
export function fmtRatio(r: number): string {
  if (!Number.isFinite(r)) return '–';
  return r >= 10 ? `${r.toFixed(0)}×` : r >= 0.1 ? `${r.toFixed(2)}×` : `${r.toPrecision(2)}×`;
}

/** Seconds as a short human duration. */
export function fmtSeconds(s: number): string {
  if (!Number.isFinite(s)) return '–';
  if (s >= 1) return `${fmt(s)} s`;
  if (s >= 1e-3) return `${fmt(s * 1e3)} ms`;
  return `${fmt(s * 1e6)} µs`;
}
