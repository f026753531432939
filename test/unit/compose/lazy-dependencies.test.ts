import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// `tscompose config` should not pay for loading what it does not use: the `yaml` package is only
// needed for files the fast reader leaves to it, and ajv's compiler only without the precompiled
// validator. Each check runs in a fresh node process and looks at the modules it has loaded.
const ROOT = resolve(import.meta.dirname, '../../..');

function loadedAfter(script: string): { yaml: boolean; ajv: boolean } {
  const probe = `
    import { createRequire } from 'node:module';
    ${script}
    const loaded = Object.keys(createRequire(process.cwd() + '/').cache);
    console.log(JSON.stringify({
      yaml: loaded.some((p) => p.includes('/node_modules/yaml/')),
      ajv: loaded.some((p) => p.includes('/node_modules/ajv/dist/2020')),
    }));`;
  const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', probe], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  return JSON.parse(out.trim().split('\n').pop() ?? '{}') as { yaml: boolean; ajv: boolean };
}

const PARSE_AND_PRINT = (text: string): string => `
  const { parseComposeYaml } = await import('./src/compose/yaml-stage.ts');
  const { emitYaml } = await import('./src/cli/render/yaml-emitter.ts');
  emitYaml(parseComposeYaml(${JSON.stringify(text)}, '/p/compose.yaml').data);`;

describe('dependencies loaded on first use', () => {
  it('reads and prints a usual compose file without loading the yaml package', () => {
    expect(loadedAfter(PARSE_AND_PRINT('services:\n  web:\n    image: nginx\n')).yaml).toBe(false);
  });

  it('loads the yaml package for a file the fast reader leaves to it', () => {
    expect(loadedAfter(PARSE_AND_PRINT('services:\n  web:\n    image: nginx # \t tab\n')).yaml).toBe(true);
  });

  it('loads ajv only to compile the schema', () => {
    const imported = `const schema = await import('./src/compose/compose-schema.ts');`;
    expect(loadedAfter(imported).ajv).toBe(false);
    expect(loadedAfter(`${imported} schema.newAjv(false);`).ajv).toBe(true);
  });
}, 120_000);
