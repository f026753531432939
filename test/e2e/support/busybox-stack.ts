// Compose files of busybox services, as the end-to-end tests and benchmarks write them (no test runner needed).

const BUSYBOX = 'tscompose-test/busybox:latest';

export interface BusyboxService {
  /** A YAML flow sequence; default `["sleep", "600"]`. */
  readonly command?: string;
  /** Lines under `healthcheck:`. */
  readonly healthcheck?: readonly string[];
  readonly restart?: string;
  /** Stop with SIGKILL, so that down never waits; default true. */
  readonly killOnStop?: boolean;
  /** A service this one waits for to be healthy; `required: false` when optional. */
  readonly healthyDependency?: { readonly service: string; readonly optional?: boolean };
}

/** A compose file of busybox services. */
export function busyboxStack(services: Readonly<Record<string, BusyboxService>>): string {
  const lines = ['services:'];
  for (const [name, s] of Object.entries(services)) {
    lines.push(`  ${name}:`, `    image: ${BUSYBOX}`, `    command: ${s.command ?? '["sleep", "600"]'}`);
    if (s.restart !== undefined) lines.push(`    restart: ${s.restart}`);
    if (s.killOnStop !== false) lines.push('    stop_signal: SIGKILL');
    if (s.healthcheck !== undefined) lines.push('    healthcheck:', ...s.healthcheck.map((l) => `      ${l}`));
    const dep = s.healthyDependency;
    if (dep !== undefined) {
      lines.push('    depends_on:', `      ${dep.service}:`, '        condition: service_healthy');
      if (dep.optional === true) lines.push('        required: false');
    }
  }
  return `${lines.join('\n')}\n`;
}

/** Two services: `dependency` with the given command and healthcheck, and `dependent` gated on it being healthy. */
export function gatedStack(names: { dependency: string; dependent: string }, dependency: BusyboxService, optional = false): string {
  return busyboxStack({
    [names.dependency]: dependency,
    [names.dependent]: { healthyDependency: { service: names.dependency, optional } },
  });
}
