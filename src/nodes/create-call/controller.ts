import type { NodeMessageInFlow } from 'node-red';
import type { MadeCall } from '../../calls/call-maker';
import { CallDedup, DEDUP_RECORDS } from '../../calls/dedup';
import { openCall } from '../../calls/open-call';
import { PENDING_ALARMS, type PendingAlarm } from '../../calls/pending';
import { SharedDedupGuard } from '../../calls/shared-dedup';
import { normaliseCallLog } from '../../mapping/call-log';
import { presenceRead } from '../../duty/presence';
import type { StepPeople } from '../../escalation/escalation';
import { chooseFor, namesOf, type StepChoice } from '../../escalation/step-people';
import { mergeFields, validateCall, type CallDraft } from '../../mapping/create-call';
import { resolveCall } from '../../mapping/resolve-call';
import { portableCopy } from '../../node-red/message';
import { reportOf } from '../../node-red/report';
import type { NodeKit, Send } from '../../node-red/skeleton';
import { Waits } from '../../node-red/waits';
import type { CallLog, XAssistError } from '../../xassist';
import type { CreateCallSettings } from './settings';
import { createCallStatus, reasonOf } from './status';

export interface CallMessage extends NodeMessageInFlow {
  callId?: string;
  inviteLink?: string;
  repeat?: boolean;
  recovered?: boolean;
  attempts?: number;
  dedupKey?: unknown;
  error?: unknown;
}

/** An alarm's attempt at its call: since when, until when, and whether it waits to try again. */
type Attempt = Omit<PendingAlarm, 'msg'>;

/** alarms waiting for their next attempt at once; past it, an alarm's failure is reported at once */
const MAX_WAITING_ALARMS = 1_000;
const DEDUP_KEY = 'dedup';
/** the alarms a close interrupted, resumed by the next start */
const PENDING_KEY = 'pending';
/** what a saved alarm leaves out: `error` is what this node adds on failure */
const NOT_SAVED = new Set(['error']);

/**
 * create-call's work, Node-RED aside: each alarm to one call (or the open call of its dedup
 * key), tried again while its Keep trying lasts, and saved by a close to be resumed at start.
 */
export class CreateCallController {
  private readonly waits: Waits;
  /** aborts this node's requests in flight when it closes */
  private readonly closing = new AbortController();
  private readonly dedup: CallDedup;
  /** the alarms being handled now (in flight or waiting): a close saves them to resume */
  private readonly pending = new Map<CallMessage, Attempt>();
  private waiting = 0;
  private lastFailure = '';

  constructor(
    private readonly kit: NodeKit,
    private readonly settings: CreateCallSettings,
  ) {
    this.waits = new Waits(() => new Error(kit.t('errors.closed')));
    const { state, shared, node } = kit;
    // with shared state, one attempt per key across the instances too
    const guard =
      shared &&
      new SharedDedupGuard(shared, node.id, this.waits.wait, (err) =>
        node.debug(`shared state: ${(err as Error).message}`),
      );
    this.dedup = new CallDedup(
      {
        load: () => state.load(DEDUP_KEY, DEDUP_RECORDS) ?? {},
        save: (records) => state.save(DEDUP_KEY, DEDUP_RECORDS, records),
      },
      Date.now,
      guard,
    );
  }

  /** An alarm from the flow: its call to `send`; a failure thrown, for a Catch node. */
  async input(msg: CallMessage, send: Send): Promise<void> {
    if (this.waiting === 0) this.kit.show(createCallStatus.creating(this.kit.t));
    try {
      this.sent(await this.handle(msg), send);
    } catch (err) {
      if (this.failed(msg, err, send)) throw err;
    }
  }

  /** The alarms a redeploy interrupted: each looks for the call its request may have made. */
  resumeSaved(): void {
    const { state, node, t } = this.kit;
    const interrupted = state.load(PENDING_KEY, PENDING_ALARMS) ?? [];
    if (!interrupted.length) return;
    state.save(PENDING_KEY, PENDING_ALARMS, []);
    node.log(t('log.resumed', { count: interrupted.length }));
    for (const alarm of interrupted) {
      const msg = alarm.msg as CallMessage;
      const resumed = { startedAt: alarm.startedAt, until: Math.max(alarm.until, Date.now()) };
      this.handle(msg, resumed).then(
        (out) => this.sent(out, (message) => node.send(message)),
        (err: unknown) => {
          if (this.failed(msg, err, (message) => node.send(message))) {
            node.error(reportOf(err), msg);
          }
        },
      );
    }
  }

  /** Saves the alarms still being handled, for the next start, and stops every request. */
  close(): void {
    if (this.pending.size) {
      const alarms = [...this.pending].map(([msg, { startedAt, until }]): PendingAlarm => ({
        msg: portableCopy(msg, NOT_SAVED),
        startedAt,
        until,
      }));
      this.kit.state.save(PENDING_KEY, PENDING_ALARMS, alarms);
    }
    this.closing.abort();
    this.waits.cancelAll();
  }

  private async handle(msg: CallMessage, resumed?: Attempt): Promise<CallMessage> {
    const { calls, client, directory } = this.kit.api();
    const { fields, onDuty } = await this.settings.fieldsFor(msg);
    const planned = validateCall(mergeFields(msg.payload, fields));
    const key = await this.kit.dedupKey(msg, this.settings.dedupKey);
    // the message is copied only if a close saves it: not on every alarm
    const now = Date.now();
    const alarm: Attempt = resumed ?? { startedAt: now, until: now + this.settings.keepTryingMs };
    this.pending.set(msg, alarm);
    let made: MadeCall | undefined;
    // whom to invite is decided once, at the first attempt: presence is read then
    let chosen: Promise<StepChoice> | undefined;
    const choose = () => (chosen ??= this.choose(planned, onDuty));
    const create = async () => {
      made = await calls.make(async () => resolveCall((await choose()).draft, directory), {
        until: alarm.until,
        // a resumed alarm's request may have made the call before the redeploy
        since: resumed ? resumed.startedAt : undefined,
        signal: this.closing.signal,
        wait: this.waits.wait,
        onRetry: (err, attempts, waitMs) => this.onRetry(alarm, err, attempts, waitMs),
      });
      return made.call;
    };
    try {
      const { call, repeat } = key
        ? await this.dedup.run(
            key,
            this.settings.dedupWindowMs,
            create,
            (callId) => openCall(client, callId, this.closing.signal),
            alarm.until,
          )
        : { call: await create(), repeat: false };
      const people = chosen && (this.settings.presence || onDuty) ? await chosen : undefined;
      return this.withCall(msg, call, repeat, made, people?.people);
    } finally {
      // a close keeps the alarms still waiting: it saves them before this runs
      if (!this.closing.signal.aborted) this.pending.delete(msg);
      if (alarm.waiting) {
        alarm.waiting = false;
        this.waiting -= 1;
      }
    }
  }

  /**
   * Whom of the planned invitees to invite: with presence on, everyone but those the server
   * reports offline, unless all are (a call has no later step to pass on to).
   */
  private async choose(planned: CallDraft, onDuty: string[] | undefined): Promise<StepChoice> {
    const presence = this.settings.presence
      ? await presenceRead(namesOf(planned), this.kit.api().directory)
      : undefined;
    return chooseFor(0, planned, presence, async () => false, onDuty);
  }

  private withCall(
    msg: CallMessage,
    call: CallLog,
    repeat: boolean,
    made: MadeCall | undefined,
    people?: StepPeople,
  ): CallMessage {
    const { property } = this.settings;
    if (property === 'payload') msg.payload = normaliseCallLog(call);
    else this.kit.RED.util.setMessageProperty(msg, property, normaliseCallLog(call), true);
    msg.callId = call.callId;
    if (typeof call.inviteLink === 'string') msg.inviteLink = call.inviteLink;
    msg.repeat = repeat;
    msg.recovered = made?.recovered ?? false;
    msg.attempts = made?.attempts ?? 0;
    if (people) {
      // who was on duty, and whom presence left out
      const { position: _position, ...told } = people;
      msg.people = told;
    }
    return msg;
  }

  /** A failure that may pass: the alarm waits for its next attempt, and the status says so. */
  private onRetry(alarm: Attempt, err: XAssistError, attempts: number, waitMs: number): void {
    const { t, node } = this.kit;
    if (!alarm.waiting) {
      if (this.waiting >= MAX_WAITING_ALARMS) {
        throw new Error(t('errors.too-many', { max: MAX_WAITING_ALARMS }));
      }
      alarm.waiting = true;
      this.waiting += 1;
    }
    this.lastFailure = reasonOf(err);
    const seconds = Math.round(waitMs / 100) / 10;
    node.log(t('log.retry', { reason: err.message, attempts, seconds }));
    this.showWaiting();
  }

  private sent(out: CallMessage, send: Send): void {
    const how = out.repeat ? 'repeat' : out.recovered ? 'recovered' : 'created';
    if (this.waiting > 0) this.showWaiting();
    else this.kit.show(createCallStatus.made(this.kit.t, how));
    send(this.settings.errorOutput ? [out, null] : out);
  }

  /**
   * An alarm's failure: shown, and sent to the error output when there is one. True when it is
   * still to be reported to a Catch node. A close meanwhile saved the alarm: nothing is said.
   */
  private failed(msg: CallMessage, err: unknown, send: Send): boolean {
    if (this.closing.signal.aborted && this.pending.has(msg)) return false;
    this.showFailed(err);
    if (!this.settings.errorOutput) return true;
    const report = reportOf(err);
    msg.error = { message: report.message, ...report.cause };
    send([null, msg]);
    return false;
  }

  private showFailed(err: unknown): void {
    if (this.waiting > 0) this.showWaiting();
    else this.kit.show(createCallStatus.failed(this.kit.t, err));
  }

  private showWaiting(): void {
    this.kit.show(createCallStatus.retrying(this.kit.t, this.lastFailure, this.waiting));
  }
}
