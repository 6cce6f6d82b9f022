/**
 * A bot process's memory as Linux counts it (/proc/<pid>/status): resident now (VmRSS) and at its peak
 * (VmHWM), for rows that must show an answer did not sit in memory whole. The peak can be reset to the
 * current size (clear_refs 5), so a peak read later belongs to what happened in between.
 */
import { readFileSync, writeFileSync } from 'node:fs';

export interface Memory {
  rssKiB: number;
  peakKiB: number;
}

export function memoryOf(pid: number): Memory {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name: string) => {
    const match = new RegExp(`^${name}:\\s+(\\d+) kB$`, 'm').exec(status);
    if (!match) throw new Error(`/proc/${pid}/status has no ${name}`);
    return Number(match[1]);
  };
  return { rssKiB: field('VmRSS'), peakKiB: field('VmHWM') };
}

/** Sets the peak back to the current size; false where the kernel does not allow it (the peak then stays). */
export function resetPeak(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

export const mib = (kib: number) => `${(kib / 1024).toFixed(1)} MB`;
