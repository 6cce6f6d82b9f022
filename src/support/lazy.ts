/**
 * An object whose parts are built on first use and kept: each part's builder gets the object, so a part can use
 * others, and a caller that reads only some parts builds only those (and what they need).
 */

export type Builders<T> = { [K in keyof T]: (self: T) => T[K] };

export function lazily<T extends object>(builders: Builders<T>): T {
  const self = {} as T;
  for (const key of Object.keys(builders) as (keyof T)[]) {
    let built: { value: T[keyof T] } | undefined;
    Object.defineProperty(self, key, {
      enumerable: true,
      get: () => {
        built ??= { value: builders[key](self) };
        return built.value;
      },
    });
  }
  return self;
}
