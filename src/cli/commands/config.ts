import { writeFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { loadProject } from '../../compose/loader.js';
import { listProfiles } from '../../compose/profiles.js';
import { serviceHash } from '../../compose/service-hash.js';
import { listVariables } from '../../compose/variables.js';
import type { Project } from '../../compose/model.js';
import { TscError } from '../../errors/index.js';
import { loadOptionsFrom, type GlobalOptions } from '../global-options.js';
import { projectToJson, projectToYaml } from '../render/project-yaml.js';
import { table } from '../render/table.js';

interface ConfigOptions {
  format: 'yaml' | 'json';
  services?: boolean;
  volumes?: boolean;
  networks?: boolean;
  images?: boolean;
  profiles?: boolean;
  hash?: string;
  variables?: boolean;
  environment?: boolean;
  interpolate: boolean;
  consistency: boolean;
  quiet?: boolean;
  output?: string;
}

export function configCommand(global: () => GlobalOptions): Command {
  return new Command('config')
    .description('Parse, resolve and render the compose file in canonical format')
    .argument('[services...]', 'only these services (and what they depend on)')
    .addOption(new Option('--format <format>', 'output format').choices(['yaml', 'json']).default('yaml'))
    .option('--services', 'print the service names, one per line')
    .option('--volumes', 'print the volume names, one per line')
    .option('--networks', 'print the network names, one per line')
    .option('--images', 'print the image names, one per line')
    .option('--profiles', 'print the profile names, one per line')
    .option('--hash <services>', 'print the config hash of the services ("*" for all)')
    .option('--variables', 'print the variables the model uses and their defaults')
    .option('--environment', 'print the environment used for interpolation')
    .option('--no-interpolate', 'do not interpolate environment variables')
    .option('--no-consistency', 'do not check the model for consistency')
    .option('-q, --quiet', 'only validate the configuration, print nothing')
    .option('-o, --output <file>', 'write to this file instead of standard output')
    .action((services: string[], options: ConfigOptions) => {
      const out = renderConfig(global(), services, options);
      if (options.quiet === true) return;
      if (options.output !== undefined) writeFileSync(options.output, out);
      else process.stdout.write(out);
    });
}

function renderConfig(global: GlobalOptions, services: string[], options: ConfigOptions): string {
  const selected = services.length > 0 ? services : undefined;
  const loaded = loadProject(loadOptionsFrom(global, {
    services: selected,
    interpolate: options.interpolate,
    consistency: options.consistency,
    // Listing profiles must see every service, whatever is active.
    profiles: options.profiles === true ? ['*'] : global.profile,
  }));
  const project = loaded.project;
  if (options.variables === true) {
    const rows = listVariables(loaded.rawFiles).map((v) => [v.name, String(v.required), v.defaultValue ?? '', v.alternateValue ?? '']);
    return table(['NAME', 'REQUIRED', 'DEFAULT VALUE', 'ALTERNATE VALUE'], rows);
  }
  if (options.environment === true) {
    return Object.keys(loaded.variables).sort().map((k) => `${k}=${loaded.variables[k]}\n`).join('');
  }
  if (options.services === true) return lines(Object.keys(project.services));
  if (options.volumes === true) return lines(Object.keys(project.volumes ?? {}));
  if (options.networks === true) return lines(Object.keys(project.networks ?? {}));
  if (options.images === true) return lines(Object.entries(project.services).map(([name, s]) => s.image ?? `${project.name}-${name}`));
  if (options.profiles === true) return lines(listProfiles(project));
  if (options.hash !== undefined) return hashes(project, options.hash);
  return options.format === 'json' ? projectToJson(project) : projectToYaml(project);
}

function hashes(project: Project, spec: string): string {
  const names = spec === '*' ? Object.keys(project.services).sort() : spec.split(',').map((s) => s.trim());
  return names.map((name) => {
    const service = project.services[name];
    if (service === undefined) throw new TscError('COMPOSE_NO_SERVICE', `no such service: ${name}`, { hint: 'run `tscompose config --services` to list them' });
    return `${name} ${serviceHash(service)}\n`;
  }).join('');
}

function lines(items: string[]): string {
  return items.map((i) => `${i}\n`).join('');
}
