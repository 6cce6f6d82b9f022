/**
 * Drawing work is bounded by pixels and rows, never by the time span: the timeline drawn straight from a model
 * (parsing's checks aside) with an end in microseconds, times at the Date limits, or any doubles at all, finishes
 * in well under a second and keeps the process small. An end in microseconds once took 120 s of CPU and 7.8 GB.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import fc from 'fast-check';
import type { JobInstance, JobNode } from '../../src/dataarts/model';
import { svgToPng, timelineSvg } from '../../src/pictures';
import { ZoneClock } from '../../src/pictures/time-axis';

const NOW = Date.UTC(2026, 11, 5, 12, 0, 0);
const ROOT = path.join(__dirname, '../..');

function model(times: Partial<JobInstance>, nodes: Partial<JobNode>[]): JobInstance {
  return {
    jobName: 'odd_times',
    instanceId: '61001',
    status: 'success',
    total: nodes.length,
    forceSuccess: false,
    ignoreSuccess: false,
    ...times,
    nodes: nodes.map((node, i) => ({ name: `n${i}`, status: 'success', type: 'Dummy', ...node })),
  };
}

/** CPU time rather than the wall clock: a busy machine slows the wall clock, not the work. */
function cpuMsSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1_000;
}

/**
 * Drawn in a fresh Node process from dist/ (built by the global setup), so its CPU time and peak memory are the
 * drawing's alone, not those of the Jest worker and the suites it ran before.
 */
function drawInChild(instance: JobInstance): { cpuMs: number; maxRssMb: number; pngBytes: number } {
  const script = `
    const { timelineSvg, svgToPng } = require(${JSON.stringify(path.join(ROOT, 'dist/pictures'))});
    const instance = JSON.parse(process.argv[1]);
    const cpu = process.cpuUsage();
    const { png } = svgToPng(timelineSvg(instance, { now: ${NOW}, timeZone: 'Europe/Berlin' }).svg);
    const used = process.cpuUsage(cpu);
    process.stdout.write(JSON.stringify({
      cpuMs: (used.user + used.system) / 1000,
      maxRssMb: process.resourceUsage().maxRSS / 1024,
      pngBytes: png.length,
    }));`;
  const out = execFileSync(process.execPath, ['-e', script, JSON.stringify(instance)], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  return JSON.parse(out);
}

test('a microseconds endTime draws its Timeline PNG in under a second of CPU, the process under 600 MB', () => {
  const instance = model(
    { startTime: NOW - 60_000, endTime: NOW * 1000 },
    Array.from({ length: 80 }, (_, i) => ({
      startTime: NOW - 60_000 + i * 500,
      endTime: i % 3 === 0 ? (NOW - 59_000 + i * 500) * 1000 : NOW - 59_000 + i * 500,
    })),
  );
  // Before the bounds: 120 s of CPU and 7.8 GB for the same kind of instance.
  const drawn = drawInChild(instance);
  expect(drawn.pngBytes).toBeGreaterThan(1_000);
  expect(drawn.cpuMs).toBeLessThan(1_000);
  expect(drawn.maxRssMb).toBeLessThan(600);
});

test('times at the Date limits and beyond draw, with the one line saying a time made no sense', () => {
  const instance = model({ planTime: -8.64e15, startTime: -8.64e15, endTime: 8.64e15 }, [
    { startTime: -8.64e15, endTime: 8.64e15 },
    { startTime: 1e20, endTime: Number.NaN },
    { startTime: NOW - 1_000, endTime: NOW },
  ]);
  const cpu = process.cpuUsage();
  const picture = timelineSvg(instance, { now: Number.POSITIVE_INFINITY });
  svgToPng(picture.svg);
  expect(cpuMsSince(cpu)).toBeLessThan(1_000);
  expect(picture.svg).toContain('DataArts sent a time that makes no sense; it is shown as unknown.');
  expect(picture.svg).toContain('time unknown');
});

test('any doubles in the model: no throw, each in under a second of CPU', () => {
  const time = fc.oneof(
    fc.double(),
    fc.constantFrom(8.64e15, -8.64e15, 1e308, NOW * 1000, NOW),
    fc.integer({ min: NOW - 86_400_000, max: NOW }),
  );
  const node = fc.record({ startTime: time, endTime: time, planTime: time });
  fc.assert(
    fc.property(
      fc.record({ planTime: time, startTime: time, endTime: time }),
      fc.array(node, { maxLength: 10 }),
      time,
      (times, nodes, now) => {
        const cpu = process.cpuUsage();
        const picture = timelineSvg(model(times, nodes), { now, timeZone: 'Asia/Kathmandu' });
        expect(picture.height).toBeLessThan(2_000);
        expect(cpuMsSince(cpu)).toBeLessThan(1_000);
      },
    ),
    { numRuns: 300 },
  );
});

test('ticks are bounded by the axis, whatever the span', () => {
  const clock = new ZoneClock('UTC');
  expect(clock.ticks(0, 8.64e15, 12).length).toBeLessThanOrEqual(26);
  expect(clock.ticks(-8.64e15, 8.64e15, 12).length).toBeLessThanOrEqual(26);
  expect(clock.ticks(NOW, NOW * 1000, 12).length).toBeGreaterThan(0);
  expect(clock.ticks(Number.NaN, NOW, 12)).toEqual([]);
  // An ordinary hour still gets its round ticks.
  expect(clock.ticks(NOW, NOW + 3_600_000, 6).map((tick) => tick.label)).toEqual([
    '12:00',
    '12:10',
    '12:20',
    '12:30',
    '12:40',
    '12:50',
    '13:00',
  ]);
});
