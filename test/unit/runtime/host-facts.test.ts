import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseCapabilityMask, parseLimits, readHostFacts } from '../../../src/runtime/host-facts.js';

const LIMITS = `Limit                     Soft Limit           Hard Limit           Units
Max cpu time              unlimited            unlimited            seconds
Max stack size            8388608              unlimited            bytes
Max open files            20000                20000                files
Max nice priority         0                    0
`;

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

describe('host facts', () => {
  it('reads a capability mask bit by bit in the kernel\'s numbering', () => {
    expect(parseCapabilityMask('00000000a80425fb')).toEqual([
      'CAP_CHOWN', 'CAP_DAC_OVERRIDE', 'CAP_FOWNER', 'CAP_FSETID', 'CAP_KILL', 'CAP_SETGID', 'CAP_SETUID', 'CAP_SETPCAP',
      'CAP_NET_BIND_SERVICE', 'CAP_NET_RAW', 'CAP_SYS_CHROOT', 'CAP_MKNOD', 'CAP_AUDIT_WRITE', 'CAP_SETFCAP',
    ]);
    const all = parseCapabilityMask('000001fffeffffff');
    expect(all).toHaveLength(40);
    expect(all).not.toContain('CAP_SYS_RESOURCE');
  });

  it('reads the limits table with unlimited values', () => {
    expect(parseLimits(LIMITS)).toEqual({
      RLIMIT_CPU: { soft: 'unlimited', hard: 'unlimited' },
      RLIMIT_STACK: { soft: 8388608, hard: 'unlimited' },
      RLIMIT_NOFILE: { soft: 20000, hard: 20000 },
      RLIMIT_NICE: { soft: 0, hard: 0 },
    });
  });

  it('reads status and limits of self under a proc root', async () => {
    const proc = await mkdtemp(join(tmpdir(), 'tsc-proc-'));
    dirs.push(proc);
    await mkdir(join(proc, 'self'));
    await writeFile(join(proc, 'self/status'), 'Name:\tnode\nCapInh:\t0000000000000000\nCapBnd:\t0000000000000021\n');
    await writeFile(join(proc, 'self/limits'), LIMITS);
    const facts = await readHostFacts(proc);
    expect(facts.capabilities).toEqual(['CAP_CHOWN', 'CAP_KILL']);
    expect(facts.rlimits.RLIMIT_NOFILE).toEqual({ soft: 20000, hard: 20000 });
  });
});
