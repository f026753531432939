import { Command } from 'commander';
import type { NetworkRecord } from '../../net/network-record.js';
import { engineOnly } from '../engine-only.js';
import type { GlobalOptions } from '../global-options.js';
import { table } from '../render/table.js';

/** `tscompose network …`: the bridge networks of this data root. */
export function networkCommand(global: () => GlobalOptions): Command {
  const network = new Command('network').description('Manage networks');
  network.command('ls')
    .description('List networks')
    .option('-q, --quiet', 'only show network ids')
    .action(async (flags: { quiet?: boolean }) => {
      const records = await (await engineOnly(global())).networks.bridges.list();
      if (flags.quiet === true) process.stdout.write(records.map((r) => `${r.id.slice(0, 12)}\n`).join(''));
      else process.stdout.write(table(['NETWORK ID', 'NAME', 'DRIVER', 'SCOPE'], records.map((r) => [r.id.slice(0, 12), r.name, r.driver, 'local'])));
    });
  network.command('inspect')
    .description('Show networks in detail, as JSON')
    .argument('<networks...>')
    .action(async (refs: string[]) => {
      const engine = await engineOnly(global());
      const ids = new Map((await engine.runtime.list()).map((c) => [c.name, c.id]));
      const records: NetworkRecord[] = [];
      for (const ref of refs) records.push(await engine.networks.bridges.store.get(ref));
      process.stdout.write(`${JSON.stringify(records.map((r) => inspectView(r, ids)), null, 2)}\n`);
    });
  network.command('rm')
    .description('Remove networks no container uses')
    .argument('<networks...>')
    .action(async (refs: string[]) => {
      const engine = await engineOnly(global());
      for (const ref of refs) process.stdout.write(`${(await engine.networks.bridges.remove(ref)).name}\n`);
    });
  network.command('prune')
    .description('Remove all networks no container uses, and what a crash left of removed containers')
    .action(async () => {
      const engine = await engineOnly(global());
      const live = new Set((await engine.runtime.list()).map((c) => c.name));
      await engine.networks.bridges.sweep((name) => !live.has(name));
      await engine.networks.sandboxes.sweep((name) => !live.has(name));
      const unused = (await engine.networks.bridges.list()).filter((r) => Object.keys(r.endpoints).length === 0);
      const removed: string[] = [];
      for (const record of unused) removed.push((await engine.networks.bridges.remove(record.id)).name);
      if (removed.length > 0) process.stdout.write(`Deleted Networks:\n${removed.map((n) => `${n}\n`).join('')}`);
    });
  return network;
}

/** A record in the shape `docker network inspect` prints. */
function inspectView(r: NetworkRecord, ids: ReadonlyMap<string, string>): Record<string, unknown> {
  const prefix = r.subnet.split('/')[1] ?? '32';
  return {
    Name: r.name,
    Id: r.id,
    Created: r.createdAt,
    Scope: 'local',
    Driver: r.driver,
    EnableIPv6: false,
    IPAM: { Driver: 'default', Options: {}, Config: [{ Subnet: r.subnet, Gateway: r.gateway, ...(r.ipRange === undefined ? {} : { IPRange: r.ipRange }) }] },
    Internal: r.internal,
    Attachable: r.attachable,
    Ingress: false,
    Containers: Object.fromEntries(Object.values(r.endpoints).map((e) => [ids.get(e.container) ?? e.container, {
      Name: e.container, MacAddress: e.mac, IPv4Address: `${e.ip}/${prefix}`, IPv6Address: '', Aliases: e.aliases, Interface: e.ifname,
    }])),
    Options: { ...r.options, 'com.docker.network.bridge.name': r.bridge, ...(r.mtu === undefined ? {} : { 'com.docker.network.driver.mtu': String(r.mtu) }) },
    Labels: r.labels,
  };
}
