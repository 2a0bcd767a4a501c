import type { NodeStatus } from 'node-red';
import { FieldError } from '../../mapping/field-error';
import type { Translate } from '../../node-red/skeleton';
import { XAssistError } from '../../xassist';

/** What create-call shows: at work, waiting to try again, or how its last alarm went. */
export const createCallStatus = {
  creating: (t: Translate): NodeStatus => ({
    fill: 'blue',
    shape: 'dot',
    text: t('status.creating'),
  }),

  retrying: (t: Translate, reason: string, count: number): NodeStatus => ({
    fill: 'yellow',
    shape: 'ring',
    text: t('status.retrying', { reason, count }),
  }),

  made: (t: Translate, how: 'repeat' | 'recovered' | 'created'): NodeStatus => ({
    fill: 'green',
    shape: 'dot',
    text: t(`status.${how}`),
  }),

  failed: (t: Translate, err: unknown): NodeStatus => ({
    fill: 'red',
    shape: 'ring',
    text: failureText(t, err),
  }),
};

function failureText(t: Translate, err: unknown): string {
  if (err instanceof FieldError) return t('status.invalid');
  // a failed login is the connection's problem, which the status shows over this one
  if (err instanceof XAssistError && err.status && err.path !== 'login')
    return `error ${err.status}`;
  return t('status.failed');
}

/** 503, ECONNREFUSED, or the kind of failure: short enough for a status */
export function reasonOf(err: XAssistError): string {
  return err.status ? String(err.status) : (err.code ?? err.kind);
}
