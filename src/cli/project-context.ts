import { loadProject, type LoadedProject, type LoadOptions } from '../compose/loader.js';
import type { Engine } from '../api/engine.js';
import { resolveRoots } from '../state/paths.js';
import { loadOptionsFrom, processEnv, type GlobalOptions } from './global-options.js';
import { progressPrinter } from './render/progress.js';

export interface ProjectContext {
  loaded: LoadedProject;
  engine: Engine;
}

/**
 * Loads the project the global flags name and wires the engine for it. The engine is imported on
 * demand, so commands that need no runtime (config, version) never load it.
 */
export async function projectContext(global: GlobalOptions, extra: Partial<LoadOptions> = {}): Promise<ProjectContext> {
  const loaded = loadProject(loadOptionsFrom(global, extra));
  const { createEngine } = await import('../api/engine.js');
  const env = processEnv();
  const engine = createEngine(resolveRoots({ dataRoot: global.root, runtimeRoot: global.runtimeRoot }, (k) => env[k]), progressPrinter(global));
  return { loaded, engine };
}
