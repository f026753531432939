import type { ListrTask } from 'listr2';
import type { ProgressEvent } from '../../orchestrator/events.js';
import { GrowingTaskList } from './growing-task-list.js';

export type ActionEvent = Extract<ProgressEvent, { kind: 'action' }>;

interface Titled {
  title: string;
}

/** One step of a resource (`Creating`, then `Created  0.1s`): a subtask that settles with the step. */
class Step {
  private wrapper: Titled | undefined;
  private settle: { resolve: () => void; reject: (err: Error) => void } = { resolve: () => undefined, reject: () => undefined };
  private readonly settled = new Promise<void>((resolve, reject) => (this.settle = { resolve, reject }));

  constructor(private title: string, readonly startedMs: number) {
    // A step may fail before listr2 gets to await it.
    this.settled.catch(() => undefined);
  }

  task(): ListrTask {
    return {
      title: this.title,
      task: (_ctx, task) => {
        this.wrapper = task;
        task.title = this.title;
        return this.settled;
      },
    };
  }

  get text(): string {
    return this.title;
  }

  retitle(title: string): void {
    this.title = title;
    if (this.wrapper !== undefined) this.wrapper.title = title;
  }

  complete(title: string): void {
    this.retitle(title);
    this.settle.resolve();
  }

  /** The renderer shows the error's message in place of the title: the step that failed. */
  fail(): void {
    this.settle.reject(new Error(this.title));
  }
}

/**
 * One resource (network, volume, container) as a task: its steps are subtasks, added as events come,
 * and it settles when the command ends, titled as Compose prints the resource's last state
 * (`Container p-web-1  Started  0.4s`); the renderer then folds the steps away. A failed step fails
 * the resource at once, titled with the error.
 */
export class ResourceTask {
  private readonly steps = new GrowingTaskList(true);
  private open: Step | undefined;
  private wrapper: Titled | undefined;
  private title: string;
  private summary: string | undefined;
  /** Set once a step failed: the task is over, and later events for the resource need a new one. */
  failed = false;

  constructor(private readonly label: string, private readonly now: () => number) {
    this.title = label;
  }

  task(): ListrTask {
    return {
      title: this.title,
      task: (_ctx, task) => {
        this.wrapper = task;
        task.title = this.title;
        return task.newListr(this.steps.initial(), { concurrent: true, exitOnError: true });
      },
    };
  }

  update(event: ActionEvent): void {
    const at = this.now();
    if (event.status === 'working') {
      if (this.open === undefined) this.open = this.addStep(event.text, at);
      else this.open.retitle(event.text);
      return;
    }
    const step = this.open ?? this.addStep(event.text, at);
    this.open = undefined;
    const seconds = `${((at - step.startedMs) / 1000).toFixed(1)}s`;
    if (event.status === 'done') {
      this.summary = `${this.label}  ${event.text}  ${seconds}`;
      step.complete(`${event.text}  ${seconds}`);
      return;
    }
    this.fail(`${this.label}  Error ${event.text}  ${seconds}`, step);
  }

  /** The command is over: the task settles; a step still under way did not finish, so it fails. */
  end(): void {
    if (this.failed) return;
    if (this.open !== undefined) {
      this.fail(`${this.label}  ${this.open.text}  interrupted`, this.open);
      return;
    }
    this.retitle(this.summary ?? this.label);
    this.steps.end();
  }

  private fail(title: string, step: Step): void {
    this.failed = true;
    this.open = undefined;
    this.retitle(title);
    step.fail();
    this.steps.end();
  }

  private addStep(text: string, at: number): Step {
    const step = new Step(text, at);
    this.steps.add(step.task());
    return step;
  }

  private retitle(title: string): void {
    this.title = title;
    if (this.wrapper !== undefined) this.wrapper.title = title;
  }
}
