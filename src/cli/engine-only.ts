import type { Engine } from '../api/engine.js';
import { resolveRoots, type StateRoots } from '../state/paths.js';
import { processEnv, type GlobalOptions } from './global-options.js';
import { progressPrinter } from './render/progress.js';

/** The data and runtime roots the global flags (or TSCOMPOSE_ROOT / TSCOMPOSE_RUNTIME_ROOT) name. */
export function rootsOf(global: GlobalOptions): StateRoots {
  const env = processEnv();
  return resolveRoots({ dataRoot: global.root, runtimeRoot: global.runtimeRoot }, (k) => env[k]);
}

/**
 * The engine for the roots the global flags name, without a compose project. It is imported on
 * demand, so commands that need no runtime (config, version) never load it.
 */
export async function engineOnly(global: GlobalOptions): Promise<Engine> {
  const { createEngine } = await import('../api/engine.js');
  return createEngine(rootsOf(global), progressPrinter(global));
}
