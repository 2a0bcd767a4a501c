export { XAssistClient, type ClientOptions, type RequestOptions } from './api';
export type { ConnectionState, Logger, StateChange } from './auth';
export { XAssistError, isTransient, type XAssistErrorKind } from './errors';
export { flowDate, serverDate } from './dates';
export type { ProxySettings } from './proxy';
export {
  DEFAULT_DOMAIN,
  DEFAULT_REFRESH_PATH,
  NO_REFRESH,
  DEFAULT_TIMEOUT_MS,
  validateSettings,
  type ServerSettings,
  type TlsOptions,
} from './settings';
export * from './types';
export { UserDirectory, contactOf, type DirectoryOptions } from './directory';
