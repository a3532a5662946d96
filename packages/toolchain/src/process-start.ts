/*
 * When a process started, to tell whether a live pid is still the process that once had it: after a crash the pid of
 * a dead step can be given to a new, unrelated process (pid reuse), and a pid that is alive says nothing by itself.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Linux reports start times in clock ticks; USER_HZ is 100 on every Linux architecture Node runs on. */
const LINUX_TICKS_PER_SECOND = 100;

/** Whether a process with this pid exists (EPERM: it exists, but belongs to another user). */
export function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Linux: field 22 of /proc/<pid>/stat (ticks after boot) plus the boot time of /proc/stat (whole seconds). */
function linuxStartTime(pid: number): number | undefined {
  let stat: string;
  let procStat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    procStat = readFileSync('/proc/stat', 'utf8');
  } catch {
    return undefined;
  }
  // The command name (field 2) is in parentheses and may hold spaces: count fields after its closing one.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[22 - 3]);
  const boot = Number(/^btime (\d+)$/m.exec(procStat)?.[1]);
  if (!Number.isFinite(ticks) || !Number.isFinite(boot)) return undefined;
  return (boot + ticks / LINUX_TICKS_PER_SECOND) * 1000;
}

/** Elsewhere (macOS, BSD): `ps -o lstart=`, a local date to the second. */
function psStartTime(pid: number): number | undefined {
  const ps = spawnSync('ps', ['-o', 'lstart=', '-p', String(pid)], {
    encoding: 'utf8',
    env: { ...process.env, LC_ALL: 'C' },
  });
  const time = ps.status === 0 ? Date.parse(ps.stdout.trim()) : NaN;
  return Number.isFinite(time) ? time : undefined;
}

/** When the process `pid` started (ms since the epoch, to about a second), or undefined when it cannot be told. */
export function processStartTime(pid: number): number | undefined {
  return process.platform === 'linux' ? linuxStartTime(pid) : psStartTime(pid);
}
