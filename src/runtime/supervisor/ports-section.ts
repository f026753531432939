import { isIP } from 'node:net';
import type { PublishedPort } from '../../net/ports/published-port.js';
import { badSection } from './container-section.js';

/** The `ports` section of supervisor.json: every published port of the project. */
export interface PortsSection {
  readonly bindings: readonly PortBinding[];
}

/** A published port and where its proxy sends the traffic. */
export interface PortBinding extends PublishedPort {
  /** The container's address on its first network; absent while it has none (no proxy then). */
  readonly containerIp?: string;
}

const isPort = (v: unknown): boolean => Number.isInteger(v) && (v as number) > 0 && (v as number) <= 65535;

/** The section as written, checked; absent means nothing is published. */
export function parsePortsSection(value: unknown): PortsSection {
  if (value === undefined) return { bindings: [] };
  const bindings = (value as { bindings?: unknown }).bindings;
  if (typeof value !== 'object' || value === null || !Array.isArray(bindings)) throw badSection('ports', '`bindings` must be a list');
  bindings.forEach((b: unknown, i) => {
    const binding = b as Record<string, unknown>;
    const ok = typeof b === 'object' && b !== null && typeof binding.container === 'string' && typeof binding.service === 'string' &&
      typeof binding.hostIp === 'string' && isIP(binding.hostIp) !== 0 && isPort(binding.hostPort) && isPort(binding.containerPort) &&
      (binding.protocol === 'tcp' || binding.protocol === 'udp') &&
      (binding.containerIp === undefined || (typeof binding.containerIp === 'string' && isIP(binding.containerIp) !== 0));
    if (!ok) throw badSection('ports', `binding ${i} is not {container, service, hostIp, hostPort, containerPort, protocol, containerIp?}`);
  });
  return value as PortsSection;
}
