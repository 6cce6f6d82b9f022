import { Gate } from '../../src/support/gate';

test('one at a time, the line in order, the rest refused; a failing task gives its place up', async () => {
  const gate = new Gate(1, 2);
  const order: string[] = [];
  let peak = 0;
  const releases: (() => void)[] = [];
  const task =
    (name: string, fail = false) =>
    async () => {
      peak = Math.max(peak, gate.size.running);
      order.push(name);
      await new Promise<void>((resolve) => releases.push(resolve));
      if (fail) throw new Error(name);
      return name;
    };
  const a = gate.run(task('a', true));
  const b = gate.run(task('b'));
  const c = gate.run(task('c'));
  expect(await gate.run(task('d'))).toEqual({ ran: false });
  expect(gate.size).toEqual({ running: 1, waiting: 2 });
  a.catch(() => undefined);
  // Each task in turn: wait until it has started, then let it finish.
  for (let released = 0; released < 3; released++) {
    while (releases.length === 0) await new Promise((resolve) => setImmediate(resolve));
    releases.shift()!();
  }
  await expect(a).rejects.toThrow('a');
  expect(await b).toEqual({ ran: true, value: 'b' });
  expect(await c).toEqual({ ran: true, value: 'c' });
  expect(order).toEqual(['a', 'b', 'c']);
  expect(peak).toBe(1);
  expect(gate.size).toEqual({ running: 0, waiting: 0 });
});
