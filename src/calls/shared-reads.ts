import type { CallLog, XAssistClient } from '../xassist';

/**
 * The reads of calls for every node of one server: a read of a call that is already on its way
 * is answered by that read. Nodes that follow the same call read it at the same moments (their
 * reads are set by the clock), so one request serves them all.
 */
export class SharedReads {
  private readonly inFlight = new Map<string, Promise<CallLog>>();

  constructor(private readonly client: XAssistClient) {}

  read(callId: string): Promise<CallLog> {
    const reading = this.inFlight.get(callId);
    if (reading) return reading;
    const read = this.client.getCallLogById(callId).finally(() => {
      if (this.inFlight.get(callId) === read) this.inFlight.delete(callId);
    });
    this.inFlight.set(callId, read);
    return read;
  }
}
