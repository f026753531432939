import { LABELS } from './labels.js';

/**
 * The labels that tie a container to where its project came from, as Compose sets them: `ls` shows
 * the config files, and tools find the working directory.
 */
export function projectLabels(workingDir: string, configFiles: readonly string[]): Record<string, string> {
  return { [LABELS.workingDir]: workingDir, [LABELS.configFiles]: configFiles.join(',') };
}
