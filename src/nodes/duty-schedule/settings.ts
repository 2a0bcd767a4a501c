import type { NodeDef } from 'node-red';

export interface DutyScheduleConfig extends NodeDef {
  server?: string;
  /** IANA; empty: the host's */
  zone?: string;
  shifts?: unknown[];
  overrides?: unknown[];
  otherwise?: unknown;
}
