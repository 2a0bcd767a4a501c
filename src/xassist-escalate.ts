import type { Node, NodeAPI, NodeDef, NodeMessage, NodeMessageInFlow } from 'node-red';
import {
  Escalator,
  type Escalation,
  type EscalationOutput,
  type Step,
} from './escalation/escalator';
import { findCallOf } from './escalation/recover';
import { rosterOf, stepOf, timeoutOf, type StepPlan } from './escalation/roster';
import { normaliseCallLog } from './mapping/call-log';
import { mergeFields, validateCall, type CallDraft, type CallFields } from './mapping/create-call';
import { FieldError } from './mapping/field-error';
import { resolveCall } from './mapping/resolve-call';
import { reportOf } from './node-red/report';
import { dedupKeyOf } from './node-red/dedup-key';
import { portableCopy, secondsOf } from './node-red/message';
import { useServer } from './node-red/server-user';
import { escalateStatus, type LastOutcome } from './node-red/escalate-status';
import { readFailedStatus } from './node-red/status';
import { evaluateSetting } from './node-red/typed-input';

interface StepSetting {
  /** who: a login name or email (several, comma-separated), team ids, or a msg/flow/… source */
  v: string;
  vt: string;
  /** seconds; empty: the node's default wait */
  timeout?: string | number;
}

interface EscalateConfig extends NodeDef {
  server?: string;
  steps?: StepSetting[];
  /** seconds each step waits for a join, unless the step says otherwise */
  timeout?: string | number;
  /** how many times the list is called through */
  rounds?: string | number;
  callTitle?: string;
  callTitleType?: string;
  creatorUser?: string;
  creatorUserType?: string;
  dedupKey?: string;
  dedupKeyType?: string;
  /** seconds between two reads of a call */
  pollInterval?: string | number;
}

type InputMessage = NodeMessageInFlow & { stop?: unknown; roster?: unknown; dedupKey?: unknown };

const OUTPUT = { joined: 0, exhausted: 1, ended: 2 } as const;
const CONTEXT_KEY = 'escalations';
/** the calls this node made in the last hour: never taken for a step's lost call */
const MADE_KEY = 'madeCalls';
const DEFAULT_TIMEOUT_S = 120;
const DEFAULT_POLL_INTERVAL_S = 5;
const MIN_POLL_INTERVAL_S = 0.1;
const MAX_ROUNDS = 100;
const MAX_CONCURRENT_POLLS = 32;
/** how many of the server's newest calls are searched for a call made as Node-RED stopped */
const RECENT_CALLS = 50;
/** how long a close waits for a createCall in flight (Node-RED gives a close 15 s) */
const CLOSE_GRACE_MS = 5_000;
/** msg properties that control this node, not part of the alarm passed on */
const NOT_PASSED_ON = new Set(['stop', 'roster']);

export = function register(RED: NodeAPI): void {
  function XAssistEscalate(this: Node, config: EscalateConfig): void {
    RED.nodes.createNode(this, config);
    const node = this;
    const { server, show } = useServer(RED, node, config.server);
    /** aborts this node's reads in flight when it closes: nothing is lost by asking again */
    const closingReads = new AbortController();
    const signal = closingReads.signal;
    /**
     * aborts a createCall in flight only after a grace: a call the server makes after the
     * request was given up cannot be found by the next start, which would make it again
     */
    const closingCreates = new AbortController();
    const defaultTimeoutMs = defaultTimeoutOf(config.timeout);
    const rounds = roundsOf(config.rounds);
    let lastOutcome: LastOutcome | undefined;
    let retrying = false;

    const escalator = new Escalator({
      intervalMs:
        secondsOf(config.pollInterval, DEFAULT_POLL_INTERVAL_S, MIN_POLL_INTERVAL_S) * 1000,
      maxConcurrent: MAX_CONCURRENT_POLLS,
      resolve: (draft) =>
        server?.directory ? resolveCall(draft, server.directory) : Promise.reject(noServer()),
      // the escalator tries again until the step's deadline: no retry of its own here
      create: (body) =>
        server?.client
          ? server.client.createCall(body, { signal: closingCreates.signal })
          : Promise.reject(noServer()),
      findMade: async (body, since, known) => {
        if (!server?.client) throw noServer();
        const page = await server.client.getFilteredCallLogs(RECENT_CALLS, { signal });
        return findCallOf(page.content, body, since, known);
      },
      read: (callId) =>
        server?.client
          ? server.client.getCallLogById(callId, { signal })
          : Promise.reject(noServer()),
      emit: (output) => {
        const outputs: Array<NodeMessage | null> = [null, null, null];
        outputs[OUTPUT[output.kind]] = messageOf(output);
        lastOutcome = output.kind;
        node.send(outputs);
      },
      save: (escalations) => node.context().set(CONTEXT_KEY, escalations),
      saveMade: (made) => node.context().set(MADE_KEY, made),
      onStepFailed: (err, escalation) => {
        node.error(reportOf(err), structuredClone(escalation.alarm) as NodeMessage);
      },
      onStepRetry: (err, escalation, retryInMs) => {
        retrying = true;
        node.log(
          RED._('xassist-escalate.log.retry', {
            key: escalation.id,
            reason: (err as Error).message,
            seconds: Math.round(retryInMs / 100) / 10,
          }),
        );
        show(
          readFailedStatus(err, retryInMs, (key, subs) => RED._(`xassist-escalate.${key}`, subs)),
        );
      },
      onReadFailed: (err, callId, retryInMs) => {
        retrying = true;
        node.debug(
          `${callId}: ${(err as Error).message}; next read in ${Math.ceil(retryInMs / 1000)} s`,
        );
        show(
          readFailedStatus(err, retryInMs, (key, subs) => RED._(`xassist-escalate.${key}`, subs)),
        );
      },
      onRead: () => {
        if (!retrying) return;
        retrying = false;
        showStatus();
      },
      onChange: () => {
        retrying = false;
        showStatus();
      },
    });

    function noServer(): Error {
      return server?.configError ?? new Error(RED._('xassist-escalate.errors.no-server'));
    }

    function showStatus(): void {
      if (retrying) return;
      show(
        escalateStatus(escalator.list(), lastOutcome, (key, subs) =>
          RED._(`xassist-escalate.${key}`, subs),
        ),
      );
    }

    /** The steps from msg.roster, or from the node's list. */
    async function plansFor(msg: InputMessage): Promise<StepPlan[]> {
      if (msg.roster !== undefined && msg.roster !== null) return rosterOf(msg.roster, 'roster');
      const rows = (config.steps ?? []).filter((row) => row.v !== '');
      if (rows.length === 0) {
        throw new FieldError('steps', RED._('xassist-escalate.errors.no-steps'));
      }
      return Promise.all(
        rows.map(async (row, index) => {
          const field = `steps[${index}]`;
          const plan = await planOfRow(row, field, msg);
          if (plan.timeoutMs === undefined && row.timeout !== undefined && row.timeout !== '') {
            plan.timeoutMs = timeoutOf(row.timeout, field);
          }
          return plan;
        }),
      );
    }

    async function planOfRow(row: StepSetting, field: string, msg: InputMessage) {
      if (row.vt === 'team') {
        const ids = String(row.v)
          .split(',')
          .map((id) => id.trim())
          .filter(Boolean)
          .map((id) => (/^\d+$/.test(id) ? Number(id) : id));
        return { invitedContacts: [], invitedTeams: ids };
      }
      const value = await evaluateSetting(RED, node, msg, { value: row.v, type: row.vt });
      if (value === undefined || value === null || value === '') {
        throw new FieldError(field, RED._('xassist-escalate.errors.empty-step'));
      }
      return stepOf(value, field);
    }

    /** The call fields every step shares: msg.payload's, else the node's settings. */
    async function sharedFields(msg: InputMessage): Promise<CallFields> {
      const settings: CallFields = {};
      for (const field of ['callTitle', 'creatorUser'] as const) {
        settings[field] = await evaluateSetting(RED, node, msg, {
          value: config[field],
          type: config[`${field}Type`],
        });
      }
      const {
        invitedContacts: _contacts,
        invitedTeams: _teams,
        ...shared
      } = mergeFields(msg.payload, settings);
      return shared;
    }

    /** Each step's call, checked: bad input throws a FieldError naming the field. */
    async function draftsFor(msg: InputMessage): Promise<Array<{ draft: CallDraft } & Step>> {
      const plans = await plansFor(msg);
      const shared = await sharedFields(msg);
      const fromRoster = msg.roster !== undefined && msg.roster !== null;
      return plans.map((plan, index) =>
        within(fromRoster ? `roster[${index}]` : `steps[${index}]`, () => ({
          draft: validateCall({
            ...shared,
            invitedContacts: plan.invitedContacts,
            invitedTeams: plan.invitedTeams.length ? plan.invitedTeams : undefined,
          }),
          timeoutMs: plan.timeoutMs ?? defaultTimeoutMs,
        })),
      );
    }

    /**
     * The steps with their contacts looked up. A name that no user has is bad input; when the
     * server cannot answer now, the escalation starts anyway and each step is looked up when it
     * is called.
     */
    async function stepsFor(msg: InputMessage): Promise<Step[]> {
      const directory = server?.directory;
      if (!directory) throw noServer();
      const drafts = await draftsFor(msg);
      const fromRoster = msg.roster !== undefined && msg.roster !== null;
      try {
        return await Promise.all(
          drafts.map(async ({ draft, timeoutMs }, index) => ({
            body: await withinAsync(fromRoster ? `roster[${index}]` : `steps[${index}]`, () =>
              resolveCall(draft, directory),
            ),
            timeoutMs,
          })),
        );
      } catch (err) {
        if (err instanceof FieldError) throw err;
        node.log(RED._('xassist-escalate.log.look-up-later', { reason: (err as Error).message }));
        return drafts.map(({ draft, timeoutMs }) => ({ draft, timeoutMs }));
      }
    }

    /** escalations whose steps are being looked up, by id: a stop or a repeat reaches them */
    const settingUp = new Map<string, { cancelled: boolean; ready: Promise<void> }>();

    async function handle(msg: InputMessage): Promise<void> {
      const alarmAt = Date.now();
      const key = await dedupKeyOf(RED, node, msg, {
        value: config.dedupKey,
        type: config.dedupKeyType,
      });
      if (msg.stop === true) {
        for (const [id, setup] of settingUp)
          if (key === undefined || id === key) setup.cancelled = true;
        // no message: the flow that sent the stop knows, and every output is wired to an action
        // (a siren on nobody joined); the status and the log say it
        for (const escalation of key === undefined ? escalator.list() : [escalator.get(key)]) {
          if (escalation) node.log(RED._('xassist-escalate.log.cancelled', placeOf(escalation)));
        }
        if (escalator.cancel(key) > 0) lastOutcome = 'cancelled';
        return;
      }
      const id = key ?? RED.util.generateId();
      // a repeat waits for the set-up under way, and starts only if that one did not; a stop
      // that reached the set-up reaches the repeats that waited for it too
      for (let earlier = settingUp.get(id); earlier; earlier = settingUp.get(id)) {
        await earlier.ready;
        if (earlier.cancelled) return;
      }
      if (escalator.get(id)) {
        node.debug(RED._('xassist-escalate.log.already-running', { key: id }));
        return;
      }
      let release!: () => void;
      const setup = {
        cancelled: false,
        ready: new Promise<void>((resolve) => (release = resolve)),
      };
      settingUp.set(id, setup);
      try {
        const steps = await stepsFor(msg);
        if (setup.cancelled) return;
        escalator.start({
          id,
          alarm: portableCopy(msg, NOT_PASSED_ON),
          steps,
          rounds,
          position: 0,
          startedAt: alarmAt,
          calls: [],
          failures: [],
        });
      } finally {
        settingUp.delete(id);
        release();
      }
    }

    const made = node.context().get(MADE_KEY);
    escalator.remember(Array.isArray(made) ? made.filter(isMadeCall) : []);
    const saved = node.context().get(CONTEXT_KEY);
    for (const escalation of Array.isArray(saved) ? saved : []) {
      if (isEscalation(escalation)) escalator.resume(escalation);
    }
    showStatus();

    node.on('input', (msg, _send, done) => {
      handle(msg as InputMessage).then(
        () => {
          showStatus();
          done();
        },
        (err: unknown) => {
          show({
            fill: 'red',
            shape: 'ring',
            text: RED._(
              err instanceof FieldError
                ? 'xassist-escalate.status.invalid'
                : 'xassist-escalate.status.failed',
            ),
          });
          done(reportOf(err));
        },
      );
    });

    node.on('close', (_removed: boolean, done: () => void) => {
      for (const setup of settingUp.values()) setup.cancelled = true;
      const stopping = escalator.stop();
      closingReads.abort();
      const grace = setTimeout(() => closingCreates.abort(), CLOSE_GRACE_MS);
      const closed = () => {
        clearTimeout(grace);
        done();
      };
      stopping.then(closed, closed);
    });

    function messageOf(output: EscalationOutput): NodeMessage {
      const { escalation } = output;
      const msg = structuredClone(escalation.alarm) as NodeMessage & Record<string, unknown>;
      const summary = summaryOf(escalation, output.kind);
      if (output.kind === 'joined') {
        summary.stepJoinedAfter = output.stepJoinedAfter;
        msg.callId = output.call.callId;
        msg.call = normaliseCallLog(output.call);
      }
      if (output.kind === 'ended') {
        msg.callId = escalation.joined?.callId;
        if (output.call) msg.call = normaliseCallLog(output.call);
      }
      msg.escalation = summary;
      return msg;
    }
  }

  RED.nodes.registerType('xassist-escalate', XAssistEscalate);
};

/** What each output tells of an escalation: `msg.escalation`. */
function summaryOf(escalation: Escalation, outcome: string): Record<string, unknown> {
  const { steps, rounds, joined, startedAt } = escalation;
  const place = (position: number) => ({
    step: (position % steps.length) + 1,
    round: Math.floor(position / steps.length) + 1,
  });
  const summary: Record<string, unknown> = {
    key: escalation.id,
    outcome,
    ...place(joined?.position ?? Math.min(escalation.position, steps.length * rounds - 1)),
    steps: steps.length,
    rounds,
    startedAt: new Date(startedAt).toISOString(),
    calls: escalation.calls.map((call) => ({
      ...place(call.position),
      callId: call.callId,
      calledAt: new Date(call.calledAt).toISOString(),
      invitees: inviteesOf(steps[call.position % steps.length]),
    })),
    failures: escalation.failures.map((failure) => ({
      ...place(failure.position),
      reason: failure.reason ?? 'refused',
      message: failure.message,
      attempts: failure.attempts ?? 1,
    })),
  };
  if (joined) {
    summary.joinedBy = joined.contact;
    summary.joinedAfter = joined.at - startedAt;
  }
  if (outcome !== 'joined') summary.duration = Date.now() - startedAt;
  return summary;
}

/** Where an escalation stands, for the log: its key, step and round (from 1). */
function placeOf(escalation: Escalation): Record<string, string | number> {
  const { steps, position } = escalation;
  return {
    key: escalation.id,
    step: (position % steps.length) + 1,
    round: Math.floor(position / steps.length) + 1,
  };
}

function inviteesOf(step: Step): string[] {
  const { invitedContacts = [], invitedTeams = [] } = step.body ?? step.draft ?? {};
  return [
    ...invitedContacts.map((contact) =>
      typeof contact === 'string'
        ? contact
        : (contact.userId ?? contact.email ?? String(contact.userDbId)),
    ),
    ...invitedTeams.map((team) => `team:${team.name ?? team.id}`),
  ];
}

function within<T>(prefix: string, run: () => T): T {
  try {
    return run();
  } catch (err) {
    throw err instanceof FieldError ? err.within(prefix) : err;
  }
}

async function withinAsync<T>(prefix: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    throw err instanceof FieldError ? err.within(prefix) : err;
  }
}

function isMadeCall(value: unknown): value is [string, number] {
  return Array.isArray(value) && typeof value[0] === 'string' && typeof value[1] === 'number';
}

function isEscalation(value: unknown): value is Escalation {
  const candidate = value as Partial<Escalation> | null;
  return (
    typeof candidate?.id === 'string' &&
    Array.isArray(candidate.steps) &&
    candidate.steps.length > 0 &&
    candidate.steps.every((step: Partial<Step> | null) => !!(step?.body ?? step?.draft)) &&
    typeof candidate.position === 'number' &&
    typeof candidate.rounds === 'number' &&
    Array.isArray(candidate.calls) &&
    Array.isArray(candidate.failures)
  );
}

function defaultTimeoutOf(value: unknown): number {
  if (value === undefined || value === '') return DEFAULT_TIMEOUT_S * 1000;
  try {
    return timeoutOf(value, 'timeout');
  } catch {
    return DEFAULT_TIMEOUT_S * 1000;
  }
}

function roundsOf(value: unknown): number {
  const rounds = value === undefined || value === '' ? 1 : Number(value);
  return Number.isInteger(rounds) && rounds >= 1 ? Math.min(rounds, MAX_ROUNDS) : 1;
}
