/** What up/down report as they go: the CLI renders these (task list, plain lines or JSON). */
export type ProgressEvent =
  | { kind: 'action'; resource: string; status: 'working' | 'done' | 'failed'; text: string }
  | { kind: 'plan'; lines: string[] };

export interface ProgressSink {
  (event: ProgressEvent): void;
  /**
   * Ends the display and resolves once it has drawn its last frame (a task list settles its tasks).
   * Commands call it before they print anything else or exit; sinks that draw line by line leave it out.
   */
  close?: () => Promise<void>;
}
