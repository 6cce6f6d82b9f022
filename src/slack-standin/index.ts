/**
 * The Slack stand-in: a loopback Web API, response URLs and Socket Mode over a workspace model, and drivers
 * playing Slack (over HTTP or Socket Mode).
 */
export {
  type ActionInput,
  type ActorOptions,
  type BlockActionInput,
  type BotAnswer,
  type Delivery,
  Driver,
  type DriverOptions,
  type EventAnswer,
  type EventOptions,
  type MessageRef,
  SlackDriver,
} from './driver';
export type { FaultRule } from './faults';
export type { StandinEvent, StandinEventBody, StandinListener } from './feed';
export type {
  BotIdentity,
  Channel,
  ChannelKind,
  Ephemeral,
  MessageContent,
  MessageMetadata,
  MessageSnapshot,
  MessageVersion,
  RecordedCall,
  SlackAnswer,
  StandinFault,
  StoredFile,
  StoredMessage,
  StoredView,
  Team,
  User,
  UserGroup,
} from './model';
export { RESPONSE_URL_TTL_MS, RESPONSE_URL_USES, type ResponseUrlBinding } from './response-urls';
export type { SigningFault } from './signing';
export { NOT_ACKED, SocketModeDriver } from './socket-driver';
export type {
  DisconnectReason,
  EnvelopeAck,
  EnvelopeType,
  SentEnvelope,
  SocketConnection,
  SocketModeHub,
} from './socket-mode';
export {
  DEFAULT_ACTOR,
  DEFAULT_SCOPES,
  type RunningStandin,
  SlackStandin,
  type StandinOptions,
  startSlackStandin,
} from './standin';
export { containing, Matcher, type Pattern, type WaitOptions } from './wait';
export type { StoredUnfurl, Workspace } from './workspace';
