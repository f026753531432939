/** What up/down report as they go: the CLI renders these (task list, plain lines or JSON). */
export type ProgressEvent =
  | { kind: 'action'; resource: string; status: 'working' | 'done' | 'failed'; text: string }
  | { kind: 'plan'; lines: string[] };

export type ProgressSink = (event: ProgressEvent) => void;
