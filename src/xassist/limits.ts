/** The server settings' defaults and limits: the client checks them, the editor offers them. */
export const DEFAULT_DOMAIN = 'ubimax';
export const DEFAULT_REFRESH_PATH = 'refresh';
/** the refresh path that means "no refresh endpoint: log in again instead" */
export const NO_REFRESH = 'none';
export const DEFAULT_TIMEOUT_MS = 10_000;
export const MAX_TIMEOUT_MS = 10 * 60_000;
