/**
 * Sets `target[key] = value` as an own, enumerable property, even for keys such as `__proto__`
 * that a plain assignment would treat specially. Data read from user files goes through this.
 */
export function defineKey(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}
