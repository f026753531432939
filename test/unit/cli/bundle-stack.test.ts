import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { loadBundle } from '../../../src/cli/bundle-loader.js';
import { readableStack } from '../../../src/cli/bundle-stack.js';

// A two-file program bundled the way src/cli/bundle.js bundles the CLI (CommonJS, whitespace
// minified, linked source map), loaded through the loader; its error must point back to the source.
const FAIL = `export function explode(what: string): never {
  // line 2
  throw new Error(\`internal: \${what}\`);
}
`;
const ENTRY = `import { explode } from './fail.js';

export async function main(argv: string[]): Promise<number> {
  if (argv.length > 0) explode(argv[0] ?? '');
  return 0;
}
`;

let dir: string;
let bundle: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tsc-bundle-stack-'));
  writeFileSync(join(dir, 'fail.ts'), FAIL);
  writeFileSync(join(dir, 'entry.ts'), ENTRY);
  bundle = join(dir, 'out', 'main.cjs');
  await build({ entryPoints: [join(dir, 'entry.ts')], outfile: bundle, bundle: true, format: 'cjs', platform: 'node', minifyWhitespace: true, minifySyntax: true, sourcemap: 'linked', logLevel: 'silent' });
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('readableStack', () => {
  it('leads positions in a bundle back to the original file, line and column', async () => {
    const { main } = loadBundle(bundle);
    const error = await main(['boom']).then(() => undefined, (err: unknown) => err as Error);
    expect(error?.message).toBe('internal: boom');
    const raw = error?.stack ?? '';
    expect(raw).toContain(`${bundle}:`);

    const mapped = readableStack(raw);
    expect(mapped).toContain('internal: boom');
    expect(mapped).toMatch(new RegExp(`${join(dir, 'fail.ts').replaceAll('.', '\\.')}:3:\\d+`));
    expect(mapped).toMatch(new RegExp(`${join(dir, 'entry.ts').replaceAll('.', '\\.')}:4:\\d+`));
    expect(mapped).not.toContain(`${bundle}:`);
  });

  it('leaves positions alone where no map is found', () => {
    const stack = 'Error: x\n    at f (/nowhere/main.cjs:1:200)\n    at g (node:internal/x:3:4)';
    expect(readableStack(stack)).toBe(stack);
  });
});
