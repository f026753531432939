import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { loadProject } from '../../../src/compose/loader.js';
import { orderProject } from '../../../src/cli/render/project-yaml.js';
import { TscError } from '../../../src/errors/index.js';

// Each folder of test/fixtures/compose/ is one case:
//   compose.yaml (and whatever it refers to), written as a user would;
//   args        optional: the global flags, one per line (`-f other.yaml`, `-p name`, `--profile x`);
//   env         optional: the OS environment, KEY=VALUE per line;
//   expected.yaml  the canonical project `config` must print, written by hand from Compose's rules
//                  (`__DIR__` stands for the case folder, so absolute paths can be written down);
//   or expected-error.yaml: `{code, message?, line?, hint?}` the load must fail with (message and
//                  hint are substrings);
//   KNOWN_DIFFERENCE  optional: the expected output is what Compose prints but tscompose does not
//                  print it yet; the file says why, and the case is skipped.
const FIXTURES = resolve(import.meta.dirname, '../../fixtures/compose');

function readArgs(dir: string): { files?: string[]; projectName?: string; profiles?: string[]; envFiles?: string[]; projectDirectory?: string; services?: string[] } {
  const path = join(dir, 'args');
  if (!existsSync(path)) return {};
  const out: Record<string, string[] | string> = {};
  const push = (key: string, value: string): void => {
    out[key] = [...((out[key] as string[] | undefined) ?? []), value];
  };
  for (const line of readFileSync(path, 'utf8').split('\n').filter((l) => l.trim() !== '')) {
    const [flag, ...rest] = line.trim().split(/\s+/);
    const value = rest.join(' ');
    if (flag === '-f') push('files', resolve(dir, value));
    else if (flag === '--env-file') push('envFiles', resolve(dir, value));
    else if (flag === '--profile') push('profiles', value);
    else if (flag === '-p') out.projectName = value;
    else if (flag === '--project-directory') out.projectDirectory = resolve(dir, value);
    else if (flag === 'service') push('services', value);
    else throw new Error(`${path}: unknown line ${line}`);
  }
  return out;
}

function readEnv(dir: string): Record<string, string> {
  const path = join(dir, 'env');
  if (!existsSync(path)) return {};
  const env: Record<string, string> = {};
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const at = line.indexOf('=');
    if (at > 0) env[line.slice(0, at)] = line.slice(at + 1);
  }
  return env;
}

const cases = existsSync(FIXTURES) ? readdirSync(FIXTURES).filter((d) => existsSync(join(FIXTURES, d, 'compose.yaml')) || existsSync(join(FIXTURES, d, 'args'))) : [];

describe('compose fixtures: canonical output as Compose prints it', () => {
  it('has cases', () => {
    expect(cases.length).toBeGreaterThan(0);
  });

  for (const name of cases) {
    const known = existsSync(join(FIXTURES, name, 'KNOWN_DIFFERENCE'));
    (known ? it.skip : it)(name, () => {
      const dir = join(FIXTURES, name);
      const run = () => loadProject({ workingDir: dir, osEnv: readEnv(dir), homeDir: '/home/user', onWarning: () => undefined, ...readArgs(dir) });
      const errorFile = join(dir, 'expected-error.yaml');
      if (existsSync(errorFile)) {
        const expected = parse(readFileSync(errorFile, 'utf8')) as { code: string; message?: string; line?: number; hint?: string };
        let caught: unknown;
        try {
          run();
        } catch (err) {
          caught = err;
        }
        expect(caught).toBeInstanceOf(TscError);
        const error = caught as TscError;
        expect(error.code).toBe(expected.code);
        if (expected.message !== undefined) expect(error.message).toContain(expected.message);
        if (expected.line !== undefined) expect(error.location?.line).toBe(expected.line);
        if (expected.hint !== undefined) expect(error.hint).toContain(expected.hint);
        return;
      }
      const text = readFileSync(join(dir, 'expected.yaml'), 'utf8').replaceAll('__DIR__', dir);
      const expected = parse(text) as unknown;
      const actual = JSON.parse(JSON.stringify(orderProject(run().project))) as unknown;
      expect(actual).toEqual(expected);
    });
  }
});
