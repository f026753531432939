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

/** Bundles that differ only in the mark their main reports: the same length, other code. */
const marked = (mark: string): string => `function fib(n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
exports.main = async () => {
  process.env.TSC_LOADER_TEST_OUT = JSON.stringify("${mark}" + fib(10));
  return 0;
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

  it('does not use a cache made from another source of the same length (V8 would run the old code), and replaces it', async () => {
    writeFileSync(bundle, marked('AAAA'));
    const old = loadBundle(bundle);
    expect(await old.main([])).toBe(0);
    expect(output()).toBe('AAAA55');
    old.saveCache();
    const stale = readFileSync(cacheFileOf(bundle));

    writeFileSync(bundle, marked('BBBB'));
    const loaded = loadBundle(bundle);
    expect(loaded.cache).toEqual({ file: 'own', rejected: true });
    expect(await loaded.main([])).toBe(0);
    expect(output()).toBe('BBBB55');
    loaded.saveCache();
    expect(readFileSync(cacheFileOf(bundle)).equals(stale)).toBe(false);

    const next = loadBundle(bundle);
    expect(next.cache).toEqual({ file: 'own', rejected: false });
    await next.main([]);
    expect(output()).toBe('BBBB55');
  });

  it('writes the hash of the source it loaded: a run that loaded a bundle since replaced does not pass its cache off as the new one', async () => {
    writeFileSync(bundle, marked('AAAA'));
    const running = loadBundle(bundle);
    await running.main([]);
    // A rebuild swaps the bundle (same length) while that run goes on; then it saves its cache.
    writeFileSync(bundle, marked('BBBB'));
    running.saveCache();

    const loaded = loadBundle(bundle);
    expect(loaded.cache).toEqual({ file: 'own', rejected: true });
    await loaded.main([]);
    expect(output()).toBe('BBBB55');
  });

  it('does not use a seed cache made from another source of the same length; the run writes its own', async () => {
    writeFileSync(bundle, marked('AAAA'));
    await writeSeedCache(bundle, [[]]);
    writeFileSync(bundle, marked('BBBB'));

    const seeded = loadBundle(bundle);
    expect(seeded.cache).toEqual({ file: 'seed', rejected: true });
    await seeded.main([]);
    expect(output()).toBe('BBBB55');
    seeded.saveCache();
    const next = loadBundle(bundle);
    expect(next.cache).toEqual({ file: 'own', rejected: false });
    await next.main([]);
    expect(output()).toBe('BBBB55');
  });

  it('falls back to the seed when its own cache was made from another source', async () => {
    writeFileSync(bundle, marked('AAAA'));
    const old = loadBundle(bundle);
    await old.main([]);
    old.saveCache();
    const stale = readFileSync(cacheFileOf(bundle));
    writeFileSync(bundle, marked('BBBB'));
    await writeSeedCache(bundle, [[]]);
    writeFileSync(cacheFileOf(bundle), stale);

    const loaded = loadBundle(bundle);
    expect(loaded.cache).toEqual({ file: 'seed', rejected: false });
    await loaded.main([]);
    expect(output()).toBe('BBBB55');
    loaded.saveCache();
    expect(loadBundle(bundle).cache).toEqual({ file: 'own', rejected: false });
  });

  it('refuses a bundle that exports no main', () => {
    writeFileSync(bundle, 'exports.notMain = 1;\n');
    expect(() => loadBundle(bundle)).toThrow(/exports no main function/);
  });
});
