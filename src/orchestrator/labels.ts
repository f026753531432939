/** The `com.docker.compose.*` labels tscompose puts on what it creates, so tools that know Compose understand them. */
export const LABELS = {
  project: 'com.docker.compose.project',
  service: 'com.docker.compose.service',
  number: 'com.docker.compose.container-number',
  configHash: 'com.docker.compose.config-hash',
  oneoff: 'com.docker.compose.oneoff',
  image: 'com.docker.compose.image',
  workingDir: 'com.docker.compose.project.working_dir',
  configFiles: 'com.docker.compose.project.config_files',
  dependsOn: 'com.docker.compose.depends_on',
  version: 'com.docker.compose.version',
} as const;

/** The image of a service: its `image:`, else the one Compose builds for it, `<project>-<service>`. */
export function imageReference(project: { readonly name: string; readonly services: Readonly<Record<string, { readonly image?: string }>> }, service: string): string {
  return project.services[service]?.image ?? `${project.name}-${service}`;
}

/** `<project>-<service>-<n>`, or the service's container_name. */
export function containerName(project: string, service: string, number: number, containerNameField?: string): string {
  return containerNameField ?? `${project}-${service}-${number}`;
}
