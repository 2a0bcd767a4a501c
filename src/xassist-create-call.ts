import type { Node, NodeAPI, NodeDef, NodeMessage, NodeMessageInFlow } from 'node-red';
import { createCallSafely, openCall } from './calls/create';
import { CallDedup, DEDUP_RECORDS } from './calls/dedup';
import { SharedDedupGuard } from './calls/shared-dedup';
import { normaliseCallLog } from './mapping/call-log';
import { CALL_FIELDS, mergeFields, validateCall, type CallFields } from './mapping/create-call';
import { FieldError } from './mapping/field-error';
import { resolveCall } from './mapping/resolve-call';
import { CREATE_CALL_MIGRATIONS, migrate } from './node-red/migrations';
import { dedupKeyOf } from './node-red/dedup-key';
import { contextState } from './node-red/context-state';
import { useServer } from './node-red/server-user';
import { isEmpty, numberSetting, settingWarning } from './node-red/settings';
import { Waits } from './node-red/waits';
import { reportOf } from './node-red/report';
import { evaluateSetting } from './node-red/typed-input';
import { XAssistError } from './xassist';

type TypedConfig = { [K in string]?: unknown };

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
}

interface CallMessage extends NodeMessageInFlow {
  callId?: string;
  inviteLink?: string;
  repeat?: boolean;
  dedupKey?: unknown;
  error?: unknown;
}

const DEFAULT_DEDUP_WINDOW_S = 600;
const DEDUP_KEY = 'dedup';
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

    async function handle(msg: CallMessage): Promise<CallMessage> {
      const client = server?.client;
      const directory = server?.directory;
      if (!client || !directory) {
        throw server?.configError ?? new Error(RED._('xassist-create-call.errors.no-server'));
      }
      const draft = validateCall(mergeFields(msg.payload, await settingsFor(msg)));
      const key = await dedupKeyOf(RED, node, msg, {
        value: config.dedupKey,
        type: config.dedupKeyType,
      });
      const create = () =>
        createCallSafely(client, () => resolveCall(draft, directory), {
          wait: waits.wait,
          signal: closing.signal,
          onRetry: (err, seconds) =>
            node.log(RED._('xassist-create-call.log.retry', { code: reasonOf(err), seconds })),
        });
      const { call, repeat } = key
        ? await dedup.run(key, dedupWindowMs, create, (callId) =>
            openCall(client, callId, closing.signal),
          )
        : { call: await create(), repeat: false };
      msg.payload = normaliseCallLog(call);
      msg.callId = call.callId;
      if (typeof call.inviteLink === 'string') msg.inviteLink = call.inviteLink;
      msg.repeat = repeat;
      return msg;
    }

    node.on('input', (msg, send, done) => {
      show({
        fill: 'blue',
        shape: 'dot',
        text: RED._('xassist-create-call.status.creating'),
      });
      handle(msg as CallMessage).then(
        (out) => {
          const text = RED._(`xassist-create-call.status.${out.repeat ? 'repeat' : 'created'}`);
          show({ fill: 'green', shape: 'dot', text });
          send(config.errorOutput ? [out, null] : out);
          done();
        },
        (err: unknown) => {
          const report = reportOf(err);
          show({ fill: 'red', shape: 'ring', text: statusTextOf(err) });
          if (config.errorOutput) {
            (msg as CallMessage).error = { message: report.message, ...report.cause };
            send([null, msg]);
            done();
          } else {
            done(report);
          }
        },
      );
    });

    node.on('close', (_removed: boolean, done: () => void) => {
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

/** ECONNREFUSED, HTTP 503 from the login, or the back-off after such failures */
function reasonOf(err: XAssistError): string {
  return err.code ?? (err.status ? `HTTP ${err.status}` : err.kind);
}

/** Settings from env vars or text give "true"/"false". */
function asBoolean(value: unknown): unknown {
  if (value === 'true') return true;
  if (value === 'false') return false;
  return value;
}
