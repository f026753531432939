import chalk from 'chalk';
import { DefaultRenderer, Listr, ListrDefaultRendererLogLevels, ListrLogger, ProcessOutput, Spinner, figures, type LoggerFormat } from 'listr2';
import type { ProgressEvent, ProgressSink } from '../../orchestrator/events.js';
import { GrowingTaskList } from './growing-task-list.js';
import { resourceLabel } from './resource-label.js';
import { ResourceTask } from './resource-task.js';

export interface TtyProgressOptions {
  /** Where the list is drawn: stderr in the CLI. */
  stream: NodeJS.WritableStream;
  now?: () => number;
}

/**
 * listr2's default renderer on the stream it is given, whether or not stdout is a terminal: `--progress`
 * chose the display, so listr2's own look at stdout must not swap it for the line-by-line renderer.
 */
class StreamRenderer extends DefaultRenderer {
  static override nonTTY = true;
}

/** The renderer's spinner on a timer that does not keep the process alive on its own. */
class BackgroundSpinner extends Spinner {
  private timer: NodeJS.Timeout | undefined;

  override start(onTick?: () => void, interval = 100): void {
    this.timer = setInterval(() => {
      this.spin();
      onTick?.();
    }, interval);
    this.timer.unref();
  }

  override stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  override isRunning(): boolean {
    return this.timer !== undefined;
  }
}

interface ListRun {
  tasks: GrowingTaskList;
  resources: Map<string, ResourceTask>;
}

/**
 * Progress as a listr2 task list: one task per resource (network, volume, container), added as the
 * plan unfolds, with its steps as subtasks while it works, titled as Compose prints it. The list
 * starts with the first event and ends with {@link close}; an event after that starts a new list
 * below it (attached `up` stopping the stack after Ctrl-C). While the list is drawn, listr2 holds
 * back other writes to the stream and prints them below the final frame. A list nobody closed is
 * closed when the process has nothing else to do, so its last frame is drawn and the cursor shown.
 */
export class TtyProgress {
  readonly sink: ProgressSink;
  private current: ListRun | undefined;
  private drawing: Promise<void> = Promise.resolve();
  private readonly now: () => number;
  private readonly closeOnExit = (): void => void this.close();

  constructor(private readonly options: TtyProgressOptions) {
    this.now = options.now ?? Date.now;
    const sink: ProgressSink = (event) => this.accept(event);
    sink.close = () => this.close();
    this.sink = sink;
  }

  /** Settles every task with the resource's last state and resolves once the final frame is drawn. */
  async close(): Promise<void> {
    const run = this.current;
    this.current = undefined;
    if (run !== undefined) {
      process.off('beforeExit', this.closeOnExit);
      for (const resource of run.resources.values()) resource.end();
      run.tasks.end();
    }
    await this.drawing;
  }

  private accept(event: ProgressEvent): void {
    if (event.kind === 'plan') {
      this.options.stream.write(event.lines.map((l) => `DRY-RUN MODE -  ${l}\n`).join(''));
      return;
    }
    const run = this.current ?? this.start();
    let resource = run.resources.get(event.resource);
    if (resource === undefined || resource.failed) {
      resource = new ResourceTask(resourceLabel(event.resource), this.now);
      run.resources.set(event.resource, resource);
      run.tasks.add(resource.task());
    }
    resource.update(event);
  }

  private start(): ListRun {
    const run: ListRun = { tasks: new GrowingTaskList(false), resources: new Map() };
    this.current = run;
    process.once('beforeExit', this.closeOnExit);
    // One list at a time owns the stream: a new one waits for the one before to draw its last frame.
    this.drawing = this.drawing.then(() => this.draw(run.tasks));
    return run;
  }

  private async draw(tasks: GrowingTaskList): Promise<void> {
    const stream = this.options.stream as NodeJS.WriteStream;
    const listr = new Listr(tasks.initial(), {
      concurrent: true,
      exitOnError: false,
      // Ctrl-C belongs to the command (attached `up` stops the stack), not to the display.
      registerSignalListeners: false,
      renderer: StreamRenderer,
      rendererOptions: {
        logger: new ListrLogger({ processOutput: new ProcessOutput(stream, stream) }),
        spinner: new BackgroundSpinner(),
        icon: { [ListrDefaultRendererLogLevels.FAILED_WITH_FAILED_SUBTASKS]: figures.cross },
        ...(chalk.level === 0 ? { color: plainColours() } : {}),
      },
    });
    // Failures are shown as failed tasks; the command reports its own error.
    await listr.run().catch(() => undefined);
  }
}

/** `--ansi never` (or no colour support): the symbols without their colours. */
function plainColours(): Partial<Record<ListrDefaultRendererLogLevels, LoggerFormat>> {
  const plain: LoggerFormat = (message) => message ?? '';
  return Object.fromEntries(Object.values(ListrDefaultRendererLogLevels).map((level) => [level, plain]));
}
