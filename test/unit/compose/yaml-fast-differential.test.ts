import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CORPUS_DIR, corpusRows } from '../../support/corpus.js';
import { compareReaders, mutateData, mutateText, pick, prng } from './yaml-differential.js';
import type { Verdict } from './yaml-differential.js';
import { YamlGenerator } from './yaml-generator.js';

// The fast YAML reader against the `yaml` package on real files, on broken real files and on
// generated files: whatever the fast reader accepts, it reads exactly as the library does (data,
// `!reset` / `!override` paths, positions); everything else, errors included, goes to the library.

const files = corpusRows().filter((row) => row.role !== 'dotenv').map((row) => resolve(CORPUS_DIR, row.path));
const texts = files.map((file) => readFileSync(file, 'utf8'));

interface Tally {
  fast: number;
  library: number;
  mismatches: string[];
}

function tally(cases: Iterable<[label: string, text: string]>): Tally {
  const out: Tally = { fast: 0, library: 0, mismatches: [] };
  for (const [label, text] of cases) {
    const verdict: Verdict = compareReaders(text);
    if ('reader' in verdict) out[verdict.reader]++;
    else out.mismatches.push(`${label}: ${verdict.mismatch}\n--- text ---\n${text.slice(0, 1500)}`);
  }
  return out;
}

describe('the fast YAML reader reads as the yaml package does', () => {
  it('on every file of the corpus, and reads nearly all valid ones itself', () => {
    const result = tally(files.map((file, i) => [file, texts[i] as string]));
    expect(result.mismatches.slice(0, 3)).toEqual([]);
    // Six corpus files are not valid YAML; the library reads those, to report their errors.
    expect(result.fast).toBeGreaterThanOrEqual(0.9 * (files.length - 6));
  });

  it('reads the generated benchmark project itself', async () => {
    const { generate } = await import('../../bench/config.js');
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(resolve(tmpdir(), 'tsc-yaml-fast-'));
    try {
      const result = tally(generate(dir).map((file) => [file, readFileSync(file, 'utf8')]));
      expect(result).toEqual({ fast: 3, library: 0, mismatches: [] });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  for (let batch = 0; batch < 4; batch++) {
    it(`on broken corpus files (batch ${batch + 1} of 4)`, () => {
      const rand = prng(0x5eed + batch);
      const result = tally((function* () {
        for (let n = 0; n < 300; n++) {
          let text = pick(rand, texts);
          const rounds = 1 + Math.floor(rand() * 3);
          for (let r = 0; r < rounds; r++) text = rand() < 0.5 ? mutateText(text, rand) : mutateData(text, rand);
          yield [`seed ${0x5eed + batch} case ${n}`, text] as [string, string];
        }
      })());
      expect(result.mismatches.slice(0, 3)).toEqual([]);
      expect(result.fast).toBeGreaterThan(50);
      expect(result.library).toBeGreaterThan(50);
    }, 120_000);
  }

  for (let batch = 0; batch < 4; batch++) {
    it(`on generated files written every way YAML allows (batch ${batch + 1} of 4)`, () => {
      const rand = prng(0x9e11 + batch);
      const generator = new YamlGenerator(rand);
      const result = tally((function* () {
        for (let n = 0; n < 1500; n++) {
          let text = generator.document();
          if (rand() < 0.3) {
            const at = Math.floor(rand() * text.length);
            text = text.slice(0, at) + pick(rand, [' ', '\n', '#', ':', '-', '"', "'", ',', ']', '}', '[', '{', '*x', '&x ', '\\', '|']) + text.slice(at);
          }
          yield [`seed ${0x9e11 + batch} case ${n}`, text] as [string, string];
        }
      })());
      expect(result.mismatches.slice(0, 3)).toEqual([]);
      expect(result.fast).toBeGreaterThan(500);
    }, 120_000);
  }
});
