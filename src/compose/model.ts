/**
 * The canonical Compose model: what the loader returns and `tscompose config --format json` prints.
 * Every short syntax is expanded, every relative path is absolute, and the shape follows what
 * `docker compose config` prints, so a Project can be printed as is. Keys not listed here are kept
 * (the index signatures), so nothing a user wrote is dropped.
 */
export interface Project {
  name: string;
  services: Record<string, ServiceConfig>;
  networks?: Record<string, NetworkConfig>;
  volumes?: Record<string, VolumeConfig>;
  secrets?: Record<string, FileObjectConfig>;
  configs?: Record<string, FileObjectConfig>;
  models?: Record<string, Record<string, unknown>>;
  [extension: `x-${string}`]: unknown;
}

export interface ServiceConfig {
  image?: string;
  build?: BuildConfig;
  command?: string[] | null;
  entrypoint?: string[] | null;
  environment?: Record<string, string | null>;
  env_file?: EnvFileConfig[];
  labels?: Record<string, string>;
  ports?: PortConfig[];
  expose?: string[];
  volumes?: ServiceVolumeConfig[];
  tmpfs?: string[];
  networks?: Record<string, ServiceNetworkConfig | null>;
  network_mode?: string;
  depends_on?: Record<string, DependsOnConfig>;
  healthcheck?: HealthcheckConfig;
  restart?: string;
  profiles?: string[];
  secrets?: FileReferenceConfig[];
  configs?: FileReferenceConfig[];
  /** A single number sets both limits. */
  ulimits?: Record<string, UlimitConfig | number>;
  extra_hosts?: Record<string, string[]>;
  devices?: DeviceConfig[];
  dns?: string[];
  dns_search?: string[];
  dns_opt?: string[];
  cap_add?: string[];
  cap_drop?: string[];
  container_name?: string;
  hostname?: string;
  domainname?: string;
  user?: string;
  working_dir?: string;
  init?: boolean;
  privileged?: boolean;
  read_only?: boolean;
  /** Keep the container's stdin open (a pipe fed by attached clients). */
  stdin_open?: boolean;
  /** Give the container a pseudo-terminal. */
  tty?: boolean;
  stop_signal?: string;
  stop_grace_period?: string;
  scale?: number;
  pull_policy?: string;
  mem_limit?: number | string;
  memswap_limit?: number | string;
  cpus?: number | string;
  cpu_shares?: number | string;
  cpuset?: string;
  pids_limit?: number | string;
  sysctls?: Record<string, string>;
  security_opt?: string[];
  volumes_from?: string[];
  links?: string[];
  logging?: { driver?: string; options?: Record<string, string> };
  deploy?: Record<string, unknown>;
  develop?: Record<string, unknown>;
  extends?: never;
  [key: string]: unknown;
}

export interface BuildConfig {
  context: string;
  dockerfile?: string;
  dockerfile_inline?: string;
  args?: Record<string, string | null>;
  target?: string;
  [key: string]: unknown;
}

export interface EnvFileConfig {
  path: string;
  required: boolean;
  format?: string;
}

export interface PortConfig {
  name?: string;
  mode: string;
  host_ip?: string;
  target: number;
  /** A single port or a range, as a string (`"8080"`, `"9000-9010"`), as Compose prints it. */
  published?: string;
  protocol: string;
  app_protocol?: string;
}

export interface ServiceVolumeConfig {
  type: 'bind' | 'volume' | 'tmpfs' | 'npipe' | 'cluster' | 'image';
  source?: string;
  target: string;
  read_only?: boolean;
  consistency?: string;
  bind?: { propagation?: string; create_host_path?: boolean; selinux?: string; recursive?: string };
  volume?: { nocopy?: boolean; subpath?: string; labels?: Record<string, string> };
  tmpfs?: { size?: number | string; mode?: number };
  image?: { subpath?: string };
  [key: string]: unknown;
}

export interface ServiceNetworkConfig {
  aliases?: string[];
  ipv4_address?: string;
  ipv6_address?: string;
  mac_address?: string;
  priority?: number;
  gw_priority?: number;
  driver_opts?: Record<string, string>;
  link_local_ips?: string[];
  interface_name?: string;
  [key: string]: unknown;
}

export type DependsOnCondition = 'service_started' | 'service_healthy' | 'service_completed_successfully';

export interface DependsOnConfig {
  condition: DependsOnCondition;
  required: boolean;
  restart?: boolean;
}

export interface HealthcheckConfig {
  test?: string[];
  interval?: string;
  timeout?: string;
  retries?: number;
  start_period?: string;
  start_interval?: string;
  disable?: boolean;
}

export interface FileReferenceConfig {
  source: string;
  target?: string;
  uid?: string;
  gid?: string;
  mode?: number;
}

export interface UlimitConfig {
  soft: number;
  hard: number;
}

export interface DeviceConfig {
  source: string;
  target: string;
  permissions: string;
}

export interface NetworkConfig {
  name?: string;
  driver?: string;
  driver_opts?: Record<string, string>;
  external?: boolean;
  internal?: boolean;
  attachable?: boolean;
  enable_ipv6?: boolean;
  ipam?: { driver?: string; config?: Array<Record<string, unknown>>; options?: Record<string, string> };
  labels?: Record<string, string>;
  [key: string]: unknown;
}

export interface VolumeConfig {
  name?: string;
  driver?: string;
  driver_opts?: Record<string, string>;
  external?: boolean;
  labels?: Record<string, string>;
  [key: string]: unknown;
}

export interface FileObjectConfig {
  name?: string;
  file?: string;
  environment?: string;
  content?: string;
  external?: boolean;
  labels?: Record<string, string>;
  [key: string]: unknown;
}
