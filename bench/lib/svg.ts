/**
 * A small SVG chart writer for the benchmark reports: line charts (series over time) and
 * horizontal bar charts, self-contained files that GitHub and any browser render. No browser or
 * library needed to produce them.
 */

export interface Series {
  name: string;
  points: ReadonlyArray<readonly [number, number]>;
  /** A CSS colour; one of the palette when absent. */
  color?: string;
  /** Draw as a dashed line (e.g. a limit or a target). */
  dashed?: boolean;
}

export interface LineChart {
  title: string;
  xLabel: string;
  yLabel: string;
  series: readonly Series[];
  /** Horizontal reference lines (a ceiling, a target). */
  marks?: ReadonlyArray<{ y: number; label: string }>;
  /** Plot y on a log scale (values ≤ 0 are dropped). */
  logY?: boolean;
  width?: number;
  height?: number;
}

export interface BarChart {
  title: string;
  xLabel: string;
  bars: ReadonlyArray<{ label: string; value: number; color?: string; note?: string }>;
  /** Vertical reference lines. */
  marks?: ReadonlyArray<{ x: number; label: string }>;
  logX?: boolean;
  width?: number;
}

const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#17becf', '#7f7f7f'];
const FONT = 'font-family="system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif"';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** 1, 2, 5 × 10^n steps covering [min, max] in about `count` ticks. */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!(max > min)) return [min];
  const raw = (max - min) / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 5, 10].find((m) => m * magnitude >= raw) ?? 10) * magnitude;
  const ticks: number[] = [];
  for (let t = Math.ceil(min / step) * step; t <= max + step * 1e-9; t += step) ticks.push(Number(t.toPrecision(12)));
  return ticks;
}

const logTicks = (min: number, max: number) => {
  const ticks: number[] = [];
  for (let e = Math.floor(Math.log10(min)); e <= Math.ceil(Math.log10(max)); e++) ticks.push(10 ** e);
  return ticks;
};

export function formatNumber(n: number): string {
  const abs = Math.abs(n);
  if (abs >= 1e6) return `${Number((n / 1e6).toPrecision(3))}M`;
  if (abs >= 1e3) return `${Number((n / 1e3).toPrecision(3))}k`;
  if (abs > 0 && abs < 0.01) return n.toExponential(0);
  return String(Number(n.toPrecision(3)));
}

/** A line chart of every series, with axes, grid, legend and reference lines. */
export function lineChart(chart: LineChart): string {
  const width = chart.width ?? 760;
  const height = chart.height ?? 320;
  const m = { left: 64, right: 16, top: 36, bottom: 64 };
  const plotW = width - m.left - m.right;
  const plotH = height - m.top - m.bottom;
  const keep = ([, y]: readonly [number, number]) => Number.isFinite(y) && (!chart.logY || y > 0);
  const all = chart.series.flatMap((s) => s.points.filter(keep));
  const xs = all.map(([x]) => x);
  const ys = [...all.map(([, y]) => y), ...(chart.marks ?? []).map((mk) => mk.y)].filter((y) => !chart.logY || y > 0);
  const xMin = Math.min(0, ...xs);
  const xMax = Math.max(xMin + 1, ...xs);
  const yMin = chart.logY ? Math.min(...ys, 1) : Math.min(0, ...ys);
  const yMaxRaw = Math.max(chart.logY ? yMin * 10 : 1, ...ys);
  const yTicks = chart.logY ? logTicks(yMin, yMaxRaw) : niceTicks(yMin, yMaxRaw * 1.05);
  const yLo = chart.logY ? (yTicks[0] ?? yMin) : Math.min(yMin, yTicks[0] ?? yMin);
  const yHi = Math.max(yMaxRaw, yTicks[yTicks.length - 1] ?? yMaxRaw);
  const sx = (x: number) => m.left + ((x - xMin) / (xMax - xMin)) * plotW;
  const sy = (y: number) =>
    chart.logY
      ? m.top + plotH - ((Math.log10(y) - Math.log10(yLo)) / (Math.log10(yHi) - Math.log10(yLo) || 1)) * plotH
      : m.top + plotH - ((y - yLo) / (yHi - yLo || 1)) * plotH;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ${FONT} font-size="12" role="img">`,
    `<title>${esc(chart.title)}</title>`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    `<text x="${m.left}" y="20" font-size="14" font-weight="600">${esc(chart.title)}</text>`,
  ];
  for (const t of yTicks) {
    out.push(`<line x1="${m.left}" x2="${m.left + plotW}" y1="${sy(t).toFixed(1)}" y2="${sy(t).toFixed(1)}" stroke="#e5e5e5"/>`);
    out.push(`<text x="${m.left - 6}" y="${(sy(t) + 4).toFixed(1)}" text-anchor="end" fill="#555">${formatNumber(t)}</text>`);
  }
  for (const t of niceTicks(xMin, xMax, 8)) {
    out.push(`<line x1="${sx(t).toFixed(1)}" x2="${sx(t).toFixed(1)}" y1="${m.top + plotH}" y2="${m.top + plotH + 4}" stroke="#555"/>`);
    out.push(`<text x="${sx(t).toFixed(1)}" y="${m.top + plotH + 17}" text-anchor="middle" fill="#555">${formatNumber(t)}</text>`);
  }
  out.push(`<line x1="${m.left}" x2="${m.left + plotW}" y1="${m.top + plotH}" y2="${m.top + plotH}" stroke="#555"/>`);
  out.push(`<line x1="${m.left}" x2="${m.left}" y1="${m.top}" y2="${m.top + plotH}" stroke="#555"/>`);
  out.push(`<text x="${m.left + plotW / 2}" y="${m.top + plotH + 34}" text-anchor="middle" fill="#333">${esc(chart.xLabel)}</text>`);
  out.push(`<text transform="translate(14 ${m.top + plotH / 2}) rotate(-90)" text-anchor="middle" fill="#333">${esc(chart.yLabel)}</text>`);
  for (const mark of chart.marks ?? []) {
    if (chart.logY && mark.y <= 0) continue;
    const y = sy(mark.y).toFixed(1);
    out.push(`<line x1="${m.left}" x2="${m.left + plotW}" y1="${y}" y2="${y}" stroke="#999" stroke-dasharray="6 4"/>`);
    out.push(`<text x="${m.left + plotW - 4}" y="${Number(y) - 4}" text-anchor="end" fill="#666">${esc(mark.label)}</text>`);
  }
  chart.series.forEach((s, i) => {
    const color = s.color ?? PALETTE[i % PALETTE.length];
    const points = s.points.filter(keep);
    if (points.length === 0) return;
    const d = points.map(([x, y], j) => `${j ? 'L' : 'M'}${sx(x).toFixed(1)} ${sy(y).toFixed(1)}`).join(' ');
    out.push(`<path d="${d}" fill="none" stroke="${color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="5 4"' : ''}/>`);
    if (points.length === 1) {
      const [x, y] = points[0] as readonly [number, number];
      out.push(`<circle cx="${sx(x).toFixed(1)}" cy="${sy(y).toFixed(1)}" r="3" fill="${color}"/>`);
    }
  });
  // Legend along the bottom.
  let lx = m.left;
  chart.series.forEach((s, i) => {
    const color = s.color ?? PALETTE[i % PALETTE.length];
    const y = height - 12;
    out.push(
      `<line x1="${lx}" x2="${lx + 18}" y1="${y - 4}" y2="${y - 4}" stroke="${color}" stroke-width="3"${s.dashed ? ' stroke-dasharray="5 4"' : ''}/>`,
    );
    out.push(`<text x="${lx + 24}" y="${y}" fill="#333">${esc(s.name)}</text>`);
    lx += 34 + s.name.length * 6.6;
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

/** Horizontal bars with values, on a linear or log axis, with vertical reference lines. */
export function barChart(chart: BarChart): string {
  const width = chart.width ?? 760;
  const barH = 22;
  const gap = 10;
  const labelW = Math.max(120, ...chart.bars.map((b) => b.label.length * 6.8 + 12));
  const m = { left: labelW, right: 90, top: 40, bottom: 46 };
  const plotW = width - m.left - m.right;
  const plotH = chart.bars.length * (barH + gap);
  const height = m.top + plotH + m.bottom;
  const values = [...chart.bars.map((b) => b.value), ...(chart.marks ?? []).map((mk) => mk.x)].filter((v) => v > 0);
  const max = Math.max(1, ...values);
  const min = chart.logX ? Math.min(...values, max / 10) : 0;
  const ticks = chart.logX ? logTicks(min, max) : niceTicks(0, max * 1.05);
  const lo = chart.logX ? (ticks[0] ?? min) : 0;
  const hi = Math.max(max, ticks[ticks.length - 1] ?? max);
  const sx = (v: number) =>
    chart.logX
      ? m.left + ((Math.log10(Math.max(v, lo)) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo) || 1)) * plotW
      : m.left + ((v - lo) / (hi - lo || 1)) * plotW;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ${FONT} font-size="12" role="img">`,
    `<title>${esc(chart.title)}</title>`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    `<text x="12" y="22" font-size="14" font-weight="600">${esc(chart.title)}</text>`,
  ];
  for (const t of ticks) {
    const x = sx(t).toFixed(1);
    out.push(`<line x1="${x}" x2="${x}" y1="${m.top}" y2="${m.top + plotH}" stroke="#e5e5e5"/>`);
    out.push(`<text x="${x}" y="${m.top + plotH + 16}" text-anchor="middle" fill="#555">${formatNumber(t)}</text>`);
  }
  chart.bars.forEach((b, i) => {
    const y = m.top + i * (barH + gap);
    const color = b.color ?? PALETTE[i % PALETTE.length];
    out.push(`<text x="${m.left - 8}" y="${y + barH / 2 + 4}" text-anchor="end" fill="#333">${esc(b.label)}</text>`);
    out.push(`<rect x="${m.left}" y="${y}" width="${Math.max(1, sx(b.value) - m.left).toFixed(1)}" height="${barH}" fill="${color}"/>`);
    out.push(
      `<text x="${(sx(b.value) + 6).toFixed(1)}" y="${y + barH / 2 + 4}" fill="#333">${esc(b.note ?? formatNumber(b.value))}</text>`,
    );
  });
  for (const mark of chart.marks ?? []) {
    const x = sx(mark.x).toFixed(1);
    out.push(`<line x1="${x}" x2="${x}" y1="${m.top - 6}" y2="${m.top + plotH}" stroke="#333" stroke-dasharray="5 4"/>`);
    out.push(`<text x="${x}" y="${m.top - 10}" text-anchor="middle" fill="#333">${esc(mark.label)}</text>`);
  }
  out.push(`<text x="${m.left + plotW / 2}" y="${height - 10}" text-anchor="middle" fill="#333">${esc(chart.xLabel)}</text>`);
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

/** Per-second buckets of `samples` (at ms since start, value): count and percentiles per bucket. */
export function perSecond(
  samples: ReadonlyArray<{ atMs: number; value: number }>,
  bucketMs = 1000,
): Array<{ t: number; count: number; p50: number; p99: number; max: number }> {
  const buckets = new Map<number, number[]>();
  for (const s of samples) {
    const b = Math.floor(s.atMs / bucketMs);
    const list = buckets.get(b) ?? [];
    list.push(s.value);
    buckets.set(b, list);
  }
  const last = Math.max(-1, ...buckets.keys());
  const out = [];
  for (let b = 0; b <= last; b++) {
    const values = (buckets.get(b) ?? []).sort((x, y) => x - y);
    const pick = (p: number) =>
      values.length ? (values[Math.min(values.length - 1, Math.ceil((p / 100) * values.length) - 1)] as number) : Number.NaN;
    out.push({
      t: ((b + 1) * bucketMs) / 1000,
      count: values.length,
      p50: pick(50),
      p99: pick(99),
      max: values[values.length - 1] ?? Number.NaN,
    });
  }
  return out;
}
