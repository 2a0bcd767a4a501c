import { CallMaker, type CallApi } from '../../src/calls/call-maker';
import { CallLedger } from '../../src/calls/ledger';
import type { EscalatorOptions } from '../../src/escalation/escalator';

/**
 * An Escalator's `make` as the escalate node wires it. `ledger`: the server node's, which its
 * context keeps across the escalate node's restarts.
 */
export function stepMaker(api: CallApi, ledger = new CallLedger()): EscalatorOptions['make'] {
  const maker = new CallMaker(api, ledger);
  return (body, { until, since, wait, onRetry }) =>
    maker.make(() => Promise.resolve(body), {
      until,
      since,
      wait,
      onRetry: (err, _attempts, waitMs) => onRetry(err, waitMs),
    });
}
