import { performance } from 'node:perf_hooks';

/** Runs `fn` n times and returns each wall time in milliseconds. */
export function timeIt(n: number, fn: () => unknown): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const start = performance.now();
    fn();
    out.push(performance.now() - start);
  }
  return out;
}

export async function timeItAsync(n: number, fn: () => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const start = performance.now();
    await fn();
    out.push(performance.now() - start);
  }
  return out;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** Prints rows of `name, ours (ms), baseline (ms), baseline name` with the ratio ours/baseline. */
export function printTable(title: string, rows: Array<[string, number, number, string]>): void {
  console.log(`\n${title}`);
  const width = Math.max(...rows.map((r) => r[0].length));
  for (const [name, ours, base, baseName] of rows) {
    const ratio = base > 0 ? (ours / base).toFixed(2) : 'n/a';
    console.log(`  ${name.padEnd(width)}  ${ours.toFixed(1).padStart(8)} ms   vs ${baseName}: ${base.toFixed(1)} ms   ratio ${ratio}x`);
  }
}
