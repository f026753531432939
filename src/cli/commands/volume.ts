import { Command, Option } from 'commander';
import { TscError } from '../../errors/index.js';
import { createVolume, inspectVolume, pruneVolumes, removeVolumes, volumeDetails, volumeUsers } from '../../orchestrator/volume-admin.js';
import type { VolumeRecord } from '../../volume/local-volumes.js';
import { engineOnly } from '../engine-only.js';
import { collect } from '../parse-args.js';
import type { GlobalOptions } from '../global-options.js';
import { humanSize } from '../render/sizes.js';
import { table } from '../render/table.js';

/** `KEY=VALUE` entries (a bare `KEY` is an empty value) as a map. */
function keyValues(entries: string[] | undefined, flag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of entries ?? []) {
    const at = entry.indexOf('=');
    const key = at < 0 ? entry : entry.slice(0, at);
    if (key === '') throw new TscError('USAGE', `invalid ${flag} "${entry}"`, { hint: `write ${flag} KEY=VALUE` });
    out[key] = at < 0 ? '' : entry.slice(at + 1);
  }
  return out;
}

/** `--filter dangling=true|false`, `label=KEY[=VALUE]`, `name=PART`, as Docker's. */
function matches(record: VolumeRecord, filters: string[], used: Map<string, string[]>): boolean {
  return filters.every((filter) => {
    const at = filter.indexOf('=');
    const key = filter.slice(0, at < 0 ? undefined : at);
    const value = at < 0 ? '' : filter.slice(at + 1);
    if (key === 'dangling') return (value === 'true' || value === '1') === !used.has(record.name);
    if (key === 'name') return record.name.includes(value);
    if (key === 'label') {
      const eq = value.indexOf('=');
      return eq < 0 ? record.labels[value] !== undefined : record.labels[value.slice(0, eq)] === value.slice(eq + 1);
    }
    throw new TscError('USAGE', `invalid filter "${filter}"`, { hint: 'filter by dangling=true|false, label=KEY[=VALUE] or name=PART' });
  });
}

/** `tscompose volume …`: the local driver's volumes, as `docker volume` shows them. */
export function volumeCommand(global: () => GlobalOptions): Command {
  const volume = new Command('volume').description('Manage volumes');
  volume.command('ls').alias('list')
    .description('List volumes')
    .option('-q, --quiet', 'only show volume names')
    .option('-f, --filter <filter>', 'filter output (dangling=true, label=KEY[=VALUE], name=PART)', collect)
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json']).default('table'))
    .action(async (flags: { quiet?: boolean; filter?: string[]; format: string }) => {
      const engine = await engineOnly(global());
      const used = await volumeUsers(engine.runtime);
      const records = (await engine.volumes.list()).filter((r) => matches(r, flags.filter ?? [], used));
      if (flags.quiet === true) process.stdout.write(records.map((r) => `${r.name}\n`).join(''));
      else if (flags.format === 'json') process.stdout.write(records.map((r) => `${JSON.stringify(volumeDetails(engine.volumes, r))}\n`).join(''));
      else process.stdout.write(table(['DRIVER', 'VOLUME NAME'], records.map((r) => [r.driver ?? 'local', r.name])));
    });
  volume.command('inspect')
    .description('Show volumes in detail')
    .argument('<volumes...>')
    .action(async (names: string[]) => {
      const engine = await engineOnly(global());
      const details = [];
      for (const name of names) details.push(await inspectVolume(engine, name));
      process.stdout.write(`${JSON.stringify(details, null, 4)}\n`);
    });
  volume.command('create')
    .description('Create a volume')
    .argument('[name]')
    .option('-d, --driver <driver>', 'volume driver', 'local')
    .option('--label <label>', 'set a label KEY=VALUE (repeatable)', collect)
    .option('-o, --opt <option>', 'set a driver option KEY=VALUE: type, o, device (repeatable)', collect)
    .action(async (name: string | undefined, flags: { driver: string; label?: string[]; opt?: string[] }) => {
      const engine = await engineOnly(global());
      const record = await createVolume(engine, name, { driver: flags.driver, labels: keyValues(flags.label, '--label'), opts: keyValues(flags.opt, '--opt') });
      process.stdout.write(`${record.name}\n`);
    });
  volume.command('rm').alias('remove')
    .description('Remove volumes that no container uses')
    .argument('<volumes...>')
    .option('-f, --force', 'do not fail on volumes that do not exist')
    .action(async (names: string[], flags: { force?: boolean }) => {
      const engine = await engineOnly(global());
      const removed = await removeVolumes(engine, names, { force: flags.force === true });
      process.stdout.write(removed.map((n) => `${n}\n`).join(''));
    });
  volume.command('prune')
    .description('Remove unused anonymous volumes (all unused ones with --all)')
    .option('-a, --all', 'remove every unused volume, not only anonymous ones')
    .option('-f, --force', 'do not prompt for confirmation')
    .action(async (flags: { all?: boolean }) => {
      const engine = await engineOnly(global());
      const { removed, bytes } = await pruneVolumes(engine, { all: flags.all === true });
      const list = removed.length === 0 ? '' : `Deleted Volumes:\n${removed.map((n) => `${n}\n`).join('')}\n`;
      process.stdout.write(`${list}Total reclaimed space: ${humanSize(bytes, 4)}\n`);
    });
  return volume;
}
