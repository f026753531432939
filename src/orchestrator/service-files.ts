import type { FileObjectConfig, FileReferenceConfig, Project } from '../compose/model.js';
import { TscError } from '../errors/index.js';
import { fileMode } from './file-mode.js';

/** Where the content of a secret or config comes from. */
export type FileSource = { file: string } | { environment: string } | { content: string };

/** A secret or config written for one container and bind-mounted read-only at `target`. */
export interface FileRequest {
  kind: 'file';
  what: 'secret' | 'config';
  /** Its key in the top-level `secrets` / `configs` section. */
  name: string;
  target: string;
  uid: number;
  gid: number;
  mode: number;
  source: FileSource;
}

const DEFAULT_MODE = 0o444;

function id(value: string | undefined, what: string, path: string): number {
  if (value === undefined || value === '') return 0;
  if (!/^\d+$/.test(value.trim())) {
    throw new TscError('COMPOSE_INVALID', `${path}: invalid ${what} "${value}"`, { path, hint: `write the ${what} as a number, e.g. "1000"` });
  }
  return Number(value.trim());
}

/** Secrets go to /run/secrets/<name> (or under it when `target` is relative); configs to /<name>. */
function targetOf(what: 'secret' | 'config', ref: FileReferenceConfig): string {
  const base = what === 'secret' ? '/run/secrets' : '';
  const target = ref.target ?? ref.source;
  return target.startsWith('/') ? target : `${base}/${target}`;
}

function sourceOf(what: 'secret' | 'config', name: string, def: FileObjectConfig | undefined, path: string): FileSource {
  const section = `${what}s`;
  if (def === undefined) {
    throw new TscError('COMPOSE_REFERENCE', `${path}: ${what} "${name}" is not defined`, { path, hint: `define it in the top-level ${section} section` });
  }
  if (def.external === true) {
    throw new TscError('UNSUPPORTED', `${what} "${name}" is external: external ${section} need a swarm`, {
      path: `${section}.${name}.external`, hint: `give the ${what} a file${what === 'config' ? ', content' : ''} or environment source instead`,
    });
  }
  if (def.file !== undefined) return { file: def.file };
  if (def.environment !== undefined) return { environment: def.environment };
  if (def.content !== undefined && what === 'config') return { content: def.content };
  throw new TscError('COMPOSE_INVALID', `${what} "${name}" has no source`, {
    path: `${section}.${name}`, hint: `give it \`file\`${what === 'config' ? ', `content`' : ''} or \`environment\``,
  });
}

/** The service's secrets and configs as files to write and mount, in the order they are listed. */
export function fileReferenceRequests(project: Project, service: string): FileRequest[] {
  const config = project.services[service];
  const out: FileRequest[] = [];
  for (const what of ['secret', 'config'] as const) {
    const refs = (what === 'secret' ? config?.secrets : config?.configs) ?? [];
    refs.forEach((ref, index) => {
      const path = `services.${service}.${what}s[${index}]`;
      const mode = fileMode(ref.mode, DEFAULT_MODE);
      if (mode < 0 || mode > 0o7777) throw new TscError('COMPOSE_INVALID', `${path}: invalid mode ${ref.mode}`, { path, hint: 'write the mode in octal, e.g. 0440' });
      out.push({
        kind: 'file', what, name: ref.source, target: targetOf(what, ref),
        uid: id(ref.uid, 'uid', path), gid: id(ref.gid, 'gid', path), mode,
        source: sourceOf(what, ref.source, (what === 'secret' ? project.secrets : project.configs)?.[ref.source], path),
      });
    });
  }
  return out;
}
