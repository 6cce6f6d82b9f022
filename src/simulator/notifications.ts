/**
 * The simulator's DataArts notification rules: a run started in the simulator that ends as a rule asks (fail,
 * success) is published, signed, to the rule's SMN endpoint through the simulator's SMN topic (smn.ts), as
 * DataArts' notification rules publish to a real topic. A rule can make each message late, sent twice, or never
 * sent, as a real topic may; ends close together then arrive out of order. Loopback only (the topic refuses
 * anything else).
 */
import { isTerminal } from '../dataarts/model';
import { parseInstanceStatus } from '../dataarts/parse';
import type { Simulator } from './simulator';
import { dataartsMessage, type RunningSmnTopic } from './smn';

export interface NotificationRule {
  /** Where the topic delivers (the bot's POST /dataarts/notify). */
  endpoint: string;
  /** Which ends are published (default: fail). */
  on?: readonly ('fail' | 'success')[];
  /** Each message this late (ms), or a late between the two given at random (ends then arrive out of order). */
  delayMs?: number | [number, number];
  /** Each message sent this many times (the same message id). */
  times?: number;
  /** Ends whose job matches this are never published (a lost notification). */
  never?: RegExp;
}

export interface SimulatorNotifications {
  /** What was published: job, instance, status, when (ms). */
  published(): { job: string; instanceId: string; status: string; at: number }[];
  stop(): void;
}

/** Looks at the started runs every `everyMs` and publishes each new end a rule wants. */
export function startNotificationRules(
  simulator: Simulator,
  topic: RunningSmnTopic,
  rules: readonly NotificationRule[],
  options: { everyMs?: number } = {},
): SimulatorNotifications {
  const told = new Set<string>();
  const published: { job: string; instanceId: string; status: string; at: number }[] = [];
  const tick = () => {
    for (const { job, instanceId } of simulator.startedRuns()) {
      const view = simulator.instance(job, instanceId);
      if (!view) continue;
      const status = parseInstanceStatus(view.status);
      if (!isTerminal(status)) continue;
      const key = `${job}\n${instanceId}\n${String(view.endTime ?? '')}`;
      if (told.has(key)) continue;
      told.add(key);
      for (const rule of rules) {
        const statusText = status === 'fail' ? 'fail' : status === 'success' ? 'success' : undefined;
        if (!statusText || !(rule.on ?? ['fail']).includes(statusText)) continue;
        if (rule.never?.test(job)) continue;
        const delay = Array.isArray(rule.delayMs)
          ? rule.delayMs[0] + Math.random() * (rule.delayMs[1] - rule.delayMs[0])
          : (rule.delayMs ?? 0);
        published.push({ job, instanceId, status: statusText, at: Date.now() });
        void topic
          .publish(rule.endpoint, dataartsMessage({ job, instanceId, status: statusText }), {
            delayMs: delay,
            times: rule.times ?? 1,
          })
          .catch(() => undefined);
      }
    }
  };
  const timer = setInterval(tick, options.everyMs ?? 50);
  timer.unref();
  return { published: () => published, stop: () => clearInterval(timer) };
}
