import type { EventSubject } from './events-log.js';
import type { OrchestratorDeps } from './orchestrator-deps.js';

/**
 * Appends an event about a container (given, or looked up by id) to the project's event log. The log
 * is a record for `tscompose events`: failing to write it never fails the command.
 */
export async function recordEvent(deps: Pick<OrchestratorDeps, 'events' | 'runtime'>, action: string, container: EventSubject | string): Promise<void> {
  if (deps.events === undefined) return;
  try {
    const subject = typeof container === 'string' ? await deps.runtime.inspect(container) : container;
    await deps.events.record(action, subject);
  } catch {
    // The container is gone or the log cannot be written: the event is lost, the command goes on.
  }
}
