/**
 * What the benches read of processes: CPU time and RSS of any process from /proc, and a garbage
 * collection before this process's heap is read (with node --expose-gc, as npm run bench runs).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { median } from './stats';

const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

/** CPU time (user + system) the process has used, in ms. */
export function cpuMsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // after "pid (comm) ": state is field 3, utime field 14, stime field 15
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
}

/** The process's resident memory now, in MB. */
export function rssMbOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? NaN) / 1024;
}

/**
 * From now until `end()`: the CPU % of one core that each pid used, and its RSS (the median of a
 * sample each second: one sample falls before or after a garbage collection by chance).
 */
export function processMeter(pids: number[]): { end(): { cpuPercent: number[]; rssMb: number[] } } {
  const start = performance.now();
  const before = pids.map(cpuMsOf);
  const samples: number[][] = pids.map(() => []);
  const sample = () => pids.forEach((pid, i) => samples[i].push(rssMbOf(pid)));
  const sampler = setInterval(sample, 1_000);
  return {
    end: () => {
      clearInterval(sampler);
      sample();
      const ms = performance.now() - start;
      return {
        cpuPercent: pids.map((pid, i) => ((cpuMsOf(pid) - before[i]) / ms) * 100),
        rssMb: samples.map((each) => median(each)),
      };
    },
  };
}

/** A full garbage collection of this process, where node runs with --expose-gc. */
export const collectGarbage = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
