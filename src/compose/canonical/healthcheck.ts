/**
 * `healthcheck.test`: a string runs in the container's shell, `["CMD-SHELL", string]`; lists
 * (`["CMD", ...]`, `["CMD-SHELL", ...]`, `["NONE"]`) are kept. `disable: true` is kept as written.
 */
export function canonicalHealthcheckTest(value: unknown): unknown {
  return typeof value === 'string' ? ['CMD-SHELL', value] : value;
}
