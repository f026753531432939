import { TscError } from '../errors/index.js';
import type { ExitStatus } from '../kernel/kernel.js';
import { observe } from './observe.js';
import type { RuntimeContext } from './runtime-context.js';
import { notTheLog } from './ticker.js';

const PAUSE_MS = 100;

export interface WaitOptions {
  readonly signal?: AbortSignal;
}

/**
 * Waits until a container is not running and returns how it ended: at once for an exited one, after
 * the run for a running one, and after its next run for one only created. Rejects with the signal's
 * reason when aborted, and with CONTAINER_NOT_FOUND when it is removed meanwhile.
 */
export async function wait(ctx: RuntimeContext, ref: string, options: WaitOptions = {}): Promise<ExitStatus> {
  const { id, name } = await ctx.store.find(ref);
  const ticker = ctx.tickers(ctx.store.pathsOf(id).dir, notTheLog);
  try {
    for (;;) {
      const current = await ctx.store.read(id);
      if (current === undefined || current.status === 'removing') {
        throw new TscError('CONTAINER_NOT_FOUND', `wait for container ${name}: it was removed`, { hint: 'nothing is left to wait for' });
      }
      const record = await observe(ctx, current);
      if (record.status === 'exited' && record.exit !== undefined) return record.exit;
      await ticker.tick(PAUSE_MS, options.signal);
    }
  } finally {
    ticker.close();
  }
}
