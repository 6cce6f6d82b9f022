/**
 * The chain of nodes that decided when the run ended (its critical path as it happened): from the node that
 * ended last, back through whatever it waited for. With the job's dependencies (`preNodeName` of the job
 * details) that is the predecessor that ended last; without them, the node that ended closest before the
 * start, the best a list of times can say.
 */

export interface TimedNode {
  name: string;
  start: number;
  end: number;
}

/** Node names, first to last. Nodes that never started take no part. */
export function longestPath(
  nodes: readonly TimedNode[],
  dependencies?: Record<string, readonly string[]>,
): string[] {
  if (nodes.length === 0) return [];
  const last = nodes.reduce((a, b) => (b.end > a.end ? b : a));
  return dependencies ? byDependencies(nodes, last, dependencies) : byTimes(nodes, last);
}

function byDependencies(
  nodes: readonly TimedNode[],
  last: TimedNode,
  dependencies: Record<string, readonly string[]>,
): string[] {
  const byName = new Map(nodes.map((node) => [node.name, node]));
  const path = [last];
  const seen = new Set([last.name]);
  for (;;) {
    const current = path[0]!;
    let next: TimedNode | undefined;
    for (const name of dependencies[current.name] ?? []) {
      const candidate = byName.get(name);
      if (candidate && !seen.has(name) && (!next || candidate.end > next.end)) next = candidate;
    }
    if (!next) break;
    seen.add(next.name);
    path.unshift(next);
  }
  return path.map((node) => node.name);
}

function byTimes(nodes: readonly TimedNode[], last: TimedNode): string[] {
  const byEnd = [...nodes].sort((a, b) => a.end - b.end);
  const path = [last];
  const seen = new Set<TimedNode>([last]);
  for (;;) {
    const current = path[0]!;
    // The last node (by end) that ended no later than this one started, not already on the path.
    let low = 0;
    let high = byEnd.length - 1;
    let found = -1;
    while (low <= high) {
      const mid = (low + high) >> 1;
      if (byEnd[mid]!.end <= current.start) {
        found = mid;
        low = mid + 1;
      } else high = mid - 1;
    }
    while (found >= 0 && seen.has(byEnd[found]!)) found--;
    if (found < 0) break;
    const previous = byEnd[found]!;
    seen.add(previous);
    path.unshift(previous);
  }
  return path.map((node) => node.name);
}
