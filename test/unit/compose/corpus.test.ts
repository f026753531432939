import { describe, expect, it } from 'vitest';
import { loadProject, type LoadOptions } from '../../../src/compose/loader.js';
import { TscError } from '../../../src/errors/index.js';
import type { Warning } from '../../../src/compose/types.js';
import { projectToYaml } from '../../../src/cli/render/project-yaml.js';
import { CORPUS_DIR, corpusRows, parseExpected, parseLoadWith } from '../../support/corpus.js';

// Every compose file of the shared corpus, loaded as MANIFEST.tsv says, with an empty environment.
const rows = corpusRows().filter((r) => r.role !== 'dotenv' && /\.ya?ml$/.test(r.path));

function load(loadWith: string, osEnv: Record<string, string> = {}): { warnings: Warning[]; run: () => ReturnType<typeof loadProject> } {
  const { files, envFiles } = parseLoadWith(loadWith);
  const warnings: Warning[] = [];
  const options: LoadOptions = {
    workingDir: CORPUS_DIR,
    files,
    envFiles: envFiles.length > 0 ? envFiles : undefined,
    osEnv,
    homeDir: '/home/user',
    onWarning: (w) => warnings.push(w),
  };
  return { warnings, run: () => loadProject(options) };
}

function expectUserError(run: () => unknown): TscError {
  let caught: unknown;
  try {
    run();
  } catch (err) {
    caught = err;
  }
  expect(caught, 'loading should fail').toBeInstanceOf(TscError);
  const error = caught as TscError;
  expect(error.code, error.message).not.toBe('INTERNAL');
  return error;
}

describe('the shared corpus loads as MANIFEST.tsv says', () => {
  it('covers the whole corpus', () => {
    expect(rows.length).toBeGreaterThanOrEqual(190);
  });

  for (const row of rows) {
    const expected = parseExpected(row.expected);
    it(`${row.path}: ${row.expected}`, () => {
      const { warnings, run } = load(row.loadWith);
      if (expected.kind === 'valid') {
        const loaded = run();
        expect(loaded.project.name).toMatch(/^[a-z0-9][a-z0-9_-]*$/);
        const yaml = projectToYaml(loaded.project);
        expect(yaml).toContain('services:');
        for (const name of row.unsetVars) {
          expect(warnings.map((w) => w.message).join('\n')).toContain(`"${name}"`);
        }
        return;
      }
      const error = expectUserError(run);
      // The error says where: a file (with a line when it comes from the source) or a compose path.
      expect(error.location !== undefined || error.path !== undefined, error.format()).toBe(true);
      expect(error.hint, error.format()).toBeTruthy();
      if (expected.kind === 'needs-env' && expected.files.length === 0) {
        // A value that also works where a path is expected (a volume source, an env file).
        const withEnv = Object.fromEntries(expected.env.map((v) => [v, './placeholder']));
        const retry = load(row.loadWith, withEnv);
        expect(() => retry.run()).not.toThrow();
      }
    });
  }
});
