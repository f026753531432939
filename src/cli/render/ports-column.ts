import { formatPublishedPort } from '../../net/ports/published-port.js';
import type { PortBinding } from '../../runtime/supervisor/ports-section.js';

/** Each container's published ports as `docker ps` shows them: `127.0.0.1:8080->80/tcp, ...`, by container name. */
export function portsColumn(bindings: readonly PortBinding[]): Map<string, string> {
  const byContainer = new Map<string, PortBinding[]>();
  for (const binding of bindings) byContainer.set(binding.container, [...(byContainer.get(binding.container) ?? []), binding]);
  const out = new Map<string, string>();
  for (const [container, list] of byContainer) {
    const sorted = [...list].sort((a, b) => a.containerPort - b.containerPort || a.protocol.localeCompare(b.protocol) || a.hostPort - b.hostPort);
    out.set(container, sorted.map(formatPublishedPort).join(', '));
  }
  return out;
}
