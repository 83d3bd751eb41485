/** Timing helpers the benchmarks share: wall and CPU milliseconds of one call, and rounding for JSON. */

export interface Timed<T> {
  value: T;
  ms: number;
  cpuMs: number;
}

export async function timed<T>(fn: () => T | Promise<T>): Promise<Timed<T>> {
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  const value = await fn();
  const ms = performance.now() - start;
  const cpu = process.cpuUsage(cpuStart);
  return { value, ms, cpuMs: (cpu.user + cpu.system) / 1000 };
}

export function round(value: number, digits = 1): number {
  return Number(value.toFixed(digits));
}
