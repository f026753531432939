import { readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { dirname, resolve } from 'node:path';

const FRAME = /(?<file>\/[^\s()]+\.cjs):(?<line>\d+):(?<column>\d+)/g;

/**
 * A stack trace with every position in a bundle that has a source map beside it (dist/bundle/main.cjs
 * and main.cjs.map) replaced by the original file, line and column, so an internal error reads as if
 * the CLI ran unbundled. Positions without a map, or that the map does not cover, stay as they are.
 * Costs nothing until an internal error is printed.
 */
export function readableStack(stack: string): string {
  const maps = new Map<string, SourceMap | undefined>();
  return stack.replace(FRAME, (whole, file: string, line: string, column: string) => {
    if (!maps.has(file)) maps.set(file, readMap(file));
    const map = maps.get(file);
    const entry = map?.findEntry(Number(line) - 1, Number(column) - 1);
    if (entry === undefined || !('originalSource' in entry)) return whole;
    const source = entry.originalSource.startsWith('file://') ? new URL(entry.originalSource).pathname : resolve(dirname(file), entry.originalSource);
    return `${source}:${entry.originalLine + 1}:${entry.originalColumn + 1}`;
  });
}

function readMap(file: string): SourceMap | undefined {
  try {
    return new SourceMap(JSON.parse(readFileSync(`${file}.map`, 'utf8')) as ConstructorParameters<typeof SourceMap>[0]);
  } catch {
    return undefined;
  }
}
