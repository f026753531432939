import { reachesBelow } from '../../compose/canonical/path-pattern.js';
import type { Project } from '../../compose/model.js';
import type { ComposePath } from '../../compose/types.js';
import { PRINTED_FORM, printedForm } from './printed-form.js';
import { emitYaml } from './yaml-emitter.js';

const TOP_LEVEL_ORDER = ['name', 'services', 'networks', 'volumes', 'secrets', 'configs', 'models'];

/**
 * The project as `docker compose config` prints it: keys sorted (the top level in a fixed order) and
 * the few attributes Compose prints in another form than the model holds (see printed-form.ts).
 */
export function orderProject(project: Project): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const rest = Object.keys(project).filter((k) => !TOP_LEVEL_ORDER.includes(k)).sort();
  for (const key of [...TOP_LEVEL_ORDER, ...rest]) {
    const value = (project as unknown as Record<string, unknown>)[key];
    if (value === undefined) continue;
    out[key] = key === 'name' ? value : sortDeep(value, [key]);
  }
  return out;
}

function sortDeep(value: unknown, path: ComposePath): unknown {
  // Below a path that no printed form reaches, values are only sorted.
  if (!reachesBelow(PRINTED_FORM, path)) return sortKeys(value);
  if (Array.isArray(value)) return value.map((item, index) => sortDeep(item, [...path, index]));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const childPath = [...path, key];
      const v = printedForm((value as Record<string, unknown>)[key], childPath);
      if (v !== undefined) out[key] = sortDeep(v, childPath);
    }
    return out;
  }
  return value;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = sortKeys(v);
    }
    return out;
  }
  return value;
}

export function projectToYaml(project: Project): string {
  return emitYaml(orderProject(project));
}

export function projectToJson(project: Project): string {
  return `${JSON.stringify(orderProject(project), null, 2)}\n`;
}
