import { TscError } from '../../errors/index.js';
import type { ServiceConfig } from '../model.js';
import { formatPath } from '../types.js';
import { parseBytes } from '../canonical/bytes.js';
import { dig, isEmpty, numberOf } from './access.js';

/** `network_mode` decides the network namespace alone; `networks` cannot be added to it. */
export function checkNetworkMode(name: string, service: ServiceConfig): void {
  if (service.network_mode === undefined || service.network_mode === '' || isEmpty(service.networks)) return;
  throw new TscError('COMPOSE_CONFLICT', `service ${name} declares mutually exclusive \`network_mode\` and \`networks\``, {
    path: formatPath(['services', name, 'networks']),
    hint: `remove networks to use network_mode "${service.network_mode}", or remove network_mode to join networks`,
  });
}

interface Pair {
  short: string;
  long: string[];
  parse: (value: unknown) => number | undefined;
}

/** Attributes that Compose also accepts under `deploy`: where both are set they must agree. */
const PAIRS: Pair[] = [
  { short: 'scale', long: ['replicas'], parse: numberOf },
  { short: 'cpus', long: ['resources', 'limits', 'cpus'], parse: numberOf },
  { short: 'mem_limit', long: ['resources', 'limits', 'memory'], parse: bytesOf },
  { short: 'mem_reservation', long: ['resources', 'reservations', 'memory'], parse: bytesOf },
  { short: 'pids_limit', long: ['resources', 'limits', 'pids'], parse: numberOf },
];

/** `scale`/`cpus`/`mem_limit`/`mem_reservation`/`pids_limit` agree with their `deploy` counterparts. */
export function checkDeployAgreement(name: string, service: ServiceConfig): void {
  for (const { short, long, parse } of PAIRS) {
    const a = service[short];
    const b = dig(service.deploy, ...long);
    if (a === undefined || a === null || b === undefined || b === null) continue;
    const x = parse(a);
    const y = parse(b);
    if (x === undefined || y === undefined || x === y) continue;
    const where = `deploy.${long.join('.')}`;
    throw new TscError('COMPOSE_CONFLICT',
      `service "${name}" sets distinct values on '${short}' (${String(a)}) and '${where}' (${String(b)})`, {
        path: formatPath(['services', name, short]),
        hint: `set only one of ${short} and ${where}, or give both the same value`,
      });
  }
}

/** A fixed container name cannot be given to several containers of one service. */
export function checkContainerName(name: string, service: ServiceConfig): void {
  if (service.container_name === undefined || service.container_name === '') return;
  const scale = numberOf(service.scale);
  const replicas = numberOf(dig(service.deploy, 'replicas'));
  const count = scale ?? replicas ?? 1;
  if (count <= 1) return;
  const attribute = scale !== undefined ? 'scale' : 'deploy.replicas';
  throw new TscError('COMPOSE_CONFLICT',
    `service "${name}" can't set container_name "${service.container_name}" and ${attribute} ${count}: a container name must be unique`, {
      path: formatPath(['services', name, 'container_name']),
      hint: `remove container_name to let containers be named <project>-${name}-<n>, or set ${attribute} to 1`,
    });
}

function bytesOf(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  return typeof value === 'string' ? parseBytes(value) : undefined;
}
