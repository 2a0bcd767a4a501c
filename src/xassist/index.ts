export { XAssistClient, type ClientOptions } from './api';
export type { ConnectionState, Logger, StateChange } from './auth';
export { XAssistError, type XAssistErrorKind } from './errors';
export type { ProxySettings } from './proxy';
export {
  DEFAULT_DOMAIN,
  DEFAULT_REFRESH_PATH,
  DEFAULT_TIMEOUT_MS,
  validateSettings,
  type ServerSettings,
  type TlsOptions,
} from './settings';
export * from './types';
export { UserDirectory, contactOf, type DirectoryOptions } from './directory';
