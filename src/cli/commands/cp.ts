import { Command } from 'commander';
import { LABELS } from '../../orchestrator/labels.js';
import { TscError } from '../../errors/index.js';
import type { ContainerInfo } from '../../runtime/container-info.js';
import type { GlobalOptions } from '../global-options.js';
import { parseCopyOperand } from '../parse-args.js';
import { projectContext } from '../project-context.js';
import { EXISTING } from '../service-command.js';

interface CpFlags { archive?: boolean; followLink?: boolean; index?: string; all?: boolean }

export function cpCommand(global: () => GlobalOptions): Command {
  return new Command('cp')
    .description('Copy files/folders between a service container and the local filesystem')
    .usage('[OPTIONS] SERVICE:SRC_PATH DEST_PATH | SRC_PATH SERVICE:DEST_PATH')
    .argument('<source>').argument('<dest>')
    .option('-a, --archive', 'archive mode (copy all uid/gid information)')
    .option('-L, --follow-link', 'always follow symbol link in SRC_PATH')
    .option('--index <n>', 'index of the container if the service has multiple replicas')
    .option('--all', 'include containers created by the run command')
    .action(async (source: string, dest: string, flags: CpFlags) => {
      const { containerFs, copyFromContainer, copyIntoContainer } = await import('../../orchestrator/copy.js');
      const { serviceContainers } = await import('../../orchestrator/select.js');
      const { step } = await import('../../orchestrator/up.js');
      const from = parseCopyOperand(source);
      const to = parseCopyOperand(dest);
      if ('service' in from === 'service' in to) {
        throw new TscError('USAGE', 'cp needs exactly one of its operands as SERVICE:PATH', { hint: 'e.g. `tscompose cp web:/etc/hosts ./hosts` or `tscompose cp ./file web:/tmp/`' });
      }
      const { loaded, engine } = await projectContext(global(), EXISTING);
      const service = 'service' in from ? from.service : 'service' in to ? to.service : '';
      const container = pick(await serviceContainers(engine.runtime, loaded.project, [service]), service, flags.index);
      const fs = containerFs(container);
      const options = { archive: flags.archive === true, followLink: flags.followLink === true, warn: (m: string) => process.stderr.write(`WARN ${m}\n`) };
      await step(engine, `${container.name} copy ${source} to ${dest}`, 'Copying', 'Copied', async () => {
        if ('service' in from && 'local' in to) await copyFromContainer(fs, from.path, to.local, options);
        else if ('local' in from && 'service' in to) await copyIntoContainer(fs, from.local, to.path, options);
      });
    });
}

function pick(containers: ContainerInfo[], service: string, index: string | undefined): ContainerInfo {
  if (containers.length === 0) throw new TscError('SERVICE_NOT_RUNNING', `service "${service}" has no container`, { hint: `create it with \`tscompose up -d ${service}\`` });
  const wanted = index === undefined ? undefined : Number(index);
  const chosen = wanted === undefined ? containers.find((c) => c.labels[LABELS.number] === '1') ?? containers[0] : containers.find((c) => Number(c.labels[LABELS.number]) === wanted);
  if (chosen === undefined) throw new TscError('CONTAINER_NOT_FOUND', `service "${service}" has no container number ${index ?? ''}`, { hint: 'see `tscompose ps -a` for the numbers' });
  return chosen;
}
