import { describe, expect, it } from 'vitest';
import { TscError } from '../../../src/errors/index.js';
import { checkSysctls } from '../../../src/runtime/sysctls.js';

function refusal(fn: () => unknown): TscError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(TscError);
    return err as TscError;
  }
  throw new Error('not refused');
}

describe('checkSysctls', () => {
  it('accepts the IPC sysctls, fs.mqueue.* and net.* with a network of its own, in dotted form', () => {
    expect(checkSysctls('web', {
      'kernel.shmmax': '1', 'kernel/sem': '250 32000 32 128', 'fs.mqueue.msg_max': '64', 'net.ipv4.ip_forward': '1',
    }, 'none')).toEqual({ 'kernel.shmmax': '1', 'kernel.sem': '250 32000 32 128', 'fs.mqueue.msg_max': '64', 'net.ipv4.ip_forward': '1' });
    expect(checkSysctls('web', { 'net.core.somaxconn': '1024' }, { path: '/run/tscompose/netns/x' })).toEqual({ 'net.core.somaxconn': '1024' });
    expect(checkSysctls('web', {}, 'host')).toEqual({});
  });

  it('refuses what is not namespaced, naming the key, with a hint', () => {
    for (const key of ['vm.swappiness', 'kernel.hostname', 'kernel.domainname', 'fs.file-max', 'kernel.pid_max']) {
      const err = refusal(() => checkSysctls('web', { [key]: '1' }, 'none'));
      expect(err.code).toBe('SYSCTL_NOT_ALLOWED');
      expect(err.message).toContain(key);
      expect(err.message).toContain('web');
      expect(err.hint).toContain('net.*');
    }
  });

  it('refuses net.* with the host network', () => {
    const err = refusal(() => checkSysctls('web', { 'net.ipv4.ip_forward': '1' }, 'host'));
    expect(err.code).toBe('SYSCTL_NOT_ALLOWED');
    expect(err.message).toContain('host network');
    expect(checkSysctls('web', { 'kernel.shmmni': '10' }, 'host')).toEqual({ 'kernel.shmmni': '10' });
  });

  it('refuses names that are not sysctl names and values on several lines', () => {
    for (const key of ['net', '../../etc/passwd', 'net..ipv4', 'net.ipv4.ip forward', '']) {
      expect(refusal(() => checkSysctls('web', { [key]: '1' }, 'none')).code).toBe('SYSCTL_NOT_ALLOWED');
    }
    expect(refusal(() => checkSysctls('web', { 'net.ipv4.ip_forward': '1\n0' }, 'none')).code).toBe('SYSCTL_NOT_ALLOWED');
  });
});
