import type { Project, ServiceConfig } from './model.js';

/**
 * Drops the networks, volumes, secrets and configs that no service of the project uses, as every
 * Compose command does unless `--all-resources` is given (after profiles and service selection,
 * so a resource only a disabled service uses goes too).
 */
export function withoutUnusedResources(project: Project): Project {
  const services = Object.values(project.services);
  const used = {
    networks: new Set(services.flatMap((s) => Object.keys(s.networks ?? {}))),
    volumes: new Set(services.flatMap(namedVolumes)),
    secrets: new Set(services.flatMap((s) => [...refs(s.secrets), ...refs(buildOf(s).secrets)])),
    configs: new Set(services.flatMap((s) => refs(s.configs))),
  };
  const out: Project = { ...project };
  for (const kind of ['networks', 'volumes', 'secrets', 'configs'] as const) {
    const declared = project[kind];
    if (declared === undefined) continue;
    const kept = Object.fromEntries(Object.entries(declared).filter(([name]) => used[kind].has(name)));
    if (Object.keys(kept).length > 0) (out as unknown as Record<string, unknown>)[kind] = kept;
    else delete (out as unknown as Record<string, unknown>)[kind];
  }
  return out;
}

function namedVolumes(service: ServiceConfig): string[] {
  return (service.volumes ?? []).filter((v) => v.type === 'volume' && v.source !== undefined).map((v) => v.source as string);
}

function refs(list: unknown): string[] {
  return Array.isArray(list) ? list.map((r) => (typeof r === 'string' ? r : String((r as { source?: unknown }).source ?? ''))) : [];
}

function buildOf(service: ServiceConfig): { secrets?: unknown } {
  return (service.build ?? {}) as { secrets?: unknown };
}
