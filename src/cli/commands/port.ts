import { Command, Option } from 'commander';
import { TscError } from '../../errors/index.js';
import { LABELS } from '../../orchestrator/labels.js';
import { projectPublishedPorts } from '../../orchestrator/supervisor-publisher.js';
import type { GlobalOptions } from '../global-options.js';
import { parseIndex } from '../parse-args.js';
import { projectContext } from '../project-context.js';
import { EXISTING } from '../service-command.js';

interface PortFlags { protocol: 'tcp' | 'udp'; index: number }

/** `port SERVICE PRIVATE_PORT`: the host address a container port is published on, as `host_ip:port`. */
export function portCommand(global: () => GlobalOptions): Command {
  return new Command('port')
    .description('Print the public port for a port binding')
    .argument('<service>', 'the service')
    .argument('<private_port>', 'the container port')
    .addOption(new Option('--protocol <protocol>', 'tcp or udp').choices(['tcp', 'udp']).default('tcp'))
    .option('--index <n>', 'the replica, when the service has several', parseIndex, 1)
    .action(async (service: string, privatePort: string, flags: PortFlags) => {
      const port = Number(privatePort);
      const index = flags.index;
      if (!Number.isInteger(port) || port < 1 || port > 65535) throw new TscError('USAGE', `invalid port ${JSON.stringify(privatePort)}`, { hint: 'give the container port as a number, e.g. 80' });
      const { loaded, engine } = await projectContext(global(), EXISTING);
      const project = loaded.project.name;
      // As Compose: the service's container of that number first, then its one-offs (`run`), the newest first.
      const candidates = await engine.runtime.list({ labels: { [LABELS.project]: project, [LABELS.service]: service, [LABELS.number]: String(index) } });
      const oneOff = (c: { labels: Record<string, string> }): number => (c.labels[LABELS.oneoff] === 'True' ? 1 : 0);
      const container = candidates.sort((a, b) => oneOff(a) - oneOff(b) || b.createdAt.localeCompare(a.createdAt))[0];
      if (container === undefined) {
        throw new TscError('SERVICE_NOT_RUNNING', `service "${service}" has no container number ${index}`, { hint: 'run `tscompose ps -a` to see the containers of the project' });
      }
      const binding = (await projectPublishedPorts(engine, project)).find((b) => b.container === container.name && b.containerPort === port && b.protocol === flags.protocol);
      if (binding === undefined) {
        throw new TscError('PORT_NOT_PUBLISHED', `no port ${port}/${flags.protocol} is published for container ${container.name}`, { hint: `publish it with \`ports\` in the service "${service}"` });
      }
      process.stdout.write(`${binding.hostIp.includes(':') ? `[${binding.hostIp}]` : binding.hostIp}:${binding.hostPort}\n`);
    });
}
