/**
 * Stable error codes. A code never changes meaning once released; tools and tests match on
 * codes, never on message text. Each maps to the process exit status the CLI returns.
 */
export const ERROR_CODES = {
  // Usage and the compose model (exit 15 as `docker compose` does for a bad file, 1 for usage).
  USAGE: 1,
  COMPOSE_FILE_NOT_FOUND: 14,
  COMPOSE_YAML: 15,
  COMPOSE_SCHEMA: 15,
  COMPOSE_INTERPOLATION: 15,
  COMPOSE_ENV_FILE: 15,
  COMPOSE_EXTENDS: 15,
  COMPOSE_INCLUDE: 15,
  COMPOSE_MERGE: 15,
  COMPOSE_INVALID: 15,
  COMPOSE_REFERENCE: 15,
  COMPOSE_CONFLICT: 15,
  COMPOSE_CYCLE: 15,
  COMPOSE_PROJECT_NAME: 15,
  COMPOSE_NO_SERVICE: 15,
  // Everything that touches the machine.
  NEEDS_ROOT: 1,
  IMAGE_NOT_FOUND: 18,
  IMAGE_INVALID: 18,
  IMAGE_IN_USE: 1,
  LAYER_UNSAFE: 18,
  PORT_IN_USE: 1,
  PORT_NOT_PUBLISHED: 1,
  CONTAINER_NOT_FOUND: 1,
  CONTAINER_BAD_STATE: 1,
  CONTAINER_START: 1,
  KERNEL: 1,
  KERNEL_EPERM: 1,
  NATIVE_MISSING: 1,
  STATE_CORRUPT: 1,
  LOCKED: 1,
  TIMEOUT: 1,
  SYSCTL_NOT_ALLOWED: 1,
  EXEC_FAILED: 126,
  SERVICE_NOT_RUNNING: 1,
  NETWORK_NOT_FOUND: 1,
  NETWORK_IN_USE: 1,
  NETWORK_CONFLICT: 1,
  NETWORK_POOL_EXHAUSTED: 1,
  VOLUME_NOT_FOUND: 1,
  VOLUME_IN_USE: 1,
  BIND_SOURCE_NOT_FOUND: 1,
  FILE_SOURCE_NOT_FOUND: 1,
  HEALTHCHECK_FAILED: 1,
  DEPENDENCY_FAILED: 1,
  SUPERVISOR: 1,
  UNSUPPORTED: 1,
  INTERNAL: 70,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export function exitStatusFor(code: ErrorCode): number {
  return ERROR_CODES[code];
}
