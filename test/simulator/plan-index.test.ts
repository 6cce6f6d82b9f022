import { compareIds, PlanIndex } from '../../src/simulator/plan-index';

test('ids compare exactly as numbers, beyond 2^53 and with leading zeros', () => {
  expect(compareIds('9007199254740993', '9007199254740992')).toBeGreaterThan(0);
  expect(compareIds('99', '100')).toBeLessThan(0);
  expect(compareIds('007', '7')).toBe(0);
  expect(compareIds('0', '00')).toBe(0);
});

test('random inserts and removes keep (planTime, id) order; windows are inclusive', () => {
  const index = new PlanIndex<{ planTime: number; instanceId: string }>();
  const entries: { planTime: number; instanceId: string }[] = [];
  let seed = 42;
  const random = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  for (let i = 0; i < 2_000; i++) {
    const entry = { planTime: Math.floor(random() * 100), instanceId: String(i) };
    entries.push(entry);
    index.insert(entry);
    if (random() < 0.3) {
      const victim = entries.splice(Math.floor(random() * entries.length), 1)[0]!;
      expect(index.remove(victim)).toBe(true);
      expect(index.remove(victim)).toBe(false);
    }
  }
  const sorted = [...entries].sort(
    (a, b) => a.planTime - b.planTime || Number(a.instanceId) - Number(b.instanceId),
  );
  expect(Array.from({ length: index.size }, (_, i) => index.at(i))).toEqual(sorted);
  const { from, to } = index.window(10, 20);
  expect(Array.from({ length: to - from }, (_, i) => index.at(from + i))).toEqual(
    sorted.filter((entry) => entry.planTime >= 10 && entry.planTime <= 20),
  );
  expect(index.window(200, 300)).toEqual({ from: index.size, to: index.size });
  expect(index.window(20, 10).to - index.window(20, 10).from).toBe(0);
  index.removeWhere((entry) => entry.planTime < 50);
  expect(index.at(0).planTime).toBeGreaterThanOrEqual(50);
  expect(index.newest()).toBe(sorted.at(-1));
});

test('the version goes up with every change, and only then', () => {
  const index = new PlanIndex<{ planTime: number; instanceId: string }>();
  const [a, b] = [
    { planTime: 1, instanceId: '1' },
    { planTime: 2, instanceId: '2' },
  ];
  const seen = [index.version];
  index.insert(b);
  seen.push(index.version);
  index.insert(a);
  seen.push(index.version);
  index.window(0, 5);
  index.at(0);
  expect(index.version).toBe(seen.at(-1));
  expect(index.remove({ planTime: 1, instanceId: '1' })).toBe(false);
  index.removeWhere(() => false);
  expect(index.version).toBe(seen.at(-1));
  index.remove(a);
  seen.push(index.version);
  index.removeWhere(() => true);
  seen.push(index.version);
  expect(new Set(seen).size).toBe(5);
  expect(index.size).toBe(0);
});
