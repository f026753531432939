import type { ImageConfigFile } from './oci-types.js';

/** An image's HEALTHCHECK; durations in nanoseconds as in the image config. */
export interface ImageHealthcheck {
  /** `["NONE"]`, `["CMD", ...]` or `["CMD-SHELL", "..."]`. */
  test: string[];
  intervalNs?: number;
  timeoutNs?: number;
  startPeriodNs?: number;
  startIntervalNs?: number;
  retries?: number;
}

/** The runtime defaults an image carries (the `config` object of the image config), typed. */
export interface ImageConfig {
  env: string[];
  entrypoint?: string[];
  cmd?: string[];
  workingDir?: string;
  user?: string;
  /** `80/tcp`, `53/udp`, ... */
  exposedPorts: string[];
  volumes: string[];
  healthcheck?: ImageHealthcheck;
  stopSignal?: string;
  labels: Record<string, string>;
}

type Raw = Record<string, unknown>;

function strings(value: unknown): string[] | undefined {
  return Array.isArray(value) && value.every((v) => typeof v === 'string') ? value : undefined;
}

function keys(value: unknown): string[] {
  return typeof value === 'object' && value !== null ? Object.keys(value).sort() : [];
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function number(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value !== 0 ? value : undefined;
}

function healthcheck(value: unknown): ImageHealthcheck | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const raw = value as Raw;
  const test = strings(raw.Test);
  if (test === undefined || test.length === 0) return undefined;
  const out: ImageHealthcheck = { test };
  const fields: [keyof ImageHealthcheck, string][] = [
    ['intervalNs', 'Interval'], ['timeoutNs', 'Timeout'], ['startPeriodNs', 'StartPeriod'],
    ['startIntervalNs', 'StartInterval'], ['retries', 'Retries'],
  ];
  for (const [key, source] of fields) {
    const n = number(raw[source]);
    if (n !== undefined) (out as unknown as Record<string, number>)[key] = n;
  }
  return out;
}

/** Read the runtime defaults of an image config, tolerating Docker's nulls and missing fields. */
export function imageConfigOf(file: ImageConfigFile): ImageConfig {
  const raw: Raw = file.config ?? {};
  const out: ImageConfig = {
    env: strings(raw.Env) ?? [],
    exposedPorts: keys(raw.ExposedPorts),
    volumes: keys(raw.Volumes),
    labels: {},
  };
  const entrypoint = strings(raw.Entrypoint);
  if (entrypoint !== undefined) out.entrypoint = entrypoint;
  const cmd = strings(raw.Cmd);
  if (cmd !== undefined) out.cmd = cmd;
  const workingDir = text(raw.WorkingDir);
  if (workingDir !== undefined) out.workingDir = workingDir;
  const user = text(raw.User);
  if (user !== undefined) out.user = user;
  const check = healthcheck(raw.Healthcheck);
  if (check !== undefined) out.healthcheck = check;
  const stopSignal = text(raw.StopSignal);
  if (stopSignal !== undefined) out.stopSignal = stopSignal;
  if (typeof raw.Labels === 'object' && raw.Labels !== null) {
    for (const [k, v] of Object.entries(raw.Labels)) if (typeof v === 'string') out.labels[k] = v;
  }
  return out;
}
