import type { ListrTask } from 'listr2';

/**
 * Tasks for a listr2 list that keeps taking new ones while it runs. A Listr runs only the tasks it
 * holds when it starts (tasks `add`ed later are drawn but never run), so the list ends in an untitled
 * task that waits for the next tasks and returns them, followed by another such task, as its
 * subtasks. The default renderer draws an untitled task's subtasks at its own level, so the whole
 * reads as one flat list in the order the tasks came.
 */
export class GrowingTaskList {
  private queue: ListrTask[] = [];
  private wake: (() => void) | undefined;
  private ended = false;

  /**
   * @param exitOnError whether a failed task fails the list (and so the task that holds it) or the
   *   others just carry on.
   */
  constructor(private readonly exitOnError: boolean) {}

  /** The tasks to start the list with: the one that waits for the rest. */
  initial(): ListrTask[] {
    return [this.waiter()];
  }

  add(task: ListrTask): void {
    this.queue.push(task);
    this.notify();
  }

  /** No more tasks will come: the list ends once the ones it holds have settled. */
  end(): void {
    this.ended = true;
    this.notify();
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  private waiter(): ListrTask {
    return {
      task: async (_ctx, task) => {
        while (this.queue.length === 0 && !this.ended) await new Promise<void>((resolve) => (this.wake = resolve));
        const next = this.queue.splice(0);
        if (next.length === 0) return undefined;
        return task.newListr([...next, this.waiter()], { concurrent: true, exitOnError: this.exitOnError });
      },
    };
  }
}
