import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cacheFileOf, loadBundle, seedCacheFileOf, writeSeedCache } from '../../../src/cli/bundle-loader.js';

// A small CommonJS bundle standing in for dist/bundle/main.cjs: its main reports what the loader
// handed it (require, __filename, __dirname) and does enough work for V8 to have code to cache.
const BUNDLE = `const { basename } = require('node:path');
function fib(n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
exports.main = async (argv) => {
  process.env.TSC_LOADER_TEST_OUT = JSON.stringify({ argv, file: basename(__filename), dir: basename(__dirname), fib: fib(15) });
  return argv.length;
};
`;

let dir: string;
let bundle: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tsc-bundle-loader-'));
  bundle = join(dir, 'main.cjs');
  writeFileSync(bundle, BUNDLE);
  delete process.env.TSC_LOADER_TEST_OUT;
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
  delete process.env.TSC_LOADER_TEST_OUT;
});

const output = (): unknown => JSON.parse(process.env.TSC_LOADER_TEST_OUT ?? 'null');

describe('loadBundle', () => {
  it('runs the bundle as a CommonJS module and writes a cache the next load accepts', async () => {
    const first = loadBundle(bundle);
    expect(first.cache).toEqual({ file: 'none', rejected: false });
    expect(await first.main(['up', '-d'])).toBe(2);
    expect(output()).toEqual({ argv: ['up', '-d'], file: 'main.cjs', dir: dir.split('/').pop(), fib: 610 });
    first.saveCache();
    expect(readFileSync(cacheFileOf(bundle)).length).toBeGreaterThan(0);

    const second = loadBundle(bundle);
    expect(second.cache).toEqual({ file: 'own', rejected: false });
    expect(await second.main(['ps'])).toBe(1);
  });

  it('falls back to compiling when the cache is corrupt, and replaces it', async () => {
    writeFileSync(cacheFileOf(bundle), Buffer.from('not a V8 code cache, just bytes '.repeat(64)));
    const loaded = loadBundle(bundle);
    expect(loaded.cache).toEqual({ file: 'own', rejected: true });
    expect(await loaded.main(['version'])).toBe(1);
    expect(output()).toMatchObject({ argv: ['version'], fib: 610 });
    loaded.saveCache();

    const again = loadBundle(bundle);
    expect(again.cache).toEqual({ file: 'own', rejected: false });
  });

  it('rejects a cache made for another source and still runs', async () => {
    const other = join(dir, 'other.cjs');
    writeFileSync(other, `${BUNDLE}\nexports.extra = 1;\n`);
    const made = loadBundle(other);
    await made.main([]);
    made.saveCache();
    writeFileSync(cacheFileOf(bundle), readFileSync(cacheFileOf(other)));

    const loaded = loadBundle(bundle);
    expect(loaded.cache.rejected).toBe(true);
    expect(await loaded.main(['a'])).toBe(1);
  });

  it('keeps running when the cache cannot be written, and leaves no staging file', async () => {
    // A directory where the cache file belongs: reading it fails, and so does renaming onto it.
    mkdirSync(cacheFileOf(bundle));
    const loaded = loadBundle(bundle);
    expect(loaded.cache.file).toBe('none');
    expect(await loaded.main(['x', 'y', 'z'])).toBe(3);
    loaded.saveCache();
    expect(readdirSync(dir).sort()).toEqual(['main.cjs', 'main.cjs.cache']);
  });

  it('starts from the seed cache until a run writes its own', async () => {
    await writeSeedCache(bundle, [['--help'], ['version']]);
    expect(existsSync(seedCacheFileOf(bundle))).toBe(true);
    expect(existsSync(cacheFileOf(bundle))).toBe(false);

    const seeded = loadBundle(bundle);
    expect(seeded.cache).toEqual({ file: 'seed', rejected: false });
    await seeded.main(['up']);
    seeded.saveCache();
    expect(loadBundle(bundle).cache).toEqual({ file: 'own', rejected: false });
  });

  it('refuses a bundle that exports no main', () => {
    writeFileSync(bundle, 'exports.notMain = 1;\n');
    expect(() => loadBundle(bundle)).toThrow(/exports no main function/);
  });
});
