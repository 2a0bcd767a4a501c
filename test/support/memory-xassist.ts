import { XAssistError, type CallLog, type CreateCallRequest, type Page } from '../../src/xassist';

export type CreateOutcome = 'ok' | 'down' | 'refused' | 'broken-after-made';

const CREATOR = { userId: 'connector', userDbId: 1 };

/**
 * An xAssist server in memory, answering after a delay on whatever clock setTimeout runs on:
 * for unit tests of the engines under a fake clock, where a loopback server cannot follow the
 * clock. It knows what the engines need: createCall, getCallLogById, the newest calls.
 */
export class MemoryXAssist {
  readonly calls = new Map<string, CallLog>();
  /** the outcome of each createCall, in order; 'ok' once they are used up */
  readonly outcomes: CreateOutcome[] = [];
  down = false;
  creates = 0;
  private nextId = 1;
  private nextEvent = 1;

  constructor(
    private readonly now: () => number,
    private readonly latencyMs = 20,
  ) {}

  create = (body: CreateCallRequest): Promise<CallLog> =>
    this.later(() => {
      this.creates += 1;
      const outcome = this.down ? 'down' : (this.outcomes.shift() ?? 'ok');
      if (outcome === 'down') throw httpError('rtc/createCall', 503);
      if (outcome === 'refused') throw httpError('rtc/createCall', 400);
      const call = this.make(body);
      if (outcome === 'broken-after-made') {
        throw new XAssistError('network', 'xAssist rtc/createCall: the connection broke', {
          path: 'rtc/createCall',
          code: 'ECONNRESET',
          mayHaveReachedServer: true,
        });
      }
      return structuredClone(call);
    });

  createCall = (body: CreateCallRequest): Promise<CallLog> => this.create(body);

  /** The newest calls, as one page of the tenant's calls. */
  getCallLogPage = async (): Promise<Page<CallLog>> => {
    const content = await this.newest();
    return { content, totalElements: content.length, totalPages: 1, number: 0, last: true };
  };

  read = (callId: string): Promise<CallLog> =>
    this.later(() => {
      if (this.down) throw httpError('rtc/getCallLogById', 503);
      const call = this.calls.get(callId);
      if (!call) throw httpError('rtc/getCallLogById', 404);
      return structuredClone(call);
    });

  newest = (): Promise<CallLog[]> =>
    this.later(() => {
      if (this.down) throw httpError('rtc/getFilteredCallLogsV2', 503);
      return [...this.calls.values()].reverse().map((call) => structuredClone(call));
    });

  /** A call made at once, as by another client. */
  startCall(userId = 'expert1'): CallLog {
    return structuredClone(this.make({ callTitle: 'alarm', invitedContacts: [{ userId }] }));
  }

  join(callId: string, userId: string): void {
    const call = this.calls.get(callId);
    if (!call || call.callStatus === 'Ended') return;
    call.callEvents?.push({
      id: this.nextEvent++,
      type: 'Join',
      contact: { userId },
      time: this.now(),
    });
  }

  end(callId: string): void {
    const call = this.calls.get(callId);
    if (call) call.callStatus = 'Ended';
  }

  private make(body: CreateCallRequest): CallLog {
    const callId = `call-${this.nextId}`;
    const call: CallLog = {
      id: this.nextId++,
      callId,
      title: body.callTitle,
      callStatus: 'Started',
      creatorContact: CREATOR,
      invitedContacts: body.invitedContacts,
      invitedTeams: body.invitedTeams ?? [],
      callStart: this.now(),
      callEvents: [{ id: this.nextEvent++, type: 'Created', contact: CREATOR, time: this.now() }],
    };
    this.calls.set(callId, call);
    return call;
  }

  private later<T>(answer: () => T): Promise<T> {
    return new Promise((resolve, reject) =>
      setTimeout(() => {
        try {
          resolve(answer());
        } catch (err) {
          reject(err);
        }
      }, this.latencyMs),
    );
  }
}

function httpError(path: string, status: number): XAssistError {
  return new XAssistError('http', `xAssist ${path} failed: ${status}`, {
    path,
    status,
    mayHaveReachedServer: true,
  });
}
