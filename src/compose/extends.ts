import { dirname, isAbsolute, join, relative } from 'node:path';
import { TscError } from '../errors/index.js';
import { toCanonical } from './canonical/index.js';
import { resolveServicePaths } from './defaults.js';
import { mergeDicts } from './merge/index.js';
import { isDict, type Dict } from './types.js';

export interface ExtendsContext {
  /** The file whose services are resolved. */
  file: string;
  /** Where `extends.file` paths of this file are relative to (normally the file's directory). */
  workingDir: string;
  /** Reads another compose file, parsed and interpolated. */
  load: (path: string) => Dict;
}

interface Scope {
  file: string;
  workingDir: string;
  services: Dict;
}

/**
 * Resolves `extends` for every service of one file, as Compose does: the referenced service (in the
 * same file, or in `extends.file` relative to this file) is resolved first, recursively, then the
 * local definition is merged over it with the usual merge rules, both in canonical form. Every
 * attribute is inherited (the Compose specification leaves it to the author to declare the
 * networks, volumes and services a base refers to). Relative paths of a service taken from another
 * file are made absolute against that file's directory. Cycles and unknown services are
 * `COMPOSE_EXTENDS` errors at `services.<name>.extends`.
 */
export function applyExtends(data: Dict, context: ExtendsContext): Dict {
  if (!isDict(data.services)) return data;
  const root: Scope = { file: context.file, workingDir: context.workingDir, services: data.services };
  const resolver = new ExtendsResolver(context);
  const services: Dict = {};
  for (const name of Object.keys(root.services)) services[name] = resolver.resolve(root, name, name, []);
  return { ...data, services };
}

class ExtendsResolver {
  private readonly resolved = new Map<string, unknown>();
  private readonly files = new Map<string, Dict>();

  constructor(private readonly context: ExtendsContext) {}

  resolve(scope: Scope, name: string, origin: string, chain: string[]): unknown {
    const service = scope.services[name];
    if (!isDict(service) || service.extends === undefined) return service;
    const key = `${scope.file}\u0000${name}`;
    const done = this.resolved.get(key);
    if (done !== undefined) return done;
    if (chain.includes(key)) throw this.circular([...chain, key], origin);
    const { extends: ref, ...local } = service;
    const { service: baseName, file } = this.reference(ref, name, origin);
    const baseScope = file === undefined ? scope : this.scopeOf(file, scope, name, origin);
    if (!Object.hasOwn(baseScope.services, baseName)) {
      const where = baseScope === scope ? '' : ` in ${this.show(baseScope.file)}`;
      throw new TscError('COMPOSE_EXTENDS', `cannot extend service "${name}": service "${baseName}" not found${where}`, {
        path: `services.${origin}.extends`,
        hint: `define service "${baseName}"${where}, or fix the name in extends`,
      });
    }
    const base = this.resolve(baseScope, baseName, origin, [...chain, key]);
    const merged = isDict(base) ? this.merge(name, local, scope, baseName, base, baseScope) : local;
    this.resolved.set(key, merged);
    return merged;
  }

  private merge(name: string, local: Dict, scope: Scope, baseName: string, base: Dict, baseScope: Scope): Dict {
    let canonicalBase = this.canonical(baseName, base, baseScope.file);
    if (baseScope.file !== scope.file) canonicalBase = resolveServicePaths(canonicalBase, baseScope.workingDir);
    const canonicalLocal = this.canonical(name, local, scope.file);
    const merged = mergeDicts({ services: { [name]: canonicalBase } }, { services: { [name]: canonicalLocal } });
    return (merged.services as Dict)[name] as Dict;
  }

  private reference(ref: unknown, name: string, origin: string): { service: string; file?: string } {
    if (typeof ref === 'string') return { service: ref };
    if (isDict(ref) && typeof ref.service === 'string') {
      return typeof ref.file === 'string' ? { service: ref.service, file: ref.file } : { service: ref.service };
    }
    throw new TscError('COMPOSE_EXTENDS', `cannot extend service "${name}": extends names no service`, {
      path: `services.${origin}.extends`,
      hint: 'write extends: base, or extends: {service: base, file: other.yaml}',
    });
  }

  private scopeOf(file: string, from: Scope, name: string, origin: string): Scope {
    const path = isAbsolute(file) ? file : join(from.workingDir, file);
    let data = this.files.get(path);
    if (data === undefined) {
      try {
        data = this.context.load(path);
      } catch (err) {
        if (err instanceof TscError) throw err.wrap(`cannot extend service "${name}"`, { path: `services.${origin}.extends.file` });
        throw err;
      }
      this.files.set(path, data);
    }
    if (!isDict(data.services)) {
      throw new TscError('COMPOSE_EXTENDS', `cannot extend service "${name}": ${this.show(path)} has no services`, {
        path: `services.${origin}.extends.file`,
        hint: 'extends.file must be a compose file with a services section',
      });
    }
    return { file: path, workingDir: dirname(path), services: data.services };
  }

  private circular(chain: string[], origin: string): TscError {
    const steps = chain.map((key) => {
      const [file = '', service = ''] = key.split('\u0000');
      return file === this.context.file ? service : `${this.show(file)}:${service}`;
    });
    return new TscError('COMPOSE_EXTENDS', `circular reference: ${steps.join(' -> ')}`, {
      path: `services.${origin}.extends`,
      hint: 'a service cannot extend itself, directly or through other services',
    });
  }

  /** A service in canonical form; errors in another file than the one resolved name that file. */
  private canonical(name: string, service: Dict, file: string): Dict {
    try {
      return (toCanonical({ services: { [name]: service } }, file).services as Dict)[name] as Dict;
    } catch (err) {
      throw err instanceof TscError && file !== this.context.file ? err.at({ file }) : err;
    }
  }

  private show(file: string): string {
    return isAbsolute(file) ? relative(this.context.workingDir, file) || file : file;
  }
}
