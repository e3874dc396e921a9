import { readFileSync } from 'fs';

/** Peak resident memory of a process, in MB (Linux /proc). */
export function peakRssMb(pid: number | undefined): number {
  if (!pid) return NaN;
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmHWM:'));
  return Math.round(Number(line?.split(/\s+/)[1]) / 1024);
}

/** CPU time (user + system) a process used so far, in seconds (clock ticks of 10 ms). */
export function cpuSeconds(pid: number | undefined): number {
  if (!pid) return NaN;
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}
