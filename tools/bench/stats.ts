/** Shared by the benchmarks: medians and a small table of timings, all measured in one run. */
import { performance } from 'node:perf_hooks';

export interface Stats {
  median: number;
  min: number;
  max: number;
}

export function stats(samples: number[]): Stats {
  if (samples.length === 0) throw new Error('no samples');
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { median, min: sorted[0]!, max: sorted[sorted.length - 1]! };
}

/** Wall time of `fn` in milliseconds. */
export function timed(fn: () => void): number {
  const start = performance.now();
  fn();
  return performance.now() - start;
}

/** One line per series: label, median, min, max and every sample, in ms. */
export function timingTable(rows: [label: string, samples: number[]][]): string {
  const width = Math.max(9, ...rows.map(([label]) => label.length)) + 2;
  // Wide enough for the longest figure, with a space before it.
  const column = Math.max(9, ...rows.flatMap(([, samples]) => samples.map((n) => `${Math.round(n)} ms`.length + 1)));
  const ms = (n: number) => `${Math.round(n)} ms`.padStart(column);
  const lines = [
    `${'series'.padEnd(width)}${'median'.padStart(column)}${'min'.padStart(column)}${'max'.padStart(column)}   runs (ms)`,
  ];
  for (const [label, samples] of rows) {
    const s = stats(samples);
    lines.push(`${label.padEnd(width)}${ms(s.median)}${ms(s.min)}${ms(s.max)}   ${samples.map(Math.round).join(', ')}`);
  }
  return lines.join('\n');
}

/** A `--flag N` value of a benchmark: a positive whole number, or the fallback when absent. */
export function positiveInteger(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) {
    throw new Error(`--${flag} must be a positive integer, got ${JSON.stringify(value)}`);
  }
  return n;
}
