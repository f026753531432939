import { constants } from 'node:os';
import { TscError } from '../errors/index.js';
import { checkVerb } from './container-state.js';
import { observe } from './observe.js';
import { thawRecord } from './pause.js';
import type { RuntimeContext } from './runtime-context.js';
import { withContainer } from './with-container.js';

/** `TERM`, `sigterm`, `SIGTERM` and `15` all name SIGTERM. */
export function parseSignal(value: string | number): NodeJS.Signals {
  const signals = constants.signals as Record<string, number>;
  if (typeof value === 'number' || /^\d+$/.test(value)) {
    const name = Object.keys(signals).find((k) => signals[k] === Number(value));
    if (name !== undefined) return name as NodeJS.Signals;
  } else {
    const upper = value.trim().toUpperCase();
    const name = upper.startsWith('SIG') ? upper : `SIG${upper}`;
    if (name in signals) return name as NodeJS.Signals;
  }
  throw new TscError('USAGE', `invalid signal "${value}"`, { hint: 'use a signal name such as SIGTERM, TERM or HUP, or its number' });
}

/** A paused container is thawed (and recorded as running) before it is signalled, as stop does. */
async function thawUnderLock(ctx: RuntimeContext, id: string): Promise<void> {
  await withContainer(ctx, id, async (seen) => {
    if (seen.status === 'paused') await ctx.store.write(await thawRecord(ctx, seen));
  });
}

/**
 * Sends a signal to a running container's first process. It takes no lock, so it can end a container
 * that another verb is stopping; whoever looks next records the exit.
 */
export async function kill(ctx: RuntimeContext, ref: string, signal: string | number = 'SIGKILL'): Promise<void> {
  const name = parseSignal(signal);
  const record = await observe(ctx, await ctx.store.find(ref));
  checkVerb('kill', record.name, record.status);
  if (record.status === 'paused') await thawUnderLock(ctx, record.id);
  if (record.container === undefined || !(await ctx.kernel.signal(record.container, name))) {
    throw new TscError('CONTAINER_BAD_STATE', `cannot kill container ${record.name}: it is not running`, { hint: 'it ended a moment ago' });
  }
}
