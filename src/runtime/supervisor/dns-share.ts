import { readdir, readFile, rmdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../../util/atomic-file.js';
import type { DnsNetworkSection } from './dns-section.js';

/** What one project gives a network's resolver: the names and addresses of its own endpoints on it. */
export interface DnsContribution {
  readonly project: string;
  /** Name → IPv4 addresses, as in {@link DnsNetworkSection.records}. */
  readonly records: Readonly<Record<string, readonly string[]>>;
  /** Container name → its address on the network. */
  readonly containers: Readonly<Record<string, string>>;
}

/** The union of every contribution to one network. */
export interface DnsMerged {
  readonly records: Readonly<Record<string, readonly string[]>>;
  readonly containers: Readonly<Record<string, string>>;
}

/**
 * The part of a network's section that `project` contributes: its own endpoints and those no project
 * claims. A section without `projects` (written before they were recorded) is taken whole.
 */
export function ownContribution(network: DnsNetworkSection, project: string): DnsContribution {
  const containers = Object.entries(network.containers ?? {}).filter(([c]) => {
    const owner = network.projects?.[c];
    return network.projects === undefined || owner === undefined || owner === project;
  });
  const own = new Set(containers.map(([, ip]) => ip));
  const keep = (ips: readonly string[]): readonly string[] => (network.projects === undefined ? ips : ips.filter((ip) => own.has(ip)));
  const records = Object.entries(network.records).map(([name, ips]) => [name, keep(ips)] as const).filter(([, ips]) => ips.length > 0);
  return { project, records: Object.fromEntries(records), containers: Object.fromEntries(containers) };
}

/** The union of addresses per name (names compare lower-cased), and every container's address. */
export function mergeContributions(all: readonly DnsContribution[]): DnsMerged {
  const records = new Map<string, string[]>();
  const containers: Record<string, string> = {};
  for (const one of [...all].sort((a, b) => a.project.localeCompare(b.project))) {
    for (const [name, ips] of Object.entries(one.records)) {
      const list = records.get(name.toLowerCase()) ?? [];
      for (const ip of ips) if (!list.includes(ip)) list.push(ip);
      records.set(name.toLowerCase(), list);
    }
    Object.assign(containers, one.containers);
  }
  return { records: Object.fromEntries(records), containers };
}

/**
 * `<runtime-root>/dns/<network>/<project>.json`: what each project on the machine contributes to each
 * network's resolver. Every project writes its own files (tmp + rename) and removes them when it stops
 * serving a network; a network's directory goes with its last file, the `dns` directory with its last
 * network. Files of projects whose supervisor does not run (`isLive`) are left out and removed.
 */
export class DnsShareDir {
  constructor(readonly root: string, readonly project: string, private readonly isLive: (project: string) => Promise<boolean>) {}

  /** The directory of a network's files (watched by the part). */
  dir(network: string): string {
    return join(this.root, segment(network));
  }

  private file(network: string): string {
    return join(this.dir(network), `${segment(this.project)}.json`);
  }

  /** Writes this project's contribution; a directory removed meanwhile by another project's last file is made again. */
  async write(network: string, contribution: DnsContribution): Promise<void> {
    const text = `${JSON.stringify(contribution)}\n`;
    for (let attempt = 1; ; attempt++) {
      try {
        return await writeFileAtomic(this.file(network), text, 0o644);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || attempt >= 5) throw err;
      }
    }
  }

  /** Whether this project's file of the network is there. */
  async has(network: string): Promise<boolean> {
    return readFile(this.file(network)).then(() => true, () => false);
  }

  /** Removes this project's file of the network, then the directories it leaves empty. */
  async remove(network: string): Promise<void> {
    await unlink(this.file(network)).catch(() => undefined);
    await this.prune(network);
  }

  /** The networks this project has a file for. */
  async networks(): Promise<string[]> {
    const found: string[] = [];
    for (const network of await entries(this.root)) {
      if ((await entries(join(this.root, network))).includes(`${segment(this.project)}.json`)) found.push(unsegment(network));
    }
    return found;
  }

  /** The directories of every network that has files now. */
  async networkDirs(): Promise<string[]> {
    return (await entries(this.root)).filter((n) => !n.startsWith('.')).map((n) => join(this.root, n));
  }

  /** Every network's merged contributions, from the files of running supervisors. */
  async readAll(): Promise<Map<string, DnsMerged>> {
    const live = new Map<string, Promise<boolean>>();
    const merged = new Map<string, DnsMerged>();
    for (const network of (await entries(this.root)).filter((n) => !n.startsWith('.')).map(unsegment)) {
      const all: DnsContribution[] = [];
      for (const name of (await entries(this.dir(network))).filter((f) => f.endsWith('.json') && !f.startsWith('.'))) {
        const project = unsegment(name.slice(0, -'.json'.length));
        if (project !== this.project) {
          if (!live.has(project)) live.set(project, this.isLive(project));
          if (!(await live.get(project))) {
            await unlink(join(this.dir(network), name)).catch(() => undefined);
            continue;
          }
        }
        const contribution = await readContribution(join(this.dir(network), name), project);
        if (contribution !== undefined) all.push(contribution);
      }
      if (all.length > 0) merged.set(network, mergeContributions(all));
      else await this.prune(network);
    }
    return merged;
  }

  private async prune(network: string): Promise<void> {
    await rmdir(this.dir(network)).catch(() => undefined);
    await rmdir(this.root).catch(() => undefined);
  }
}

async function entries(dir: string): Promise<string[]> {
  return readdir(dir).catch(() => []);
}

/** A contribution file, checked; one that is unreadable or malformed counts as absent. */
async function readContribution(path: string, project: string): Promise<DnsContribution | undefined> {
  try {
    const v = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
    const records = v.records as Record<string, unknown>;
    const containers = v.containers as Record<string, unknown>;
    const ok = v.project === project && typeof records === 'object' && records !== null &&
      Object.values(records).every((ips) => Array.isArray(ips) && ips.every((ip) => typeof ip === 'string')) &&
      typeof containers === 'object' && containers !== null && Object.values(containers).every((ip) => typeof ip === 'string');
    return ok ? (v as unknown as DnsContribution) : undefined;
  } catch {
    return undefined;
  }
}

/** A name as one path segment: never `/`, never a leading dot (temp files and `..` start with one). */
function segment(name: string): string {
  return encodeURIComponent(name).replace(/^\./, '%2E');
}

function unsegment(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
