/**
 * Property: numbers from DataArts are as untrusted as its strings. Whatever times and counts an answer carries
 * (NaN and ±Infinity as text, negatives, 1e308, the Date limits ±8.64e15, 1e20, microseconds beside milliseconds),
 * parsing keeps only times that make sense, and every instance renderer, the terminal's, the timeline's SVG and its
 * PNG finish quickly without throwing, saying once when a time made no sense.
 */
import fc from 'fast-check';
import { renderInstanceText } from '../../../src/cli/render';
import { hasOddTimes, type InstanceStatus, statusText } from '../../../src/dataarts/model';
import {
  EARLIEST_TIME,
  FUTURE_MARGIN_MS,
  parseInstancePage,
  parseJobInstance,
} from '../../../src/dataarts/parse';
import { svgToPng, timelineSvg } from '../../../src/pictures';
import { renderAgain, renderAlert, renderAlerts, renderRecovered } from '../../../src/slack/blocks/alert';
import { fallbackText, renderInstanceMessage } from '../../../src/slack/blocks/instance-message';
import { renderNodesModal } from '../../../src/slack/blocks/nodes-modal';
import { renderEndReply } from '../../../src/slack/blocks/notification';
import { blockLimitProblems } from '../../helpers/block-limits';

const NOW = Date.UTC(2026, 11, 5, 12, 0, 0);
const SENTENCE = 'DataArts sent a time that makes no sense; it is shown as unknown.';

/** A number as a careless or broken DataArts might send it. */
const number = fc.oneof(
  fc.constantFrom(
    Number.NaN,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    1e308,
    -1e308,
    8.64e15,
    -8.64e15,
    8.64e15 + 1,
    1e20,
    0,
    -1,
    NOW * 1000,
    NOW / 1000,
    Number.MAX_SAFE_INTEGER,
  ),
  fc.integer({ min: NOW - 3 * 86_400_000, max: NOW }),
  // Microseconds beside milliseconds.
  fc.integer({ min: NOW - 86_400_000, max: NOW }).map((ms) => ms * 1000),
  fc.double(),
);
/** JSON has no NaN or Infinity: a broken answer carries them as text. */
const sent = number.map((value) => (Number.isFinite(value) ? value : String(value)));

const rawNode = fc.record({
  nodeName: fc.string({ maxLength: 12 }),
  status: fc.constantFrom('success', 'fail', 'running', 'waiting', 'pause', 'skip'),
  type: fc.constant('DWS SQL'),
  planTime: sent,
  startTime: sent,
  endTime: sent,
  retryTimes: sent,
  inputRowCount: sent,
  speed: sent,
  logPath: fc.constant('obs://logs/x.log'),
});
const rawInstance = fc.record({
  jobName: fc.constant('odd_times'),
  instanceId: fc.constant(61001),
  status: fc.constantFrom('success', 'fail', 'running', 'waiting', 'pause', 'manual-stop'),
  planTime: sent,
  startTime: sent,
  endTime: sent,
  total: sent,
  nodes: fc.array(rawNode, { maxLength: 8 }),
});

/** The instance as the client reads it: through JSON text, against DataArts' clock. */
function parsed(raw: unknown) {
  return parseJobInstance(JSON.parse(JSON.stringify(raw)), { now: NOW });
}

/** A storm alert's line, as the sweep makes it from a row. */
function lineOf(row: {
  jobName: string;
  instanceId: string;
  status: InstanceStatus;
  startTime?: number;
  endTime?: number;
}) {
  return {
    job: row.jobName,
    instanceId: row.instanceId,
    status: statusText(row.status),
    startTime: row.startTime,
    endTime: row.endTime,
    failed: [],
  };
}

/** Each case, parse to pictures, within a second. */
function timed<T>(work: () => T): T {
  const started = performance.now();
  const result = work();
  expect(performance.now() - started).toBeLessThan(1_000);
  return result;
}

test('every time kept is one DataArts can mean; every one left out is named', () => {
  fc.assert(
    fc.property(rawInstance, (raw) => {
      const instance = parsed(raw);
      for (const item of [instance, ...instance.nodes]) {
        for (const time of [item.planTime, item.startTime, item.endTime])
          if (time !== undefined) {
            expect(time).toBeGreaterThanOrEqual(EARLIEST_TIME);
            expect(time).toBeLessThanOrEqual(NOW + FUTURE_MARGIN_MS);
          }
      }
      for (const node of instance.nodes) {
        for (const count of [node.retryTimes, node.inputRowCount])
          if (count !== undefined) expect(Number.isSafeInteger(count) && count >= 0).toBe(true);
      }
    }),
    { numRuns: 500 },
  );
});

test('every instance renderer, the terminal and the timeline SVG finish fast on any numbers, saying it once', () => {
  fc.assert(
    fc.property(rawInstance, (raw) => {
      timed(() => {
        const instance = parsed(raw);
        const message = renderInstanceMessage(instance, {
          now: NOW,
          operable: true,
          consoleUrl: 'https://c/{job}',
        });
        expect(blockLimitProblems(message.blocks, 'message')).toEqual([]);
        const said = JSON.stringify(message.blocks).split(SENTENCE).length - 1;
        expect(said).toBe(hasOddTimes(instance) ? 1 : 0);
        fallbackText(instance, NOW);
        renderNodesModal(instance, 0, { now: NOW });
        renderEndReply(instance, 'U0ALICE', NOW, true);
        renderAlert(instance, { now: NOW, watch: { pattern: 'odd_*', mode: 'end' } });
        renderAgain(instance, NOW);
        const line = lineOf(instance);
        renderAlerts([line], 0, [{ pattern: 'odd_*', mode: 'end' }], NOW);
        renderRecovered(line, '1', NOW);
        const terminal = renderInstanceText(instance, NOW, { color: false });
        expect(terminal.includes(SENTENCE)).toBe(hasOddTimes(instance));
        const picture = timelineSvg(instance, { now: NOW, timeZone: 'Asia/Kolkata' });
        expect(picture.height).toBeLessThan(2_000);
        expect(picture.svg.length).toBeLessThan(200_000);
      });
    }),
    { numRuns: 300 },
  );
});

test('list rows with any numbers render in a storm alert', () => {
  fc.assert(
    fc.property(fc.array(rawInstance, { maxLength: 5 }), (rows) => {
      const page = parseInstancePage(JSON.parse(JSON.stringify({ instances: rows })), { now: NOW });
      const lines = page.instances.map(lineOf);
      timed(() => renderAlerts(lines, 0, [{ pattern: '*', mode: 'end' }], NOW));
    }),
    { numRuns: 200 },
  );
});

test('the timeline PNG too, each in under a second', () => {
  fc.assert(
    fc.property(rawInstance, (raw) => {
      timed(() => {
        const instance = parsed(raw);
        const { png } = svgToPng(timelineSvg(instance, { now: NOW }).svg);
        expect(png.length).toBeGreaterThan(0);
      });
    }),
    { numRuns: 25 },
  );
});
