import { randomBytes } from 'node:crypto';
import { mkdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Project } from '../compose/model.js';
import { TscError } from '../errors/index.js';
import type { ContainerInfo } from '../runtime/container-info.js';
import type { MountSpec, VolumeMountSpec } from '../runtime/container-spec.js';
import { LABELS } from './labels.js';
import type { OrchestratorDeps } from './orchestrator-deps.js';
import type { FileRequest } from './service-files.js';
import { parseTmpfsOptions, targetOf, type MountRequest, type NamedVolumeRequest } from './service-mounts.js';

export interface MountContext {
  project: Project;
  service: string;
  /** The container being created. */
  container: string;
  deps: Pick<OrchestratorDeps, 'volumes' | 'runtime' | 'files' | 'progress'>;
  /** The image's layer directories, top first: what new volumes are filled from. */
  layers: readonly string[];
  /** Anonymous volumes of the container this one replaces, by target: reused as Compose does on recreate. */
  reuse?: ReadonlyMap<string, string>;
  /** Variables for secrets and configs with an `environment` source. */
  variables?: Readonly<Record<string, string>>;
  /** New anonymous volume names (64 hex digits). */
  newVolumeId?: () => string;
}

const exists = (path: string): Promise<boolean> => stat(path).then(() => true, () => false);
const depth = (m: MountSpec): number => m.target.split('/').filter((p) => p !== '').length;

/** An anonymous volume's name: 64 hex digits, as Docker names them. */
export function isAnonymousVolumeName(name: string): boolean {
  return /^[0-9a-f]{64}$/.test(name);
}

/**
 * Makes what the mount requests need (bind sources, volumes filled from the image, secret and config
 * files) and returns the container's mounts, parents before what is mounted inside them. A mount of
 * the service itself wins over one volumes_from brings to the same target.
 */
export async function prepareMounts(ctx: MountContext, requests: readonly MountRequest[]): Promise<MountSpec[]> {
  const own: MountSpec[] = [];
  const borrowed: MountSpec[] = [];
  let files = 0;
  for (const request of requests) {
    switch (request.kind) {
      case 'tmpfs':
        own.push(request.mount);
        break;
      case 'bind':
        await ensureBindSource(request.mount.source, request.create, ctx.service);
        own.push(request.mount);
        break;
      case 'volume':
        own.push(await namedVolume(ctx, request));
        break;
      case 'anonymous':
        own.push(await anonymousVolume(ctx, request.target, request.readonly, request.nocopy));
        break;
      case 'volumes-from':
        borrowed.push(...(await volumesFrom(ctx, request.from, request.mode)));
        break;
      case 'file':
        own.push(await fileMount(ctx, request, files++));
        break;
    }
  }
  const taken = new Set(requests.map(targetOf).filter((t) => t !== undefined));
  const mounts = [...own, ...borrowed.filter((m) => !taken.has(m.target.replace(/\/+$/, '') || '/'))];
  return mounts.map((m, i) => ({ m, i })).sort((a, b) => depth(a.m) - depth(b.m) || a.i - b.i).map(({ m }) => m);
}

async function ensureBindSource(source: string, create: boolean, service: string): Promise<void> {
  if (await exists(source)) return;
  if (!create) {
    throw new TscError('BIND_SOURCE_NOT_FOUND', `service "${service}": invalid mount config for type "bind": bind source path does not exist: ${source}`, {
      hint: 'create the path first, or set `bind: {create_host_path: true}` to have it made as a directory',
    });
  }
  await mkdir(source, { recursive: true });
}

async function namedVolume(ctx: MountContext, request: NamedVolumeRequest): Promise<MountSpec> {
  const { volumes } = ctx.deps;
  let path: string;
  let options: Record<string, string>;
  if (request.external) {
    const record = await volumes.inspect(request.name);
    if (record === undefined) {
      throw new TscError('VOLUME_NOT_FOUND', `external volume "${request.name}" not found`, {
        path: `volumes.${request.key}.external`, hint: `create it first with \`tscompose volume create ${request.name}\``,
      });
    }
    path = volumes.path(request.name);
    options = record.options ?? {};
  } else {
    const made = await volumes.ensureVolume(request.name, request.labels, { options: request.driverOpts });
    // As Compose shows it: a line for a volume this up made, none for one that was there.
    if (made.created) {
      ctx.deps.progress({ kind: 'action', resource: `volume ${request.name}`, status: 'working', text: 'Creating' });
      ctx.deps.progress({ kind: 'action', resource: `volume ${request.name}`, status: 'done', text: 'Created' });
    }
    path = made.path;
    options = made.record.options ?? {};
  }
  const base = { type: 'volume' as const, name: request.name, target: request.target, readonly: request.readonly };
  const driven = driverMount(request, options, { ...base, source: path });
  if (driven !== undefined) {
    if (driven.tmpfs === undefined && !request.nocopy) await volumes.fill(driven.source, ctx.layers, request.target);
    return driven;
  }
  if (request.subpath !== undefined) {
    const source = join(path, request.subpath);
    if (request.subpath.split('/').includes('..') || !(await exists(source))) {
      throw new TscError('BIND_SOURCE_NOT_FOUND', `volume "${request.name}": subpath "${request.subpath}" does not exist`, { hint: 'create the directory in the volume first' });
    }
    return { ...base, source };
  }
  if (!request.nocopy) await volumes.fill(path, ctx.layers, request.target);
  return { ...base, source: path };
}

/** The local driver's `driver_opts`: `type: tmpfs` (with `o`) or `type: none, o: bind, device: PATH`. */
function driverMount(request: NamedVolumeRequest, options: Record<string, string>, base: VolumeMountSpec): VolumeMountSpec | undefined {
  const type = options.type;
  if (type === undefined && options.device === undefined) return undefined;
  const hint = 'the local driver takes `type: tmpfs` (with `o: size=...`) or `type: none, o: bind, device: /path`';
  const fail = (message: string): TscError => new TscError('UNSUPPORTED', `volume "${request.name}": ${message}`, { path: `volumes.${request.key}.driver_opts`, hint });
  const o = options.o ?? '';
  if (type === 'tmpfs') {
    const settings = parseTmpfsOptions(o, fail);
    const tmpfs = {
      ...(settings.sizeBytes === undefined ? {} : { sizeBytes: settings.sizeBytes }),
      ...(settings.mode === undefined ? {} : { mode: settings.mode }),
      ...(settings.options === undefined ? {} : { options: settings.options }),
    };
    return { ...base, readonly: base.readonly === true || settings.readonly === true, tmpfs };
  }
  const flags = o.split(',').map((f) => f.trim());
  if ((type === 'none' || type === undefined) && flags.includes('bind') && options.device !== undefined) {
    if (!options.device.startsWith('/')) throw fail(`device "${options.device}" is not an absolute path`);
    return { ...base, source: options.device, readonly: base.readonly === true || flags.includes('ro') };
  }
  throw fail(`driver_opts type "${type ?? ''}" with o "${o}" is not supported`);
}

async function anonymousVolume(ctx: MountContext, target: string, readonly: boolean, nocopy: boolean): Promise<MountSpec> {
  const { volumes } = ctx.deps;
  const previous = ctx.reuse?.get(target);
  const name = previous !== undefined && (await volumes.inspect(previous)) !== undefined ? previous : (ctx.newVolumeId ?? (() => randomBytes(32).toString('hex')))();
  const made = await volumes.ensureVolume(name, { [LABELS.project]: ctx.project.name });
  if (made.created && !nocopy) await volumes.fill(made.path, ctx.layers, target);
  return { type: 'volume', name, source: made.path, target, readonly };
}

/** The bind and volume mounts of the first container of a service, or of a named container. */
async function volumesFrom(ctx: MountContext, from: { service: string } | { container: string }, mode: 'ro' | 'rw' | undefined): Promise<MountSpec[]> {
  let source: ContainerInfo | undefined;
  if ('container' in from) {
    source = await ctx.deps.runtime.inspect(from.container);
  } else {
    const all = await ctx.deps.runtime.list({ labels: { [LABELS.project]: ctx.project.name, [LABELS.service]: from.service } });
    source = all.filter((c) => c.labels[LABELS.oneoff] !== 'True').sort((a, b) => Number(a.labels[LABELS.number]) - Number(b.labels[LABELS.number]))[0];
    if (source === undefined) {
      throw new TscError('SERVICE_NOT_RUNNING', `service "${ctx.service}": volumes_from service "${from.service}" has no container`, {
        hint: `create it first: \`tscompose up ${from.service}\` (or leave out --no-deps)`,
      });
    }
  }
  return (source.spec.mounts ?? [])
    .filter((m) => m.type === 'bind' || m.type === 'volume')
    .map((m) => (mode === undefined ? m : { ...m, readonly: mode === 'ro' }));
}

async function fileMount(ctx: MountContext, request: FileRequest, index: number): Promise<MountSpec> {
  const subject = `${request.what} "${request.name}"`;
  let content: Buffer | string;
  if ('file' in request.source) {
    try {
      content = await readFile(request.source.file);
    } catch (err) {
      throw new TscError('FILE_SOURCE_NOT_FOUND', `${subject}: cannot read ${request.source.file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, {
        path: `${request.what}s.${request.name}.file`, hint: 'create the file, or fix its path (relative paths are from the project directory)', cause: err,
      });
    }
  } else if ('environment' in request.source) {
    const value = ctx.variables?.[request.source.environment];
    if (value === undefined) {
      throw new TscError('FILE_SOURCE_NOT_FOUND', `${subject}: environment variable ${request.source.environment} is not set`, {
        path: `${request.what}s.${request.name}.environment`, hint: `set ${request.source.environment} in the environment or the .env file`,
      });
    }
    content = value;
  } else {
    content = request.source.content;
  }
  if (ctx.deps.files === undefined) throw new TscError('INTERNAL', `${subject}: no place to write container files`);
  const safe = request.name.replace(/[^a-zA-Z0-9_.-]/g, '_');
  const host = await ctx.deps.files.write(ctx.container, `${request.what}s/${index}-${safe}`, content, { uid: request.uid, gid: request.gid, mode: request.mode });
  return { type: 'bind', source: host, target: request.target, readonly: true, recursive: false };
}
