import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { Script } from 'node:vm';

/**
 * Loads the CLI bundle (dist/bundle/main.cjs, a CommonJS file made by src/cli/bundle.js) through a
 * V8 code cache, so a run deserialises the functions it needs instead of parsing and compiling them.
 *
 * Two caches sit beside the bundle: `main.cjs.cache`, written by the first run that found none (or
 * found one this Node rejected), and `main.cjs.seed-cache`, written by the build from a few harmless
 * commands, used until the first one exists. A missing, unreadable or rejected cache only costs the
 * compile; writing one is best effort (a read-only install keeps working, from the seed).
 */
export interface LoadedBundle {
  main(argv: string[]): Promise<number>;
  /** Which cache this run started from, and whether V8 took it. */
  readonly cache: { file: 'own' | 'seed' | 'none'; rejected: boolean };
  /** Writes the run-time cache if this run had none that V8 accepted. Never throws. */
  saveCache(): void;
}

export const cacheFileOf = (bundle: string): string => `${bundle}.cache`;
export const seedCacheFileOf = (bundle: string): string => `${bundle}.seed-cache`;

export function loadBundle(bundle: string): LoadedBundle {
  const own = readOptional(cacheFileOf(bundle));
  const seed = own === undefined ? readOptional(seedCacheFileOf(bundle)) : undefined;
  const { script, main } = compile(bundle, own ?? seed);
  return {
    main,
    cache: { file: own !== undefined ? 'own' : seed !== undefined ? 'seed' : 'none', rejected: script.cachedDataRejected === true },
    saveCache() {
      if (own !== undefined && script.cachedDataRejected !== true) return;
      writeAtomically(cacheFileOf(bundle), () => script.createCachedData());
    },
  };
}

/** Runs the bundle once per argv in this process, then writes what V8 compiled as the seed cache. */
export async function writeSeedCache(bundle: string, runs: string[][]): Promise<void> {
  rmSync(cacheFileOf(bundle), { force: true });
  rmSync(seedCacheFileOf(bundle), { force: true });
  const { script, main } = compile(bundle, undefined);
  for (const argv of runs) await main(argv);
  process.exitCode = 0;
  writeAtomically(seedCacheFileOf(bundle), () => script.createCachedData());
}

type Main = (argv: string[]) => Promise<number>;

function compile(bundle: string, cachedData: Buffer | undefined): { script: Script; main: Main } {
  // The build makes the bundle pure ASCII, so latin1 reads it exactly, and faster than utf8.
  const source = readFileSync(bundle, 'latin1');
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
