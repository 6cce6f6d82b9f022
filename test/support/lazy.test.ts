/** lazily: parts built on first use, once, each from the others it reads. */
import { lazily } from '../../src/support/lazy';

test('a part is built the first time it is read, once, and only the parts read are built', () => {
  const built: string[] = [];
  const parts = lazily<{ base: number; double: number; unused: number }>({
    base: () => {
      built.push('base');
      return 2;
    },
    double: (self) => {
      built.push('double');
      return self.base * 2;
    },
    unused: () => {
      built.push('unused');
      return 0;
    },
  });
  expect(built).toEqual([]);
  expect(parts.double).toBe(4);
  expect(parts.double).toBe(4);
  expect(parts.base).toBe(2);
  expect(built).toEqual(['double', 'base']);
});

test('a part that is undefined is built once too', () => {
  let calls = 0;
  const parts = lazily<{ nothing: undefined }>({
    nothing: () => {
      calls += 1;
      return undefined;
    },
  });
  expect(parts.nothing).toBeUndefined();
  expect(parts.nothing).toBeUndefined();
  expect(calls).toBe(1);
});
