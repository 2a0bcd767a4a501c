import type { Node, NodeAPI, NodeDef, NodeMessage, NodeMessageInFlow } from 'node-red';
import type { MadeCall } from '../../calls/call-maker';
import { openCall } from '../../calls/open-call';
import { CallDedup, DEDUP_RECORDS } from '../../calls/dedup';
import { SharedDedupGuard } from '../../calls/shared-dedup';
import { normaliseCallLog } from '../../mapping/call-log';
import { CALL_FIELDS, mergeFields, validateCall, type CallFields } from '../../mapping/create-call';
import { FieldError } from '../../mapping/field-error';
import { resolveCall } from '../../mapping/resolve-call';
import { CREATE_CALL_MIGRATIONS, migrate } from '../../node-red/migrations';
import { dedupKeyOf } from '../../node-red/dedup-key';
import { contextState } from '../../node-red/context-state';
import { useServer } from '../../node-red/server-user';
import { isEmpty, numberSetting, settingWarning } from '../../node-red/settings';
import { Waits } from '../../node-red/waits';
import { portableCopy } from '../../node-red/message';
import { PENDING_ALARMS, type PendingAlarm } from '../../calls/pending';
import { reportOf } from '../../node-red/report';
import { evaluateSetting } from '../../node-red/typed-input';
import { XAssistError } from '../../xassist';

type TypedConfig = { [K in string]?: unknown };

/** An alarm's attempt at its call: since when, until when, and whether it waits to try again. */
type Attempt = Omit<PendingAlarm, 'msg'>;

interface CreateCallConfig extends NodeDef, TypedConfig {
  server?: string;
  /** one typedInput each: a login name, an email, or a msg/flow/global/env/JSONata source */
  invitees?: Array<{ v: string; vt: string }>;
  dedupKey?: string;
  dedupKeyType?: string;
  /** seconds */
  dedupWindow?: string | number;
  /** send failures to a second output instead of to Catch nodes */
  errorOutput?: boolean;
  /** seconds a failure that may pass is tried again before it is reported */
  keepTrying?: string | number;
  /** the msg property the call goes to (default payload) */
  property?: string;
}

interface CallMessage extends NodeMessageInFlow {
  callId?: string;
  inviteLink?: string;
  repeat?: boolean;
  recovered?: boolean;
  attempts?: number;
  dedupKey?: unknown;
  error?: unknown;
}

const DEFAULT_DEDUP_WINDOW_S = 600;
/** also for flows saved before the setting existed */
const DEFAULT_KEEP_TRYING_S = 60;
const MAX_KEEP_TRYING_S = 86_400;
/** alarms waiting for their next attempt at once; past it, an alarm's failure is reported at once */
const MAX_WAITING_ALARMS = 1_000;
const DEDUP_KEY = 'dedup';
/** the alarms a close interrupted, resumed by the next start */
const PENDING_KEY = 'pending';
/** what a saved alarm leaves out: `error` is what this node adds on failure */
const NOT_SAVED = new Set(['error']);
const BOOLEAN_FIELDS = new Set(['joinAnonymousAllowed', 'informOthersDirectly']);

export = function register(RED: NodeAPI): void {
  function XAssistCreateCall(this: Node, saved: CreateCallConfig): void {
    RED.nodes.createNode(this, saved);
    const config = migrate(saved, CREATE_CALL_MIGRATIONS);
    const node = this;
    const { server, show } = useServer(RED, node, config.server);
    const waits = new Waits(() => new Error(RED._('xassist-create-call.errors.closed')));
    /** aborts this node's requests in flight when it closes */
    const closing = new AbortController();
    const state = contextState(node);
    // with shared state, one attempt per key across the instances too
    const guard =
      server?.shared &&
      new SharedDedupGuard(server.shared, node.id, waits.wait, (err) =>
        node.debug(`shared state: ${(err as Error).message}`),
      );
    const dedup = new CallDedup(
      {
        load: () => state.load(DEDUP_KEY, DEDUP_RECORDS) ?? {},
        save: (records) => state.save(DEDUP_KEY, DEDUP_RECORDS, records),
      },
      Date.now,
      guard,
    );
    const dedupWindowMs =
      numberSetting(
        config.dedupWindow,
        {
          label: RED._('xassist-create-call.label.dedupWindow'),
          fallback: DEFAULT_DEDUP_WINDOW_S,
          min: 0,
        },
        settingWarning(RED, node),
      ) * 1000;
    const keepTryingMs =
      numberSetting(
        config.keepTrying,
        {
          label: RED._('xassist-create-call.label.keepTrying'),
          fallback: DEFAULT_KEEP_TRYING_S,
          min: 0,
          max: MAX_KEEP_TRYING_S,
        },
        settingWarning(RED, node),
      ) * 1000;
    const outputProperty = isEmpty(config.property) ? 'payload' : String(config.property).trim();

    // only the settings that are set are evaluated for each message
    const fieldSettings = CALL_FIELDS.filter((field) => field !== 'invitedContacts')
      .map((field) => ({ field, value: config[field], type: config[`${field}Type`] as string }))
      .filter(({ value }) => !isEmpty(value));
    const inviteeSettings = (config.invitees ?? []).filter((entry) => entry.v !== '');

    /** The createCall fields the node's settings give for `msg`. */
    async function settingsFor(msg: NodeMessage): Promise<CallFields> {
      const settings: CallFields = {};
      for (const { field, value, type } of fieldSettings) {
        const evaluated = await evaluateSetting(RED, node, msg, { value, type });
        settings[field] = BOOLEAN_FIELDS.has(field) ? asBoolean(evaluated) : evaluated;
      }
      const invitees: unknown[] = [];
      for (const entry of inviteeSettings) {
        const value = await evaluateSetting(RED, node, msg, { value: entry.v, type: entry.vt });
        if (Array.isArray(value)) invitees.push(...value);
        else if (value !== undefined && value !== '') invitees.push(value);
      }
      if (invitees.length) settings.invitedContacts = invitees;
      return settings;
    }

    /** The alarms being handled now (in flight or waiting): a close saves them to resume. */
    const pending = new Map<CallMessage, Attempt>();
    let lastFailure = '';

    async function handle(msg: CallMessage, resumed?: Attempt): Promise<CallMessage> {
      const maker = server?.calls;
      const client = server?.client;
      const directory = server?.directory;
      if (!maker || !client || !directory) {
        throw server?.configError ?? new Error(RED._('xassist-create-call.errors.no-server'));
      }
      const draft = validateCall(mergeFields(msg.payload, await settingsFor(msg)));
      const key = await dedupKeyOf(RED, node, msg, {
        value: config.dedupKey,
        type: config.dedupKeyType,
      });
      // the message is copied only if a close saves it: not on every alarm
      const alarm: Attempt = resumed ?? { startedAt: Date.now(), until: Date.now() + keepTryingMs };
      pending.set(msg, alarm);
      let made: MadeCall | undefined;
      const create = () =>
        maker
          .make(() => resolveCall(draft, directory), {
            until: alarm.until,
            // a resumed alarm's request may have made the call before the redeploy
            since: resumed ? resumed.startedAt : undefined,
            signal: closing.signal,
            wait: waits.wait,
            onRetry: (err, attempts, waitMs) => onRetry(alarm, err, attempts, waitMs),
          })
          .then((result) => {
            made = result;
            return result.call;
          });
      try {
        const { call, repeat } = key
          ? await dedup.run(
              key,
              dedupWindowMs,
              create,
              (callId) => openCall(client, callId, closing.signal),
              alarm.until,
            )
          : { call: await create(), repeat: false };
        if (outputProperty === 'payload') msg.payload = normaliseCallLog(call);
        else RED.util.setMessageProperty(msg, outputProperty, normaliseCallLog(call), true);
        msg.callId = call.callId;
        if (typeof call.inviteLink === 'string') msg.inviteLink = call.inviteLink;
        msg.repeat = repeat;
        msg.recovered = made?.recovered ?? false;
        msg.attempts = made?.attempts ?? 0;
        return msg;
      } finally {
        // a close keeps the alarms still waiting: it saves them before this runs
        if (!closing.signal.aborted) pending.delete(msg);
        if (alarm.waiting) {
          alarm.waiting = false;
          waiting -= 1;
        }
      }
    }

    let waiting = 0;

    /** A failure that may pass: the alarm waits for its next attempt, and the status says so. */
    function onRetry(alarm: Attempt, err: XAssistError, attempts: number, waitMs: number) {
      if (!alarm.waiting) {
        if (waiting >= MAX_WAITING_ALARMS) {
          throw new Error(
            RED._('xassist-create-call.errors.too-many', { max: MAX_WAITING_ALARMS }),
          );
        }
        alarm.waiting = true;
        waiting += 1;
      }
      lastFailure = reasonOf(err);
      node.log(
        RED._('xassist-create-call.log.retry', {
          reason: err.message,
          attempts,
          seconds: Math.round(waitMs / 100) / 10,
        }),
      );
      showWaiting();
    }

    function showWaiting(): void {
      show({
        fill: 'yellow',
        shape: 'ring',
        text: RED._('xassist-create-call.status.retrying', { reason: lastFailure, count: waiting }),
      });
    }

    function outcome(
      msg: CallMessage,
      result: Promise<CallMessage>,
      send: (out: NodeMessage | Array<NodeMessage | null>) => void,
      done?: (err?: Error) => void,
    ): void {
      result.then(
        (out) => {
          const shown = out.repeat ? 'repeat' : out.recovered ? 'recovered' : 'created';
          const text = RED._(`xassist-create-call.status.${shown}`);
          if (waiting > 0) showWaiting();
          else show({ fill: 'green', shape: 'dot', text });
          send(config.errorOutput ? [out, null] : out);
          done?.();
        },
        (err: unknown) => {
          // closed meanwhile: the alarm is saved and resumed by the next start of this node
          if (closing.signal.aborted && pending.has(msg)) return done?.();
          const report = reportOf(err);
          if (waiting > 0) showWaiting();
          else show({ fill: 'red', shape: 'ring', text: statusTextOf(err) });
          if (config.errorOutput) {
            msg.error = { message: report.message, ...report.cause };
            send([null, msg]);
            done?.();
          } else if (done) {
            done(report);
          } else {
            node.error(report, msg);
          }
        },
      );
    }

    node.on('input', (msg, send, done) => {
      if (waiting === 0) {
        show({ fill: 'blue', shape: 'dot', text: RED._('xassist-create-call.status.creating') });
      }
      outcome(msg as CallMessage, handle(msg as CallMessage), send, done);
    });

    // the alarms a redeploy interrupted: each looks for the call its request may have made
    const interrupted = state.load(PENDING_KEY, PENDING_ALARMS) ?? [];
    if (interrupted.length) {
      state.save(PENDING_KEY, PENDING_ALARMS, []);
      node.log(RED._('xassist-create-call.log.resumed', { count: interrupted.length }));
      for (const alarm of interrupted) {
        const msg = alarm.msg as CallMessage;
        const resumed = { startedAt: alarm.startedAt, until: Math.max(alarm.until, Date.now()) };
        outcome(msg, handle(msg, resumed), (out) => node.send(out));
      }
    }

    node.on('close', (_removed: boolean, done: () => void) => {
      if (pending.size) {
        const alarms = [...pending].map(([msg, { startedAt, until }]): PendingAlarm => ({
          msg: portableCopy(msg, NOT_SAVED),
          startedAt,
          until,
        }));
        state.save(PENDING_KEY, PENDING_ALARMS, alarms);
      }
      closing.abort();
      waits.cancelAll();
      done();
    });

    function statusTextOf(err: unknown): string {
      if (err instanceof FieldError) return RED._('xassist-create-call.status.invalid');
      // a failed login is the connection's problem, which the status shows over this one
      if (err instanceof XAssistError && err.status && err.path !== 'login') {
        return `error ${err.status}`;
      }
      return RED._('xassist-create-call.status.failed');
    }
  }

  RED.nodes.registerType('xassist-create-call', XAssistCreateCall);
};

/** 503, ECONNREFUSED, or the kind of failure: short enough for a status */
function reasonOf(err: XAssistError): string {
  return err.status ? String(err.status) : (err.code ?? err.kind);
}

/** Settings from env vars or text give "true"/"false". */
function asBoolean(value: unknown): unknown {
  if (value === 'true') return true;
  if (value === 'false') return false;
  return value;
}
