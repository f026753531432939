import { loadProject, type LoadedProject, type LoadOptions } from '../compose/loader.js';
import type { Engine } from '../api/engine.js';
import { engineOnly } from './engine-only.js';
import { loadOptionsFrom, type GlobalOptions } from './global-options.js';

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
  return { loaded, engine: await engineOnly(global) };
}
