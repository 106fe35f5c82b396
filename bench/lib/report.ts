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

/** Prints a table and writes bench/results/<name>.json and .md. */
export async function writeReport(name: string, title: string, rows: Row[], raw: unknown): Promise<void> {
  const machine = `${os.cpus().length}× ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, ${os.platform()}-${os.arch()}`;
  const lines = [
    `# ${title}`,
    '',
    `Measured ${new Date().toISOString()} on ${machine}.`,
    '',
    '| Metric | Value | Target | |',
    '|---|---|---|---|',
    ...rows.map(
      (r) => `| ${r.metric} | ${r.value} | ${r.target ?? ''} | ${r.verdict === 'pass' ? '✅' : r.verdict === 'fail' ? '❌' : ''} |`,
    ),
    '',
  ];
  const dir = path.join(ROOT, 'bench', 'results');
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, `${name}.md`), lines.join('\n'));
  await writeFile(
    path.join(dir, `${name}.json`),
    `${JSON.stringify({ title, machine, at: new Date().toISOString(), rows, raw }, null, 2)}\n`,
  );
  console.log(`\n${lines.join('\n')}`);
  console.log(`written: bench/results/${name}.md, bench/results/${name}.json`);
}

export const verdict = (ok: boolean): 'pass' | 'fail' => (ok ? 'pass' : 'fail');

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] as number;
}

export const round = (n: number, digits = 1) => Number(n.toFixed(digits));
