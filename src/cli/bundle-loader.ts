import type * as Crypto from 'node:crypto';
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { Script } from 'node:vm';

/**
 * Loads the CLI bundle (dist/bundle/main.cjs, a CommonJS file made by src/cli/bundle.js) through a
 * V8 code cache, so a run deserialises the functions it needs instead of parsing and compiling them.
 *
 * Two caches sit beside the bundle: `main.cjs.cache`, written by the first run that found none (or
 * found one it could not use), and `main.cjs.seed-cache`, written by the build from a few harmless
 * commands, used until the first one exists. A missing, unreadable or rejected cache only costs the
 * compile; writing one is best effort (a read-only install keeps working, from the seed).
 *
 * Each cache file starts with a header naming the exact source it was made from (the SHA-256 of the
 * bundle's bytes, {@link CACHE_HEADER_BYTES} in all): V8 itself takes a cache made for another source
 * of the same length and then runs that source's functions. A cache whose header names another source
 * is not used (the run compiles, and writes a fresh one), and a run writes the hash of the source it
 * loaded, so a run that loaded a bundle a rebuild has since replaced never passes its cache off as the
 * new bundle's.
 */
export interface LoadedBundle {
  main(argv: string[]): Promise<number>;
  /**
   * Which cache this run started from (the own one first, else the seed), and whether it was turned
   * down: made from another source, or rejected by V8.
   */
  readonly cache: { file: 'own' | 'seed' | 'none'; rejected: boolean };
  /** Writes the run-time cache if this run had none it could use. Never throws. */
  saveCache(): void;
}

// node:crypto through require, as the bundle loads it: an ESM import of it costs a few ms more at start-up.
const { createHash } = createRequire(import.meta.url)('node:crypto') as typeof Crypto;

export const cacheFileOf = (bundle: string): string => `${bundle}.cache`;
export const seedCacheFileOf = (bundle: string): string => `${bundle}.seed-cache`;

const MAGIC = Buffer.from('tscompose code cache 1\n', 'latin1');
const DIGEST_BYTES = 32;
/** What comes before V8's data in a cache file: the magic line and the source's SHA-256. */
const CACHE_HEADER_BYTES = MAGIC.length + DIGEST_BYTES;

export function loadBundle(bundle: string): LoadedBundle {
  const source = readSource(bundle);
  const ownFile = readOptional(cacheFileOf(bundle));
  const own = cachedDataFor(ownFile, source.digest);
  const seedFile = own === undefined ? readOptional(seedCacheFileOf(bundle)) : undefined;
  const seed = own === undefined ? cachedDataFor(seedFile, source.digest) : undefined;
  const { script, main } = compile(bundle, source.text, own ?? seed);
  const used = own !== undefined ? 'own' : seed !== undefined ? 'seed' : undefined;
  const tried = ownFile !== undefined ? 'own' : seedFile !== undefined ? 'seed' : 'none';
  return {
    main,
    cache: { file: used ?? tried, rejected: used === undefined ? tried !== 'none' : script.cachedDataRejected === true },
    saveCache() {
      if (used === 'own' && script.cachedDataRejected !== true) return;
      writeAtomically(cacheFileOf(bundle), () => withHeader(source.digest, script.createCachedData()));
    },
  };
}

/** Runs the bundle once per argv in this process, then writes what V8 compiled as the seed cache. */
export async function writeSeedCache(bundle: string, runs: string[][]): Promise<void> {
  rmSync(cacheFileOf(bundle), { force: true });
  rmSync(seedCacheFileOf(bundle), { force: true });
  const source = readSource(bundle);
  const { script, main } = compile(bundle, source.text, undefined);
  for (const argv of runs) await main(argv);
  process.exitCode = 0;
  writeAtomically(seedCacheFileOf(bundle), () => withHeader(source.digest, script.createCachedData()));
}

/** The bundle's text and the SHA-256 of its bytes (about a millisecond for the CLI's bundle). */
function readSource(bundle: string): { text: string; digest: Buffer } {
  const bytes = readFileSync(bundle);
  // The build makes the bundle pure ASCII, so latin1 reads it exactly, and faster than utf8.
  return { text: bytes.toString('latin1'), digest: createHash('sha256').update(bytes).digest() };
}

/** V8's data in a cache file made from the source with `digest`; undefined for any other file. */
function cachedDataFor(file: Buffer | undefined, digest: Buffer): Buffer | undefined {
  if (file === undefined || file.length <= CACHE_HEADER_BYTES) return undefined;
  if (!file.subarray(0, MAGIC.length).equals(MAGIC) || !file.subarray(MAGIC.length, CACHE_HEADER_BYTES).equals(digest)) return undefined;
  return file.subarray(CACHE_HEADER_BYTES);
}

const withHeader = (digest: Buffer, data: Buffer): Buffer => Buffer.concat([MAGIC, digest, data]);

type Main = (argv: string[]) => Promise<number>;

function compile(bundle: string, source: string, cachedData: Buffer | undefined): { script: Script; main: Main } {
  // The wrapper sits on a line of its own, which lineOffset takes away: positions in stack traces are
  // the bundle's own, as its source map expects.
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {\n${source}\n})`, {
    filename: bundle,
    lineOffset: -1,
    ...(cachedData === undefined ? {} : { cachedData }),
  });
  const module = { exports: {} as { main?: Main } };
  (script.runInThisContext() as (...args: unknown[]) => void)(module.exports, createRequire(bundle), module, bundle, dirname(bundle));
  const main = module.exports.main;
  if (typeof main !== 'function') throw new Error(`${bundle} exports no main function`);
  return { script, main };
}

function readOptional(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

function writeAtomically(file: string, data: () => Buffer): void {
  const staging = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(staging, data());
    renameSync(staging, file);
  } catch {
    // A read-only or concurrently replaced install: the next run compiles again, nothing else changes.
    try {
      rmSync(staging, { force: true });
    } catch {
      // Nothing was staged.
    }
  }
}
