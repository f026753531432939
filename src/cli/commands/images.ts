import type { ProjectImage } from '../../orchestrator/project-images.js';
import { Command, Option } from 'commander';
import type { GlobalOptions } from '../global-options.js';
import { projectContext } from '../project-context.js';
import { EXISTING } from '../service-command.js';
import { humanSize } from '../render/sizes.js';
import { table } from '../render/table.js';

interface ImagesFlags { quiet?: boolean; format: 'table' | 'json' }

export function imagesCommand(global: () => GlobalOptions): Command {
  return new Command('images')
    .description('List images used by the created containers')
    .argument('[services...]', 'only these services')
    .option('-q, --quiet', 'only display image IDs')
    .addOption(new Option('--format <format>', 'format the output').choices(['table', 'json']).default('table'))
    .action(async (services: string[], flags: ImagesFlags) => {
      const { projectImages } = await import('../../orchestrator/project-images.js');
      const { serviceContainers } = await import('../../orchestrator/select.js');
      const { loaded, engine } = await projectContext(global(), EXISTING);
      const containers = await serviceContainers(engine.runtime, loaded.project, services, { orphans: true });
      const images = await projectImages(containers, async (reference) => {
        const details = await engine.images.store.inspect(reference);
        return { id: details.id, size: details.size };
      });
      process.stdout.write(renderImages(images, flags));
    });
}

export function renderImages(images: readonly ProjectImage[], flags: ImagesFlags): string {
  const bare = (id: string | undefined): string => (id ?? '').replace(/^sha256:/, '');
  if (flags.quiet === true) return [...new Set(images.map((i) => bare(i.id)).filter((id) => id !== ''))].map((id) => `${id}\n`).join('');
  if (flags.format === 'json') {
    return `${JSON.stringify(images.map((i) => ({ ID: i.id ?? '', ContainerName: i.container, Repository: i.repository, Tag: i.tag, Size: i.size ?? 0 })), null, 2)}\n`;
  }
  const rows = images.map((i) => [i.container, i.repository, i.tag, bare(i.id).slice(0, 12) || '<missing>', i.size === undefined ? '' : humanSize(i.size)]);
  return table(['CONTAINER', 'REPOSITORY', 'TAG', 'IMAGE ID', 'SIZE'], rows);
}
