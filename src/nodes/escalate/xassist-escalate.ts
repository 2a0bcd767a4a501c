import type { Node, NodeAPI, NodeDef, NodeMessage, NodeMessageInFlow } from 'node-red';
import { Escalator, type Escalation } from '../../escalation/escalator';
import { draftsFor, stepsFor, type PlanSettings, type StepSetting } from '../../escalation/plan';
import { MAX_TIMEOUT_S } from '../../escalation/roster';
import { ESCALATIONS, MADE_CALLS } from '../../escalation/saved';
import { SetUps } from '../../escalation/set-ups';
import { ProgressBoard } from '../../escalation/progress';
import { messageOf, placeAt } from '../../escalation/summary';
import { FieldError } from '../../mapping/field-error';
import { resolveCall } from '../../mapping/resolve-call';
import { dedupKeyOf } from '../../node-red/dedup-key';
import { escalateStatus, type LastOutcome } from './status';
import { portableCopy } from '../../node-red/message';
import { MAX_CONCURRENT_POLLS, pollIntervalMs, ReadFailures } from '../../node-red/reads';
import { reportOf } from '../../node-red/report';
import { itemStoreOf } from '../../node-red/item-store';
import { contextState } from '../../node-red/context-state';
import { useServer } from '../../node-red/server-user';
import { numberSetting, settingWarning } from '../../node-red/settings';
import { evaluateSetting } from '../../node-red/typed-input';

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
  /** a fourth output: every open escalation (and the latest ended) on every change */
  progress?: boolean;
}

type InputMessage = NodeMessageInFlow & { stop?: unknown; roster?: unknown; dedupKey?: unknown };

const OUTPUT = { joined: 0, exhausted: 1, ended: 2 } as const;
const CONTEXT_KEY = 'escalations';
/** where the previous version kept the calls this node made */
const MADE_KEY = 'madeCalls';
const DEFAULT_TIMEOUT_S = 120;
const MAX_ROUNDS = 100;
/** how long a close waits for a createCall in flight (Node-RED gives a close 15 s) */
const CLOSE_GRACE_MS = 5_000;
/** after a start, when the board of resumed escalations is sent: the flows run by then */
const FIRST_BOARD_MS = 100;
/** msg properties that control this node, not part of the alarm passed on */
const NOT_PASSED_ON = new Set(['stop', 'roster']);

export = function register(RED: NodeAPI): void {
  function XAssistEscalate(this: Node, config: EscalateConfig): void {
    RED.nodes.createNode(this, config);
    const node = this;
    const t = (key: string, subs?: Record<string, string | number>) =>
      RED._(`xassist-escalate.${key}`, subs);
    const { server, show } = useServer(RED, node, config.server);
    const warn = settingWarning(RED, node);
    const plan: PlanSettings = {
      steps: config.steps ?? [],
      callTitle: { value: config.callTitle, type: config.callTitleType },
      creatorUser: { value: config.creatorUser, type: config.creatorUserType },
      defaultTimeoutMs:
        numberSetting(
          config.timeout,
          {
            label: t('label.timeout'),
            fallback: DEFAULT_TIMEOUT_S,
            min: 0.001,
            max: MAX_TIMEOUT_S,
          },
          warn,
        ) * 1000,
      errors: { noSteps: t('errors.no-steps'), emptyStep: t('errors.empty-step') },
    };
    const rounds = numberSetting(
      config.rounds,
      { label: t('label.rounds'), fallback: 1, min: 1, max: MAX_ROUNDS, integer: true },
      warn,
    );
    /**
     * aborts a createCall in flight only after a grace: a call the server makes after the
     * request was given up cannot be found by the next start, which would make it again
     */
    const closingCreates = new AbortController();
    const setUps = new SetUps();
    const state = contextState(node);
    const items = itemStoreOf(node, server, {
      key: CONTEXT_KEY,
      shape: ESCALATIONS,
      idOf: (e) => e.id,
    });
    const reads = new ReadFailures(node, show, t, showStatus);
    let lastOutcome: LastOutcome | undefined;
    const board = config.progress === true ? new ProgressBoard() : undefined;
    /** nothing is sent while the flows are being started */
    let boardReady = false;

    const escalator = new Escalator({
      intervalMs: pollIntervalMs(config.pollInterval, t('label.pollInterval'), warn),
      maxConcurrent: MAX_CONCURRENT_POLLS,
      resolve: (draft) =>
        server?.directory ? resolveCall(draft, server.directory) : Promise.reject(noServer()),
      // as create-call makes them: a lost answer is looked for, a refusal repeated
      make: (body, { until, since, wait, onRetry }) =>
        server?.calls
          ? server.calls.make(() => Promise.resolve(body), {
              until,
              since,
              signal: closingCreates.signal,
              wait,
              onRetry: (err, _attempts, waitMs) => onRetry(err, waitMs),
            })
          : Promise.reject(noServer()),
      // shared with the server's other nodes: a close ignores the answer instead of aborting it
      read: (callId) => server?.reads?.read(callId) ?? Promise.reject(noServer()),
      // a 404 ends a call only when the server says so while otherwise answering
      isGone: (err) => server?.client?.callIsGone(err) ?? Promise.resolve(false),
      emit: (output) => {
        if (output.kind !== 'joined') board?.ended(output.escalation, output.kind);
        const outputs: Array<NodeMessage | null> = [null, null, null];
        outputs[OUTPUT[output.kind]] = messageOf(output) as NodeMessage;
        lastOutcome = output.kind;
        node.send(outputs);
      },
      save: (escalations) => items.save(escalations),
      persist: () => items.persist(),
      onStepFailed: (err, escalation) => {
        node.error(reportOf(err), structuredClone(escalation.alarm) as NodeMessage);
      },
      onStepRetry: (err, escalation, retryInMs) => {
        node.log(
          t('log.retry', {
            key: escalation.id,
            reason: (err as Error).message,
            seconds: Math.round(retryInMs / 100) / 10,
          }),
        );
        reads.failed(err, escalation.id, retryInMs);
      },
      onReadFailed: (err, callId, retryInMs) => reads.failed(err, callId, retryInMs),
      onRead: () => reads.succeeded(),
      onChange: () => {
        reads.clear();
        showStatus();
      },
    });

    function noServer(): Error {
      return server?.configError ?? new Error(t('errors.no-server'));
    }

    function showStatus(): void {
      sendProgress();
      if (!reads.active) show(escalateStatus(escalator.list(), lastOutcome, t));
    }

    /** The board's rows on the fourth output, when they changed (all of them, the first time). */
    function sendProgress(first = false): void {
      if (!board || !boardReady) return;
      const rows = first ? board.all(escalator.list()) : board.changed(escalator.list());
      if (rows) node.send([null, null, null, { topic: 'escalations', payload: rows }]);
    }

    /**
     * msg.stop cancels, and sends no message: every output is wired to an action (a siren on
     * nobody joined) and the flow that sent the stop knows already; the status and log say it.
     */
    function stop(key: string | undefined): void {
      // with shared state, the instances running it hear of it too
      void items.cancel(key);
      cancelHere(key);
    }

    function cancelHere(key: string | undefined): void {
      setUps.cancel(key);
      for (const escalation of key === undefined ? escalator.list() : [escalator.get(key)]) {
        if (escalation) {
          board?.ended(escalation, 'cancelled');
          const place = placeAt(escalation, escalation.position);
          node.log(t('log.cancelled', { key: escalation.id, ...place }));
        }
      }
      if (escalator.cancel(key) > 0) lastOutcome = 'cancelled';
    }

    async function handle(msg: InputMessage): Promise<void> {
      const alarmAt = Date.now();
      const key = await dedupKeyOf(RED, node, msg, {
        value: config.dedupKey,
        type: config.dedupKeyType,
      });
      if (msg.stop === true) return stop(key);
      const id = key ?? RED.util.generateId();
      const started = await setUps.run(
        id,
        () => escalator.get(id) !== undefined,
        async (isCancelled) => {
          const directory = server?.directory;
          if (!directory) throw noServer();
          const drafts = await draftsFor(msg, plan, (setting) =>
            evaluateSetting(RED, node, msg, setting),
          );
          const steps = await stepsFor(msg, drafts, directory, (err) =>
            node.log(t('log.look-up-later', { reason: (err as Error).message })),
          );
          if (isCancelled()) return;
          const escalation: Escalation = {
            id,
            alarm: portableCopy(msg, NOT_PASSED_ON),
            steps,
            rounds,
            position: 0,
            startedAt: alarmAt,
            calls: [],
            failures: [],
          };
          // with shared state, the same alarm may have reached another instance first
          if (!(await items.create(id, escalation))) {
            node.debug(t('log.running-elsewhere', { key: id }));
            return;
          }
          // stopped meanwhile: what was created is removed
          if (isCancelled() || !escalator.start(escalation)) items.save(escalator.list());
        },
      );
      if (!started) node.debug(t('log.already-running', { key: id }));
    }

    // the calls an escalate node of the previous version made: the server's ledger has them now
    const madeBefore = state.load(MADE_KEY, MADE_CALLS);
    if (madeBefore?.length) {
      server?.calls?.ledger.remember(madeBefore);
      state.save(MADE_KEY, MADE_CALLS, []);
    }
    const resumed = items.start({
      // an escalation whose owner died: the calls made anywhere lately are known before it goes on
      takeOver: (escalation) => {
        escalator.resume(escalation);
        node.log(
          t('log.taken-over', { key: escalation.id, ...placeAt(escalation, escalation.position) }),
        );
        showStatus();
      },
      lost: (id) => escalator.release(id),
      cancelled: (id) => {
        cancelHere(id);
        showStatus();
      },
    });
    for (const escalation of resumed) escalator.resume(escalation);
    showStatus();
    // a board hears of the escalations resumed at start once the flows run, not at their next change
    const firstBoard =
      board &&
      setTimeout(() => {
        boardReady = true;
        sendProgress(true);
      }, FIRST_BOARD_MS);

    node.on('input', (msg, _send, done) => {
      handle(msg as InputMessage).then(
        () => {
          showStatus();
          done();
        },
        (err: unknown) => {
          const invalid = err instanceof FieldError;
          show({ fill: 'red', shape: 'ring', text: t(`status.${invalid ? 'invalid' : 'failed'}`) });
          done(reportOf(err));
        },
      );
    });

    node.on('close', (_removed: boolean, done: () => void) => {
      clearTimeout(firstBoard);
      setUps.cancel();
      const stopping = escalator.stop();
      const grace = setTimeout(() => closingCreates.abort(), CLOSE_GRACE_MS);
      const closed = () => {
        clearTimeout(grace);
        done();
      };
      // the escalations are handed back once saved: another instance may go on with them at once
      stopping.then(() => items.close()).then(closed, closed);
    });
  }

  RED.nodes.registerType('xassist-escalate', XAssistEscalate);
};
