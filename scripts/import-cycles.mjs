// Import circles in src/: reads every src/**/*.ts, follows its relative imports (import, import type,
// export ... from, import()), finds the strongly connected components and prints each with one circle
// through it. Exits 1 when a component holds a file of src/slack, where the rooms must import one way only.
// No dependencies, so it runs before npm install as well as in CI: node scripts/import-cycles.mjs
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const root = resolve(dirname(new URL(import.meta.url).pathname), '..');
const src = join(root, 'src');
const guarded = 'src/slack/';

/** Every .ts file under a folder (declaration files left out: they import nothing at run time or here). */
function tsFiles(folder) {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) return tsFiles(path);
    return name.endsWith('.ts') && !name.endsWith('.d.ts') ? [path] : [];
  });
}

// The clause between the keyword and `from` holds only names, braces, commas, stars and spaces
// (`type`, `as` and `* as x` included), so a `from '...'` further down the file is never taken for it.
const staticImport = /^[ \t]*(?:import|export)\b[\w\s{},*$]*?\bfrom\s*['"]([^'"]+)['"]/gm;
const bareImport = /^[ \t]*import\s*['"]([^'"]+)['"]/gm;
const dynamicImport = /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

/** The file a relative specifier names, or undefined for packages and files outside src/. */
function resolveSpecifier(from, specifier) {
  if (!specifier.startsWith('.')) return undefined;
  const base = resolve(dirname(from), specifier).replace(/\.(js|mjs|cjs)$/, '');
  for (const candidate of [`${base}.ts`, join(base, 'index.ts'), base]) {
    if (candidate.endsWith('.ts') && existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return undefined;
}

const files = tsFiles(src).sort();
const imports = new Map();
for (const file of files) {
  const text = readFileSync(file, 'utf8');
  const targets = new Set();
  for (const pattern of [staticImport, bareImport, dynamicImport]) {
    for (const match of text.matchAll(pattern)) {
      const target = resolveSpecifier(file, match[1]);
      if (target !== undefined) targets.add(target);
    }
  }
  imports.set(file, [...targets].sort());
}

/** Tarjan's strongly connected components, iterative so deep chains cannot overflow the stack. */
function components() {
  const index = new Map();
  const low = new Map();
  const onStack = new Set();
  const stack = [];
  const found = [];
  let next = 0;
  for (const start of files) {
    if (index.has(start)) continue;
    const work = [[start, 0]];
    index.set(start, next);
    low.set(start, next++);
    stack.push(start);
    onStack.add(start);
    while (work.length > 0) {
      const frame = work[work.length - 1];
      const [node, at] = frame;
      const targets = imports.get(node);
      if (at < targets.length) {
        frame[1] = at + 1;
        const target = targets[at];
        if (!index.has(target)) {
          index.set(target, next);
          low.set(target, next++);
          stack.push(target);
          onStack.add(target);
          work.push([target, 0]);
        } else if (onStack.has(target)) {
          low.set(node, Math.min(low.get(node), index.get(target)));
        }
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1][0];
        low.set(parent, Math.min(low.get(parent), low.get(node)));
      }
      if (low.get(node) === index.get(node)) {
        const component = [];
        let member;
        do {
          member = stack.pop();
          onStack.delete(member);
          component.push(member);
        } while (member !== node);
        const selfImport = imports.get(node).includes(node);
        if (component.length > 1 || selfImport) found.push(component.sort());
      }
    }
  }
  return found;
}

/** The shortest circle from a file back to itself, staying inside its component (breadth first). */
function shortestCircle(start, members) {
  const previous = new Map();
  const queue = [start];
  for (let head = 0; head < queue.length; head++) {
    const node = queue[head];
    for (const target of imports.get(node)) {
      if (!members.has(target)) continue;
      if (target === start) {
        const path = [node];
        while (path[0] !== start) path.unshift(previous.get(path[0]));
        return [...path, start];
      }
      if (!previous.has(target)) {
        previous.set(target, node);
        queue.push(target);
      }
    }
  }
  return [start];
}

const name = (file) => relative(root, file);
const found = components();
let guardedCircles = 0;
for (const component of found) {
  const members = new Set(component);
  const inGuarded = component.some((file) => name(file).startsWith(guarded));
  if (inGuarded) guardedCircles++;
  console.log(`${inGuarded ? 'error' : 'note'}: import circle among ${component.length} file(s):`);
  for (const file of component) console.log(`  ${name(file)}`);
  // One circle per member, each printed once, so every edge that keeps the component together shows up.
  const printed = new Set();
  for (const file of component) {
    const circle = shortestCircle(file, members);
    const key = [...circle.slice(0, -1)].sort().join('|');
    if (printed.has(key)) continue;
    printed.add(key);
    console.log(`  circle: ${circle.map(name).join(' -> ')}`);
  }
}
const edges = [...imports.values()].reduce((sum, targets) => sum + targets.length, 0);
console.log(
  `${files.length} files, ${edges} imports, ${found.length} import circle(s), ${guardedCircles} touching ${guarded}`,
);
process.exit(guardedCircles > 0 ? 1 : 0);
