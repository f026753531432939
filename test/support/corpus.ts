import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** The shared corpus of real-world compose files, read in place (never copied into the project). */
export const CORPUS_DIR = resolve(import.meta.dirname, '../../../shared/corpus');

export interface CorpusRow {
  path: string;
  expected: string;
  features: string;
  role: string;
  loadWith: string;
  schemaRaw: string;
  unsetVars: string[];
  notes: string;
}

export function corpusRows(): CorpusRow[] {
  const lines = readFileSync(resolve(CORPUS_DIR, 'MANIFEST.tsv'), 'utf8').split('\n').filter((l) => l.trim() !== '');
  return lines.slice(1).map((line) => {
    const c = line.split('\t');
    return {
      path: c[0] ?? '',
      expected: c[4] ?? '',
      features: c[5] ?? '',
      role: c[6] ?? '',
      loadWith: c[7] ?? '',
      schemaRaw: c[8] ?? '',
      unsetVars: (c[9] ?? '').split(',').map((s) => s.trim()).filter((s) => s !== ''),
      notes: c[10] ?? '',
    };
  });
}

/** `-f a -f b --env-file e` → files and env files, relative to the corpus dir. */
export function parseLoadWith(loadWith: string): { files: string[]; envFiles: string[] } {
  // Paths may hold spaces (`UNNORMALIZED PATH/`): split on the flags, not on white space.
  const files: string[] = [];
  const envFiles: string[] = [];
  for (const m of ` ${loadWith}`.matchAll(/ (-f|--env-file) (.+?)(?= -f | --env-file |$)/g)) {
    const value = resolve(CORPUS_DIR, m[2] ?? '');
    if (m[1] === '-f') files.push(value);
    else envFiles.push(value);
  }
  return { files, envFiles };
}

/** `needs-env: A,B; needs-files: x` → the parts. */
export function parseExpected(expected: string): { kind: string; env: string[]; files: string[] } {
  const parts = expected.split(';').map((p) => p.trim());
  const env = parts.find((p) => p.startsWith('needs-env:'))?.slice('needs-env:'.length).split(',').map((s) => s.trim()) ?? [];
  const files = parts.find((p) => p.startsWith('needs-files:'))?.slice('needs-files:'.length).split(',').map((s) => s.trim()) ?? [];
  const kind = parts[0]?.split(':')[0] ?? '';
  return { kind, env, files };
}
