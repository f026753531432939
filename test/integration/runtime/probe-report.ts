import { readLog, streamText } from './harness.js';

/** What `probe report` prints. */
export interface ProbeReport {
  hostname: string;
  domainname: string;
  pid: number;
  ppid: number;
  uid: number;
  gid: number;
  euid: number;
  egid: number;
  groups: number[];
  cwd: string;
  env: string[];
  status: Record<string, string>;
  rlimits: Record<string, { soft: number | 'unlimited'; hard: number | 'unlimited' }>;
  mounts: { target: string; type: string; source: string; options: string; superOptions: string }[];
  interfaces: string[];
  pids: number[];
}

/** The report a container printed on stdout, from its log file. */
export async function readReport(logFile: string): Promise<ProbeReport> {
  const stdout = streamText(await readLog(logFile), 'stdout');
  const line = stdout.split('\n').find((l) => l.startsWith('{'));
  if (line === undefined) throw new Error(`no report in ${logFile}: ${stdout}`);
  return JSON.parse(line) as ProbeReport;
}

/** A capability set of /proc/<pid>/status as a number. */
export function capMask(report: ProbeReport, field: 'CapBnd' | 'CapEff' | 'CapPrm' | 'CapInh' | 'CapAmb'): bigint {
  const hex = report.status[field];
  if (hex === undefined) throw new Error(`no ${field} in the report`);
  return BigInt(`0x${hex}`);
}
