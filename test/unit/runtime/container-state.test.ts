import { describe, expect, it } from 'vitest';
import {
  CONTAINER_STATUSES, canKill, canPause, canRemove, canStart, canStop, canUnpause, checkVerb, decide, type ContainerStatus, type ContainerVerb,
} from '../../../src/runtime/container-state.js';

describe('container state machine', () => {
  it('allows each verb only from its states', () => {
    const allowed = (can: (s: ContainerStatus) => boolean): ContainerStatus[] => CONTAINER_STATUSES.filter(can);
    expect(allowed(canStart)).toEqual(['created', 'exited']);
    expect(allowed(canStop)).toEqual(['running', 'paused']);
    expect(allowed(canKill)).toEqual(['running', 'paused']);
    expect(allowed(canPause)).toEqual(['running']);
    expect(allowed(canUnpause)).toEqual(['paused']);
    expect(allowed((s) => canRemove(s))).toEqual(['created', 'exited', 'removing']);
    expect(allowed((s) => canRemove(s, true))).toEqual([...CONTAINER_STATUSES]);
  });

  it('makes stopping a container that is not running a no-op, not an error', () => {
    expect(decide('stop', 'exited')).toBe('noop');
    expect(decide('stop', 'created')).toBe('noop');
    expect(checkVerb('stop', 'web-1', 'exited')).toBe('noop');
    expect(checkVerb('stop', 'web-1', 'running')).toBe('act');
  });

  it('refuses with CONTAINER_BAD_STATE naming the container and its state', () => {
    const refusal = (verb: ContainerVerb, status: ContainerStatus): unknown => {
      try {
        checkVerb(verb, 'web-1', status);
      } catch (err) {
        return err;
      }
      return undefined;
    };
    expect(refusal('start', 'running')).toMatchObject({ code: 'CONTAINER_BAD_STATE', message: 'cannot start container web-1: it is running' });
    expect(refusal('start', 'paused')).toMatchObject({ message: 'cannot start container web-1: it is paused', hint: 'unpause it instead' });
    expect(refusal('kill', 'exited')).toMatchObject({ message: 'cannot kill container web-1: it is not running' });
    expect(refusal('remove', 'running')).toMatchObject({ message: 'cannot remove container web-1: it is running', hint: 'stop it first, or remove it with force' });
    expect(refusal('stop', 'removing')).toMatchObject({ message: 'cannot stop container web-1: it is being removed' });
    expect(refusal('unpause', 'running')).toMatchObject({ message: 'cannot unpause container web-1: it is not paused' });
    expect(refusal('pause', 'paused')).toMatchObject({ message: 'cannot pause container web-1: it is already paused' });
  });
});
