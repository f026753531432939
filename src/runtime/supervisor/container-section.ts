import { TscError } from '../../errors/index.js';

/** A section of supervisor.json that lists containers by id, each with one setting under `key`. */
export interface ContainerSection<K extends string, T> {
  readonly containers: readonly ({ readonly id: string } & { readonly [P in K]: T })[];
}

/**
 * Checks such a section as written: absent means no containers; anything that is not a list of
 * `{id, <key>}` entries whose setting passes `isSetting` is a SUPERVISOR error naming the section.
 */
export function parseContainerSection<K extends string, T>(section: string, key: K, isSetting: (v: unknown) => v is T, value: unknown): ContainerSection<K, T> {
  if (value === undefined) return { containers: [] };
  const containers = (value as { containers?: unknown }).containers;
  if (typeof value !== 'object' || value === null || !Array.isArray(containers)) throw badSection(section, '`containers` must be a list');
  containers.forEach((t: unknown, i) => {
    const target = t as Record<string, unknown>;
    if (typeof t !== 'object' || t === null || typeof target.id !== 'string' || !isSetting(target[key])) throw badSection(section, `entry ${i} is not {id, ${key}}`);
  });
  return value as ContainerSection<K, T>;
}

/** A SUPERVISOR error naming the section of supervisor.json that is not as written by `up`. */
export function badSection(section: string, what: string): TscError {
  return new TscError('SUPERVISOR', `supervisor.json: section \`${section}\`: ${what}`, { hint: 'the file is written by `tscompose up`; run it again' });
}
