import { stringify } from 'yaml';
import type { Project } from '../../compose/model.js';

const TOP_LEVEL_ORDER = ['name', 'services', 'networks', 'volumes', 'secrets', 'configs', 'models'];

/** Keys sorted as `docker compose config` prints them: top level in a fixed order, the rest sorted. */
export function orderProject(project: Project): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const rest = Object.keys(project).filter((k) => !TOP_LEVEL_ORDER.includes(k)).sort();
  for (const key of [...TOP_LEVEL_ORDER, ...rest]) {
    const value = (project as unknown as Record<string, unknown>)[key];
    if (value === undefined) continue;
    out[key] = key === 'name' ? value : sortDeep(value);
  }
  return out;
}

function sortDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortDeep);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = sortDeep(v);
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
