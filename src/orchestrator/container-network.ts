import type { Project, ServiceConfig } from '../compose/model.js';
import { TscError } from '../errors/index.js';
import type { Attachment } from '../net/bridge-networks.js';
import { renderHosts, renderResolvConf, resolveExtraHosts } from '../net/sandbox-files.js';
import type { SandboxFilePaths } from '../net/sandbox-store.js';
import type { ContainerInfo } from '../runtime/container-info.js';
import type { ContainerSpec, MountSpec } from '../runtime/container-spec.js';
import { LABELS } from './labels.js';
import type { NetworkProvider } from './network-provider.js';
import type { OrchestratorDeps } from './orchestrator-deps.js';
import { serviceNetworking } from './service-networks.js';

/**
 * Creates a service's container with its networking: for networks, a namespace with one endpoint per
 * network made first, then the container joining it by path, then its /etc/hosts, /etc/resolv.conf and
 * /etc/hostname written (the hostname defaults to the short id, known only now). On failure the
 * endpoints and files are released again. Without a network provider the spec is used as it is.
 */
export async function createWithNetwork(deps: OrchestratorDeps, project: Project, service: string, spec: ContainerSpec): Promise<ContainerInfo> {
  const net = deps.networks;
  if (net === undefined) return deps.runtime.create(spec);
  const networking = serviceNetworking(project, service);
  const config = project.services[service] as ServiceConfig;
  const paths = net.sandboxes.paths(spec.name);
  const release = async (): Promise<void> => {
    await net.bridges.detach(spec.name).catch(() => undefined);
    await net.sandboxes.remove(spec.name).catch(() => undefined);
  };
  try {
    switch (networking.mode) {
      case 'none':
        return await deps.runtime.create(spec);
      case 'host': {
        await net.sandboxes.write(spec.name, { hostname: '' });
        return await deps.runtime.create({ ...spec, network: 'host', mounts: withFiles(spec.mounts, paths, ['hosts', 'resolvConf']) });
      }
      case 'join': {
        if (!(await net.bridges.hasNetns(networking.container))) {
          throw new TscError('CONTAINER_NOT_FOUND', `service "${service}": network_mode needs container ${networking.container}, which has no network namespace`, {
            hint: 'create that container first (`tscompose up` orders services by network_mode: service:x)',
            path: `services.${service}.network_mode`,
          });
        }
        const theirs = net.sandboxes.paths(networking.container);
        return await deps.runtime.create({ ...spec, network: { path: net.bridges.netnsPath(networking.container) }, mounts: withFiles(spec.mounts, theirs, ['hosts', 'resolvConf']) });
      }
      case 'bridge': {
        const attachment = await net.bridges.attach({
          container: spec.name, endpoints: networking.endpoints,
          labels: { [LABELS.project]: project.name, [LABELS.service]: service },
        });
        const info = await deps.runtime.create({ ...spec, network: { path: attachment.netns }, mounts: withFiles(spec.mounts, paths, ['hosts', 'resolvConf', 'hostname']) });
        try {
          await writeFiles(net, service, config, spec, info, attachment);
        } catch (err) {
          await deps.runtime.remove(info.id, { force: true }).catch(() => undefined);
          throw err;
        }
        return info;
      }
    }
  } catch (err) {
    await release();
    throw err;
  }
}

async function writeFiles(net: NetworkProvider, service: string, config: ServiceConfig, spec: ContainerSpec, info: ContainerInfo, attachment: Attachment): Promise<void> {
  const first = attachment.endpoints[0];
  const hostname = spec.hostname ?? info.id.slice(0, 12);
  await net.sandboxes.write(spec.name, {
    hostname,
    hosts: renderHosts({
      hostname,
      ...(spec.domainname === undefined ? {} : { domainname: spec.domainname }),
      ...(first === undefined ? {} : { address: first.ip }),
      extraHosts: resolveExtraHosts(config.extra_hosts ?? {}, first?.gateway, service),
    }),
    resolvConf: renderResolvConf({
      nameservers: config.dns ?? (first === undefined ? [] : [first.gateway]),
      ...(config.dns_search === undefined ? {} : { search: config.dns_search }),
      ...(config.dns_opt === undefined ? {} : { options: config.dns_opt }),
    }),
  });
}

const TARGETS = { hosts: '/etc/hosts', resolvConf: '/etc/resolv.conf', hostname: '/etc/hostname' } as const;

/** The spec's mounts plus the network files, except where the service mounts something there itself. */
function withFiles(mounts: readonly MountSpec[] | undefined, paths: SandboxFilePaths, which: readonly (keyof SandboxFilePaths)[]): MountSpec[] {
  const own = mounts ?? [];
  const taken = new Set(own.map((m) => m.target.replace(/\/+$/, '')));
  const files = which.filter((k) => !taken.has(TARGETS[k])).map((k): MountSpec => ({ type: 'bind', source: paths[k], target: TARGETS[k], recursive: false }));
  return [...own, ...files];
}
