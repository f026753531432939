import { join } from 'node:path';

/** Where tscompose keeps things: the data root (images, layers, volumes, containers) and the runtime root. */
export interface StateRoots {
  /** Default /var/lib/tscompose; `--root` / `TSCOMPOSE_ROOT`. */
  dataRoot: string;
  /** Default /run/tscompose; `--runtime-root` / `TSCOMPOSE_RUNTIME_ROOT`. */
  runtimeRoot: string;
}

export const DEFAULT_ROOTS: StateRoots = { dataRoot: '/var/lib/tscompose', runtimeRoot: '/run/tscompose' };

/** The on-disk layout of DESIGN.md, in one place. */
export class StatePaths {
  constructor(readonly roots: StateRoots) {}

  get images(): string { return join(this.roots.dataRoot, 'images'); }
  get layers(): string { return join(this.roots.dataRoot, 'layers'); }
  get snapshots(): string { return join(this.roots.dataRoot, 'snapshots'); }
  get volumes(): string { return join(this.roots.dataRoot, 'volumes'); }
  get containers(): string { return join(this.roots.dataRoot, 'containers'); }
  container(id: string): string { return join(this.containers, id); }
  volume(name: string): string { return join(this.volumes, name); }
  get netns(): string { return join(this.roots.runtimeRoot, 'netns'); }
  /** Network records (`<id>.json`) and, under `sandboxes/<container>/`, each container's hosts, resolv.conf and hostname. */
  get networks(): string { return join(this.roots.dataRoot, 'networks'); }
  get sandboxes(): string { return join(this.roots.dataRoot, 'networks', 'sandboxes'); }
  get locks(): string { return join(this.roots.runtimeRoot, 'locks'); }
  project(name: string): string { return join(this.roots.runtimeRoot, 'projects', name); }
  projectLock(name: string): string { return join(this.locks, `project-${name}.lock`); }
}

/** Roots from flags, then the environment, then the defaults. */
export function resolveRoots(flags: Partial<StateRoots>, lookup: (name: string) => string | undefined): StateRoots {
  return {
    dataRoot: flags.dataRoot ?? lookup('TSCOMPOSE_ROOT') ?? DEFAULT_ROOTS.dataRoot,
    runtimeRoot: flags.runtimeRoot ?? lookup('TSCOMPOSE_RUNTIME_ROOT') ?? DEFAULT_ROOTS.runtimeRoot,
  };
}
