/**
 * The supervisor's socket speaks JSON lines: one request per line, one answer per line, in order.
 * `reload` answers once every part has reconciled the new config; `stop` answers, then the supervisor ends.
 */
export type SupervisorRequest = { readonly op: 'reload' } | { readonly op: 'status' } | { readonly op: 'stop' };

export type SupervisorResponse =
  | { readonly ok: true; readonly status?: SupervisorStatus }
  | { readonly ok: false; readonly error: { readonly code: string; readonly message: string } };

export interface SupervisorStatus {
  readonly project: string;
  readonly pid: number;
  /** RFC 3339. */
  readonly startedAt: string;
  /** Completed reloads, the one at start included. */
  readonly reloads: number;
  /** What each part reports of itself, by section. */
  readonly parts: Readonly<Record<string, unknown>>;
}

export function parseRequest(line: string): SupervisorRequest | undefined {
  try {
    const value = JSON.parse(line) as { op?: unknown };
    return value.op === 'reload' || value.op === 'status' || value.op === 'stop' ? (value as SupervisorRequest) : undefined;
  } catch {
    return undefined;
  }
}
