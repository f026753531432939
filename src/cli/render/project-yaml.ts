import { stringify } from 'yaml';
import type { Project } from '../../compose/model.js';
import type { ComposePath } from '../../compose/types.js';
import { printedForm } from './printed-form.js';

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

export function projectToYaml(project: Project): string {
  return stringify(orderProject(project), { indent: 2, lineWidth: 0, nullStr: 'null' });
}

export function projectToJson(project: Project): string {
  return `${JSON.stringify(orderProject(project), null, 2)}\n`;
}
