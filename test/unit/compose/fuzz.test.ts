import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse, stringify } from 'yaml';
import { loadProject } from '../../../src/compose/loader.js';
import { nodeFileSource, type FileSource } from '../../../src/compose/file-source.js';
import { TscError } from '../../../src/errors/index.js';
import { CORPUS_DIR, corpusRows } from '../../support/corpus.js';
import { mutateText, pick, prng, replaceAtRandomPath, type Rand } from './yaml-differential.js';

// Mutated corpus files must fail, when they fail, with a TscError that carries a code: never an
// internal error, never a hang. The generator is seeded, so a failure reproduces.
const CASES = 2_000;
const BATCHES = 8;

const TOKENS = [':', '- ', '{', '}', '[', ']', '$', '${', '${X:?boom}', '$$', '!reset ', '!override ', '&a ', '*a', '<<: *a', '\t', '"', "'", '#', '|', '>', '?', '%', '@', '`', 'null', '~', '0x1F', '1e9', '.inf'];
const VALUES: unknown[] = [null, 0, -1, 1.5, 65536, true, '', 'x', '${UNSET}', '${A:-${B:-c}}', '80:80', '::', '../../etc', [], [null], {}, { a: { b: [1] } }, 'a'.repeat(5000), ['x', 1, null]];


function mutateData(text: string, rand: Rand): string {
  let data: unknown;
  try {
    data = parse(text, { merge: true, customTags: [{ tag: '!reset', resolve: (v: unknown) => v }, { tag: '!override', resolve: (v: unknown) => v }] as never });
  } catch {
    return mutateText(text, rand, TOKENS);
  }
  replaceAtRandomPath(data, rand, VALUES);
  return stringify(data);
}

function overlay(path: string, text: string): FileSource {
  const disk = nodeFileSource(() => '');
  return { ...disk, readFile: (p) => (p === path ? text : disk.readFile(p)), exists: (p) => p === path || disk.exists(p) };
}

const seeds = corpusRows()
  .filter((r) => r.role === 'main' && r.expected === 'valid' && r.loadWith.split('-f').length === 2)
  .map((r) => resolve(CORPUS_DIR, r.path));

describe('fuzzed compose files fail only with coded errors', () => {
  for (let batch = 0; batch < BATCHES; batch++) {
    it(`batch ${batch + 1} of ${BATCHES} (${CASES / BATCHES} mutated files)`, () => {
      const rand = prng(0x7c0 + batch);
      const outcomes = { loaded: 0, refused: 0 };
      const internal: string[] = [];
      for (let n = 0; n < CASES / BATCHES; n++) {
        const file = pick(rand, seeds);
        let text = readFileSync(file, 'utf8');
        const rounds = 1 + Math.floor(rand() * 3);
        for (let r = 0; r < rounds; r++) text = rand() < 0.5 ? mutateText(text, rand, TOKENS) : mutateData(text, rand);
        try {
          loadProject({ workingDir: CORPUS_DIR, files: [file], osEnv: {}, fs: overlay(file, text), onWarning: () => undefined });
          outcomes.loaded++;
        } catch (err) {
          if (err instanceof TscError && err.code !== 'INTERNAL') outcomes.refused++;
          else internal.push(`${file}: ${err instanceof Error ? err.stack : String(err)}\n--- input ---\n${text.slice(0, 2000)}`);
        }
      }
      expect(internal.slice(0, 3)).toEqual([]);
      expect(outcomes.loaded + outcomes.refused).toBe(CASES / BATCHES);
      // The mutations are strong enough to break most files, and mild enough to leave some loadable.
      expect(outcomes.refused).toBeGreaterThan(0);
    }, 120_000);
  }
});
