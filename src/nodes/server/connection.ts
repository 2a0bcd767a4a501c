import { CallMaker } from '../../calls/call-maker';
import type { CallLedger } from '../../calls/ledger';
import { SharedReads } from '../../calls/shared-reads';
import type { ServerApi } from '../../node-red/types';
import { UserDirectory, type XAssistClient } from '../../xassist';

/** What every node of a server uses: its client, and what is built on it once for them all. */
export function connectionOf(client: XAssistClient, ledger: CallLedger): ServerApi {
  return {
    client,
    directory: new UserDirectory(client),
    reads: new SharedReads(client),
    calls: new CallMaker(client, ledger),
  };
}
