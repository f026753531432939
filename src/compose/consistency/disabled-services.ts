import type { Project, ServiceConfig } from '../model.js';

/**
 * Services that profiles turned off, remembered per Project object so that later stages can say
 * "disabled by profile x" instead of "undefined". Kept out of the Project itself, so it never
 * shows up in `config` output or in comparisons.
 */
const DISABLED = new WeakMap<Project, Readonly<Record<string, ServiceConfig>>>();

export function recordDisabledServices(project: Project, disabled: Readonly<Record<string, ServiceConfig>>): void {
  DISABLED.set(project, disabled);
}

/** The services of `project` that profiles disabled, by name (empty when none are known). */
export function disabledServices(project: Project): Readonly<Record<string, ServiceConfig>> {
  return DISABLED.get(project) ?? {};
}

/** The profiles of a service that profiles disabled, or undefined when it is not one. */
export function disabledProfiles(project: Project, name: string): string[] | undefined {
  const service = disabledServices(project)[name];
  return service === undefined ? undefined : (service.profiles ?? []);
}
