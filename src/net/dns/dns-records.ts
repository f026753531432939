/**
 * The names one network's resolver answers for: lower-cased name → IPv4 addresses. Lookups are
 * case-insensitive and ignore a trailing dot; each lookup of a name with several addresses returns
 * them rotated by one, so clients that take the first address spread over the replicas.
 */
export class DnsRecordTable {
  private readonly names = new Map<string, readonly string[]>();
  private readonly turns = new Map<string, number>();

  constructor(names: Readonly<Record<string, readonly string[]>>) {
    for (const [name, addresses] of Object.entries(names)) {
      const key = normalise(name);
      const merged = [...new Set([...(this.names.get(key) ?? []), ...addresses])];
      if (key !== '' && merged.length > 0) this.names.set(key, merged);
    }
  }

  get size(): number {
    return this.names.size;
  }

  has(name: string): boolean {
    return this.names.has(normalise(name));
  }

  /** The addresses of `name`, rotated one further than last time; undefined when unknown. */
  lookup(name: string): string[] | undefined {
    const key = normalise(name);
    const addresses = this.names.get(key);
    if (addresses === undefined) return undefined;
    const turn = this.turns.get(key) ?? 0;
    this.turns.set(key, (turn + 1) % addresses.length);
    return [...addresses.slice(turn), ...addresses.slice(0, turn)];
  }
}

function normalise(name: string): string {
  return name.trim().replace(/\.$/, '').toLowerCase();
}
