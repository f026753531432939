import type { Engine } from '../api/engine.js';
import { resolveRoots } from '../state/paths.js';
import { processEnv, type GlobalOptions } from './global-options.js';
import { progressPrinter } from './render/progress.js';

/** The engine without a compose project, for commands that work across projects (`ls`). */
export async function engineOnly(global: GlobalOptions): Promise<Engine> {
  const { createEngine } = await import('../api/engine.js');
  const env = processEnv();
  return createEngine(resolveRoots({ dataRoot: global.root, runtimeRoot: global.runtimeRoot }, (k) => env[k]), progressPrinter(global));
}
