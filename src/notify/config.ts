/**
 * The settings of DataArts notifications (SMN) as a wake-up: on or off (DLF_NOTIFY_ENABLED), the topics whose
 * messages are taken (DLF_NOTIFY_TOPICS), the hosts a signing certificate and a subscription link may come from
 * (DLF_NOTIFY_CERT_HOSTS, else SMN's host in DLF_ENDPOINT's region), and how old a message may be. Problems name
 * the setting.
 */
import { booleanSetting, type Env, secondsSetting, setting } from '../config-error';
import { smnHostsFor } from './smn';

export interface NotifySettings {
  /** Topic URNs (`urn:smn:<region>:<project>:<name>`) whose messages wake the sweep. */
  topics: string[];
  /** Hosts certificates and subscription links may come from (a loopback host here may be plain HTTP: tests). */
  certHosts: string[];
  /** A message older than this (by its signed timestamp) is refused. */
  maxAgeMs: number;
}

const LOOPBACK = /^(?:127\.0\.0\.1|localhost|\[::1\])(?::\d{1,5})?$/;

/** Whether a host of DLF_NOTIFY_CERT_HOSTS is on this machine (then plain HTTP is allowed for it: tests). */
export function isLoopbackHost(host: string): boolean {
  return LOOPBACK.test(host);
}

export function readNotifySettings(
  env: Env,
  problems: string[],
  dataartsEndpoint: string | undefined,
): NotifySettings | undefined {
  const on = booleanSetting(env, 'DLF_NOTIFY_ENABLED', problems);
  const maxAgeMs = secondsSetting(env, 'DLF_NOTIFY_MAX_AGE_MINUTES', 10, problems, 1) * 60;
  if (!on) return undefined;
  const topics = (setting(env, 'DLF_NOTIFY_TOPICS') ?? '').split(/[\s,]+/).filter(Boolean);
  if (topics.length === 0)
    problems.push(
      'DLF_NOTIFY_TOPICS is not set: the URN of each SMN topic DataArts notifies (urn:smn:<region>:<project id>:<topic>), comma-separated.',
    );
  for (const topic of topics)
    if (!/^urn:smn:[a-z0-9-]+:[A-Za-z0-9]+:[A-Za-z0-9_-]{1,255}$/.test(topic))
      problems.push(`DLF_NOTIFY_TOPICS must list SMN topic URNs (got "${topic.slice(0, 80)}").`);
  const configured = setting(env, 'DLF_NOTIFY_CERT_HOSTS');
  const certHosts = configured
    ? configured.split(/[\s,]+/).filter(Boolean)
    : dataartsEndpoint
      ? smnHostsFor(dataartsEndpoint)
      : [];
  if (certHosts.length === 0)
    problems.push(
      "DLF_NOTIFY_CERT_HOSTS is not set, and DLF_ENDPOINT names no region to find SMN by: set it to SMN's host, e.g. smn.eu-de.otc.t-systems.com.",
    );
  for (const host of certHosts)
    if (!/^[a-z0-9.-]+(?::\d{1,5})?$/i.test(host) && !isLoopbackHost(host))
      problems.push(`DLF_NOTIFY_CERT_HOSTS must list host names (got "${host.slice(0, 80)}").`);
  return { topics, certHosts, maxAgeMs };
}
