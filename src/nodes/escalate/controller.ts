import type { NodeMessage, NodeMessageInFlow } from 'node-red';
import { Escalator, type Escalation, type EscalationOutput } from '../../escalation/escalator';
import { draftsFor, stepsFor } from '../../escalation/plan';
import { ProgressBoard } from '../../escalation/progress';
import { ESCALATIONS, MADE_CALLS } from '../../escalation/saved';
import { SetUps } from '../../escalation/set-ups';
import { messageOf, placeAt } from '../../escalation/summary';
import { resolveCall } from '../../mapping/resolve-call';
import { presenceRead } from '../../duty/presence';
import { peopleOnDuty, type DutyScheduleNode } from '../../node-red/duty-schedules';
import { portableCopy } from '../../node-red/message';
import { MAX_CONCURRENT_POLLS, ReadFailures } from '../../node-red/reads';
import { reportOf } from '../../node-red/report';
import type { NodeKit } from '../../node-red/skeleton';
import type { ItemStore } from '../../state/items';
import type { EscalateSettings } from './settings';
import { escalateStatus, type LastOutcome } from './status';

export type InputMessage = NodeMessageInFlow & {
  stop?: unknown;
  roster?: unknown;
  dedupKey?: unknown;
};

const OUTPUT = { joined: 0, exhausted: 1, ended: 2 } as const;
const CONTEXT_KEY = 'escalations';
/** where the previous version kept the calls this node made */
const MADE_KEY = 'madeCalls';
/** how long a close waits for a createCall in flight (Node-RED gives a close 15 s) */
const CLOSE_GRACE_MS = 5_000;
/** after a start, when the board of resumed escalations is sent: the flows run by then */
const FIRST_BOARD_MS = 100;
/** msg properties that control this node, not part of the alarm passed on */
const NOT_PASSED_ON = new Set(['stop', 'roster']);

/**
 * escalate's work, Node-RED aside: each alarm to an escalation (its steps called in turn until
 * someone joins), kept in its item store so that a restart or another instance goes on with it.
 */
export class EscalateController {
  /**
   * aborts a createCall in flight only after a grace: a call the server makes after the
   * request was given up cannot be found by the next start, which would make it again
   */
  private readonly closingCreates = new AbortController();
  private readonly setUps = new SetUps();
  private readonly items: ItemStore<Escalation>;
  private readonly reads: ReadFailures;
  private readonly escalator: Escalator;
  private readonly board?: ProgressBoard;
  private lastOutcome: LastOutcome | undefined;
  /** nothing is sent on the board while the flows are being started */
  private boardReady = false;
  private firstBoard?: NodeJS.Timeout;

  constructor(
    private readonly kit: NodeKit,
    private readonly settings: EscalateSettings,
  ) {
    this.items = kit.items({ key: CONTEXT_KEY, shape: ESCALATIONS, idOf: (e) => e.id });
    this.reads = new ReadFailures(kit.node, kit.show, kit.t, () => this.showStatus());
    this.board = settings.progress ? new ProgressBoard() : undefined;
    this.escalator = new Escalator(this.escalatorDeps());
  }

  /** What the escalator does through the server and the node. */
  private escalatorDeps(): ConstructorParameters<typeof Escalator>[0] {
    const { kit, reads } = this;
    return {
      intervalMs: this.settings.intervalMs,
      maxConcurrent: MAX_CONCURRENT_POLLS,
      resolve: async (draft) => resolveCall(draft, kit.api().directory),
      onDuty: async (duty) =>
        peopleOnDuty(kit.RED.nodes.getNode(duty.schedule) as DutyScheduleNode | null, duty),
      // as create-call makes them: a lost answer is looked for, a refusal repeated
      // read afresh for each step: not the users remembered for minutes
      presence: this.settings.presence
        ? async (names) => presenceRead(names, kit.api().directory)
        : undefined,
      make: async (body, { until, since, wait, onRetry }) =>
        kit.api().calls.make(() => Promise.resolve(body), {
          until,
          since,
          signal: this.closingCreates.signal,
          wait,
          onRetry: (err, _attempts, waitMs) => onRetry(err, waitMs),
        }),
      // shared with the server's other nodes: a close ignores the answer instead of aborting it
      read: async (callId) => kit.api().reads.read(callId),
      // a 404 ends a call only when the server says so while otherwise answering
      isGone: (err) => kit.connection?.client.callIsGone(err) ?? Promise.resolve(false),
      emit: (output) => this.emit(output),
      save: (escalations) => this.items.save(escalations),
      persist: () => this.items.persist(),
      onStepFailed: (err, escalation) => {
        kit.node.error(reportOf(err), structuredClone(escalation.alarm) as NodeMessage);
      },
      onStepRetry: (err, escalation, retryInMs) => {
        const reason = (err as Error).message;
        const seconds = Math.round(retryInMs / 100) / 10;
        kit.node.log(kit.t('log.retry', { key: escalation.id, reason, seconds }));
        reads.failed(err, escalation.id, retryInMs);
      },
      onReadFailed: (err, callId, retryInMs) => reads.failed(err, callId, retryInMs),
      onRead: () => reads.succeeded(),
      onChange: () => {
        reads.clear();
        this.showStatus();
      },
    };
  }

  /** The escalations saved, and those a previous version's calls belong to, go on. */
  start(): void {
    const { state, connection, node, t } = this.kit;
    // the calls an escalate node of the previous version made: the server's ledger has them now
    const madeBefore = state.load(MADE_KEY, MADE_CALLS);
    if (madeBefore?.length) {
      connection?.calls.ledger.remember(madeBefore);
      state.save(MADE_KEY, MADE_CALLS, []);
    }
    const resumed = this.items.start({
      // an escalation whose owner died: the calls made anywhere lately are known before it goes on
      takeOver: (escalation) => {
        this.escalator.resume(escalation);
        const place = placeAt(escalation, escalation.position);
        node.log(t('log.taken-over', { key: escalation.id, ...place }));
        this.showStatus();
      },
      lost: (id) => this.escalator.release(id),
      cancelled: (id) => {
        this.cancelHere(id);
        this.showStatus();
      },
    });
    for (const escalation of resumed) this.escalator.resume(escalation);
    this.showStatus();
    // a board hears of the escalations resumed at start once the flows run, not at their next change
    if (this.board) {
      this.firstBoard = setTimeout(() => {
        this.boardReady = true;
        this.sendProgress(true);
      }, FIRST_BOARD_MS);
    }
  }

  /** An alarm starts an escalation (once per key); `msg.stop` ends one, or all. */
  async input(msg: InputMessage): Promise<void> {
    const alarmAt = Date.now();
    const key = await this.kit.dedupKey(msg, this.settings.dedupKey);
    if (msg.stop === true) {
      this.stop(key);
    } else {
      const id = key ?? this.kit.RED.util.generateId();
      const started = await this.setUps.run(
        id,
        () => this.escalator.get(id) !== undefined,
        (isCancelled) => this.setUp(id, msg, alarmAt, isCancelled),
      );
      if (!started) this.kit.node.debug(this.kit.t('log.already-running', { key: id }));
    }
    this.showStatus();
  }

  /** Hands the escalations back once saved: another instance may go on with them at once. */
  async close(): Promise<void> {
    clearTimeout(this.firstBoard);
    this.setUps.cancel();
    const stopping = this.escalator.stop();
    const grace = setTimeout(() => this.closingCreates.abort(), CLOSE_GRACE_MS);
    try {
      await stopping;
      await this.items.close();
    } finally {
      clearTimeout(grace);
    }
  }

  showStatus(): void {
    this.sendProgress();
    if (!this.reads.active) {
      this.kit.show(escalateStatus(this.escalator.list(), this.lastOutcome, this.kit.t));
    }
  }

  private async setUp(
    id: string,
    msg: InputMessage,
    alarmAt: number,
    isCancelled: () => boolean,
  ): Promise<void> {
    const { kit, settings } = this;
    const { directory } = kit.api();
    const drafts = await draftsFor(msg, settings.plan, (setting) => kit.evaluate(msg, setting));
    const steps = await stepsFor(msg, drafts, directory, (err) =>
      kit.node.log(kit.t('log.look-up-later', { reason: (err as Error).message })),
    );
    if (isCancelled()) return;
    const escalation: Escalation = {
      id,
      alarm: portableCopy(msg, NOT_PASSED_ON),
      steps,
      rounds: settings.rounds,
      position: 0,
      startedAt: alarmAt,
      calls: [],
      failures: [],
    };
    // with shared state, the same alarm may have reached another instance first
    if (!(await this.items.create(id, escalation))) {
      kit.node.debug(kit.t('log.running-elsewhere', { key: id }));
      return;
    }
    // stopped meanwhile: what was created is removed
    if (isCancelled() || !this.escalator.start(escalation)) this.items.save(this.escalator.list());
  }

  private emit(output: EscalationOutput): void {
    if (output.kind !== 'joined') this.board?.ended(output.escalation, output.kind);
    const outputs: Array<NodeMessage | null> = [null, null, null];
    outputs[OUTPUT[output.kind]] = messageOf(output) as NodeMessage;
    this.lastOutcome = output.kind;
    this.kit.node.send(outputs);
  }

  /** The board's rows on the fourth output, when they changed (all of them, the first time). */
  private sendProgress(first = false): void {
    if (!this.board || !this.boardReady) return;
    const list = this.escalator.list();
    const rows = first ? this.board.all(list) : this.board.changed(list);
    if (rows) this.kit.node.send([null, null, null, { topic: 'escalations', payload: rows }]);
  }

  /**
   * msg.stop cancels, and sends no message: every output is wired to an action (a siren on
   * nobody joined) and the flow that sent the stop knows already; the status and log say it.
   */
  private stop(key: string | undefined): void {
    // with shared state, the instances running it hear of it too
    void this.items.cancel(key);
    this.cancelHere(key);
  }

  private cancelHere(key: string | undefined): void {
    this.setUps.cancel(key);
    const { escalator, kit } = this;
    for (const escalation of key === undefined ? escalator.list() : [escalator.get(key)]) {
      if (escalation) {
        this.board?.ended(escalation, 'cancelled');
        const place = placeAt(escalation, escalation.position);
        kit.node.log(kit.t('log.cancelled', { key: escalation.id, ...place }));
      }
    }
    if (escalator.cancel(key) > 0) this.lastOutcome = 'cancelled';
  }
}
