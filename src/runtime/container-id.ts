import { randomBytes } from 'node:crypto';

const ID = /^[0-9a-f]{64}$/;

/** A new container id: 64 lowercase hex digits, as Docker's. */
export function newContainerId(): string {
  return randomBytes(32).toString('hex');
}

export function isContainerId(value: string): boolean {
  return ID.test(value);
}

/** The first 12 digits: the default hostname, and what people type. */
export function shortId(id: string): string {
  return id.slice(0, 12);
}
