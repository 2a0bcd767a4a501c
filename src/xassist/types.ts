/** Shapes of the xAssist API as described in the project's contract (shared/xassist-api.md). */

export interface CallLogContact {
  id?: number;
  displayName?: string | null;
  domain?: string | null;
  email?: string | null;
  phoneNumber?: string | null;
  /** The user's database id. */
  userDbId?: number | null;
  /** The user's login name. */
  userId?: string | null;
  [field: string]: unknown;
}

export interface Team {
  id?: number;
  name?: string;
  [field: string]: unknown;
}

export type CallReason = 'STANDARD' | 'SERVICE_REQUEST';
export type CallType = 'MESH' | 'SFU';
export const CALL_REASONS: readonly CallReason[] = ['STANDARD', 'SERVICE_REQUEST'];
export const CALL_TYPES: readonly CallType[] = ['MESH', 'SFU'];

export interface CreateCallRequest {
  callTitle?: string;
  callReason?: CallReason;
  callType?: CallType;
  invitedContacts?: CallLogContact[];
  invitedTeams?: Team[];
  joinAnonymousAllowed?: boolean;
  informOthersDirectly?: boolean;
  creatorUser?: number | null;
  plannedDateTime?: string | null;
}

export interface CallEvent {
  id: number;
  /** Created, Join, Leave "among others": unknown types are kept as they are. */
  type: string;
  contact?: CallLogContact | null;
  /** an ISO text or epoch ms: read it with serverDate() */
  time?: string | number | null;
  comment?: string | null;
  [field: string]: unknown;
}

export interface CallLog {
  id?: number;
  callId: string;
  callStatus?: string;
  anonymousJoinAllow?: boolean;
  anonymousJoinAllowed?: boolean;
  creatorContact?: CallLogContact | null;
  invitedContacts?: CallLogContact[];
  invitedTeams?: Team[];
  callEvents?: CallEvent[];
  title?: string;
  callType?: string;
  callReason?: string;
  /** dates are ISO texts or epoch ms: read them with serverDate() */
  callStart?: string | number | null;
  callEnd?: string | number | null;
  plannedDateTime?: string | number | null;
  inviteLink?: string | null;
  [field: string]: unknown;
}

export interface XAssistUser {
  id: number;
  userId: string;
  realName?: string;
  email?: string;
  phoneNumber?: string;
  domainTag?: string;
  teams?: Team[];
  [field: string]: unknown;
}

export interface Page<T> {
  content: T[];
  totalElements?: number;
  [field: string]: unknown;
}

export interface UserQuery {
  userid?: string;
  email?: string;
  displayname?: string;
  page?: number;
  size?: number;
  /** Spring's `property,direction`, e.g. `realName,asc` */
  sort?: string;
}

/** What login and refresh answer; only `token` is required. */
export interface LoginResponse {
  token: string;
  refreshToken?: string;
  /** epoch ms, or an ISO text on some servers */
  refreshTokenValidUntil?: number | string;
  userId?: number | string;
  displayName?: string;
  domainTag?: string;
  permissions?: string[];
  locale?: string;
  [field: string]: unknown;
}

/**
 * The `size` values of `assets/download_asset_by_uri`: `SMALL` is seen in public code, the
 * others are guesses, which `npx xassist-check` asks a server about.
 */
export const ASSET_SIZES = ['SMALL', 'MEDIUM', 'LARGE', 'ORIGINAL'] as const;
export type AssetSize = (typeof ASSET_SIZES)[number];
