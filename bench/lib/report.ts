import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from '../../lib/build/functions.js';

export interface Row {
  metric: string;
  value: string | number;
  target?: string;
  verdict?: 'pass' | 'fail' | '';
}

export interface Chart {
  /** File name stem: the chart is written to bench/results/<report>-<id>.svg. */
  id: string;
  title: string;
  svg: string;
}

export interface ReportExtras {
  /** SVG charts, written next to the Markdown and embedded in it. */
  charts?: readonly Chart[];
  /** Paragraphs after the table (how it was measured, what the figures mean). */
  notes?: readonly string[];
  /** Fields written at the top level of the JSON (machine-readable results). */
  summary?: Record<string, unknown>;
}

/** Where, on what and at which commit a result was measured. */
export interface Provenance {
  machine: string;
  cpus: number;
  node: string;
  commit: string;
  /** 1-minute load average when the bench started and when it wrote its report. */
  loadAverage: { start: number; end: number };
}

const startLoad = os.loadavg()[0] ?? 0;

export function provenance(): Provenance {
  const cpus = os.cpus();
  let commit = 'unknown';
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT }).toString().trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: ROOT }).toString().trim();
    if (dirty) commit += '-dirty';
  } catch {
    // not a git checkout
  }
  return {
    machine: `${cpus.length}× ${cpus[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GB, ${os.platform()}-${os.arch()}`,
    cpus: cpus.length,
    node: process.version,
    commit,
    loadAverage: { start: startLoad, end: os.loadavg()[0] ?? 0 },
  };
}

/** Prints a table and writes bench/results/<name>.json and .md (with its charts as .svg beside them). */
export async function writeReport(name: string, title: string, rows: Row[], raw: unknown, extras: ReportExtras = {}): Promise<void> {
  const where = provenance();
  const at = new Date().toISOString();
  const dir = path.join(ROOT, 'bench', 'results');
  await mkdir(dir, { recursive: true });
  const charts = extras.charts ?? [];
  for (const chart of charts) await writeFile(path.join(dir, `${name}-${chart.id}.svg`), chart.svg);
  const lines = [
    `# ${title}`,
    '',
    `Measured ${at} on ${where.machine}, Node ${where.node}, commit ${where.commit}; load average ${where.loadAverage.start.toFixed(1)} at start, ${where.loadAverage.end.toFixed(1)} at the end (${where.cpus} cores: the emulators, the hosted functions and the load generator share them).`,
    '',
    '| Metric | Value | Target | |',
    '|---|---|---|---|',
    ...rows.map(
      (r) => `| ${r.metric} | ${r.value} | ${r.target ?? ''} | ${r.verdict === 'pass' ? '✅' : r.verdict === 'fail' ? '❌' : ''} |`,
    ),
    '',
    ...(extras.notes ?? []).flatMap((n) => [n, '']),
    ...charts.flatMap((c) => [`![${c.title}](${name}-${c.id}.svg)`, '']),
  ];
  await writeFile(path.join(dir, `${name}.md`), lines.join('\n'));
  await writeFile(path.join(dir, `${name}.json`), `${JSON.stringify({ title, at, ...where, ...extras.summary, rows, raw }, null, 2)}\n`);
  console.log(`\n${lines.filter((l) => !l.startsWith('![')).join('\n')}`);
  console.log(
    `written: bench/results/${name}.md, bench/results/${name}.json${charts.map((c) => `, bench/results/${name}-${c.id}.svg`).join('')}`,
  );
}

export const verdict = (ok: boolean): 'pass' | 'fail' => (ok ? 'pass' : 'fail');

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] as number;
}

export const round = (n: number, digits = 1) => Number(n.toFixed(digits));
