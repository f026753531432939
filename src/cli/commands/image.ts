import { Command, Option } from 'commander';
import type { Engine } from '../../api/engine.js';
import type { ImageDetails } from '../../image/image-store.js';
import { pruneImages } from '../../image/prune-images.js';
import { familiarName, parseReference } from '../../image/reference.js';
import { engineOnly } from '../engine-only.js';
import type { GlobalOptions } from '../global-options.js';
import { table } from '../render/table.js';

/** `tscompose image …`: the local image store, without a registry. */
export function imageCommand(global: () => GlobalOptions): Command {
  const image = new Command('image').description('Manage images in the local store');
  image.command('load')
    .description('Load images from an OCI or docker-save archive (plain or gzip)')
    .requiredOption('-i, --input <file>', 'the archive to read')
    .option('-q, --quiet', 'print nothing')
    .action(async (flags: { input: string; quiet?: boolean }) => {
      const loaded = await (await engineOnly(global())).images.store.loadArchive(flags.input);
      if (flags.quiet === true) return;
      for (const img of loaded) process.stdout.write(`Loaded image: ${img.names.map((n) => familiarName(parseReference(n))).join(', ') || img.digest}\n`);
    });
  image.command('save')
    .description('Save images to an OCI archive')
    .argument('<images...>')
    .requiredOption('-o, --output <file>', 'the archive to write')
    .action(async (names: string[], flags: { output: string }) => {
      await (await engineOnly(global())).images.store.saveArchive(names, flags.output);
    });
  image.command('ls')
    .description('List images')
    .option('-q, --quiet', 'only show digests')
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json']).default('table'))
    .action(async (flags: { quiet?: boolean; format: string }) => {
      const images = await (await engineOnly(global())).images.store.list();
      if (flags.quiet === true) process.stdout.write(images.map((i) => `${i.digest}\n`).join(''));
      else if (flags.format === 'json') process.stdout.write(`${JSON.stringify(images, null, 2)}\n`);
      else {
        const rows = images.flatMap((i) => (i.names.length === 0 ? ['<none>'] : i.names).map((n) => [n === '<none>' ? n : familiarName(parseReference(n)), i.digest.slice(7, 19), formatSize(i.size)]));
        process.stdout.write(table(['IMAGE', 'DIGEST', 'SIZE'], rows));
      }
    });
  image.command('inspect')
    .description('Show an image in detail')
    .argument('<image>')
    .addOption(new Option('--format <format>', 'output format').choices(['json', 'pretty']).default('json'))
    .action(async (name: string, flags: { format: string }) => {
      const details = await (await engineOnly(global())).images.store.inspect(name);
      process.stdout.write(flags.format === 'json' ? `${JSON.stringify(details, null, 2)}\n` : prettyImage(details));
    });
  image.command('tag')
    .description('Give an image another name')
    .argument('<source>').argument('<target>')
    .action(async (source: string, target: string) => {
      await (await engineOnly(global())).images.store.tag(source, target);
    });
  image.command('rm')
    .description('Remove images')
    .argument('<images...>')
    .option('-f, --force', 'remove even when a container uses it')
    .action(async (names: string[], flags: { force?: boolean }) => {
      const engine = await engineOnly(global());
      const inUse = await imagesInUse(engine);
      for (const name of names) {
        await engine.images.store.remove(name, { force: flags.force === true, inUse });
        process.stdout.write(`Untagged: ${name}\n`);
      }
    });
  image.command('prune')
    .description('Remove images without a name that no container uses, and unpacked layers nothing refers to')
    .action(async () => {
      const engine = await engineOnly(global());
      const { store, layers, snapshots } = engine.images;
      const pruned = await pruneImages({ images: store, layers, snapshots }, { inUse: await imagesInUse(engine) });
      const lines = [...pruned.images.map((d) => `Deleted image: ${d}`), ...pruned.layers.map((d) => `Deleted layer: ${d}`)];
      process.stdout.write([...lines, `Total reclaimed space: ${formatSize(pruned.bytes)}`].map((l) => `${l}\n`).join(''));
    });
  return image;
}

/** Manifest digests of the images that containers (running or not) use. */
async function imagesInUse(engine: Engine): Promise<string[]> {
  return (await engine.runtime.list()).map((c) => c.image.digest ?? '').filter((d) => d !== '');
}

function prettyImage(d: ImageDetails): string {
  const list = (values: readonly string[] | undefined): string => (values === undefined || values.length === 0 ? '-' : values.join(' '));
  const rows: [string, string][] = [
    ['Names', d.names.length === 0 ? '<none>' : d.names.map((n) => familiarName(parseReference(n))).join(', ')],
    ['Digest', d.digest],
    ['Id', d.id],
    ['Created', d.created ?? '-'],
    ['Platform', `${d.os ?? '?'}/${d.architecture ?? '?'}`],
    ['Size', formatSize(d.size)],
    ['Entrypoint', list(d.config.entrypoint)],
    ['Cmd', list(d.config.cmd)],
    ['WorkingDir', d.config.workingDir ?? '-'],
    ['User', d.config.user ?? '-'],
    ['Env', list(d.config.env)],
    ['ExposedPorts', list(d.config.exposedPorts)],
    ['Volumes', list(d.config.volumes)],
    ['Labels', list(Object.entries(d.config.labels).map(([k, v]) => `${k}=${v}`))],
  ];
  const width = Math.max(...rows.map(([k]) => k.length)) + 2;
  const layers = d.layers.map((l, i) => `  ${String(i + 1).padStart(3)}  ${l.digest}  ${formatSize(l.size)}\n`).join('');
  return `${rows.map(([k, v]) => `${`${k}:`.padEnd(width)}${v}\n`).join('')}Layers:\n${layers}`;
}

function formatSize(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value.toFixed(unit === 0 ? 0 : 1)}${units[unit]}`;
}
