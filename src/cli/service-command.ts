import type { LoadOptions } from '../compose/loader.js';
import type { GlobalOptions } from './global-options.js';
import { projectContext, type ProjectContext } from './project-context.js';
import { withProjectLock } from './project-lock.js';

/**
 * What commands that act on existing containers load: every profile counts (a container of any
 * service is found), and the environment of services is not resolved, so a missing env_file of a
 * service nobody starts does not stop `stop` or `rm`.
 */
export const EXISTING: Partial<LoadOptions> = { profiles: ['*'], consistency: false, resolveEnvironment: false };

/** Loads the project and runs `work` under its lock (see {@link withProjectLock}). */
export async function lockedProject<T>(global: GlobalOptions, work: (context: ProjectContext) => Promise<T>, extra: Partial<LoadOptions> = EXISTING): Promise<T> {
  const context = await projectContext(global, extra);
  // The progress display draws its last frame before the command prints anything else or exits.
  return withProjectLock(context.engine.paths, context.loaded.project.name, () => work(context)).finally(() => context.engine.progress.close?.());
}
