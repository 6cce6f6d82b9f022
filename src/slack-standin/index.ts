/** The Slack stand-in: a loopback Web API and response URLs, plus a driver that plays Slack toward the bot. */
export { type BotAnswer, type DriverIdentity, SlackDriver } from './driver';
export {
  type RecordedCall,
  type RunningStandin,
  SlackStandin,
  type StandinEvent,
  type StandinFault,
  startSlackStandin,
} from './server';
export type { Channel, StoredMessage } from './workspace';
