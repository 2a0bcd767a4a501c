import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import should from 'should';
import type { Simulator } from '../../src/sim';
import type { CallEvent } from '../../src/xassist';
import type { Manifest, ServerCall } from '../fixtures/saved-0.1.0/manifest';
import { Answers } from '../support/answers';
import type { FlowNode } from '../support/node-red';
import { Collector, freePort, NodeRedProcess, UserDir } from '../support/node-red-process';
import { CONNECTOR, startSimulator } from '../support/simulator';

/** A user directory as 0.1.0 left it: flows and context; credentials given here (README.md). */
const FIXTURE = path.join(__dirname, '../fixtures/saved-0.1.0');
const CREATE = 'rtc/createCall';
const DAY_MS = 86_400_000;
/** how far from the stop a saved number may lie and still be one of its times (epoch ms) */
const SAVED_TIME_RANGE_MS = 7 * DAY_MS;

/**
 * The built nodes that Node-RED loads, as package.json names them. UserDir links the project
 * into the user directory; this is the one place this test knows where the build goes.
 */
function builtNodes(): string[] {
  const project = path.resolve(__dirname, '../..');
  const manifest = JSON.parse(readFileSync(path.join(project, 'package.json'), 'utf8'));
  return Object.values(manifest['node-red'].nodes as Record<string, string>).map((file) =>
    path.join(project, file),
  );
}

function readJson<T>(file: string): T {
  return JSON.parse(readFileSync(path.join(FIXTURE, file), 'utf8')) as T;
}

type Made = { machine: number; callId: string; repeat: boolean; recovered: boolean };
type Summary = { key: string; outcome: string; step: number; calls: Array<{ callId: string }> };

/** The fixture's calls in a fresh simulator: old ids to new ones, for calls and for events. */
interface Replayed {
  callIds: Map<string, string>;
  eventIds: Map<number, number>;
}

/**
 * Makes the calls the server held when 0.1.0 stopped again, event by event in the order they
 * came: the simulator numbers the events as it did then. A real server keeps its calls; a fresh
 * simulator must be told them.
 */
function replay(sim: Simulator, server: ServerCall[]): Replayed {
  const callIds = new Map<string, string>();
  const eventIds = new Map<number, number>();
  const events = server
    .flatMap((call) => call.events.map((event) => ({ call, event })))
    .sort((a, b) => a.event.id - b.event.id);
  for (const { call, event } of events) {
    let made: CallEvent;
    if (event.type === 'Created') {
      const creator = sim.users.find((user) => user.userId === call.creator);
      if (!creator) throw new Error(`no user ${call.creator} in the simulator`);
      const log = sim.calls.create({
        callTitle: call.title,
        callType: call.callType,
        callReason: call.callReason,
        invitedContacts: call.invitedContacts,
        invitedTeams: [],
        joinAnonymousAllowed: call.anonymousJoinAllow,
        informOthersDirectly: false,
        plannedDateTime: null,
        creator,
      });
      callIds.set(call.callId, log.callId);
      made = (log.callEvents ?? [])[0];
    } else {
      const callId = callIds.get(call.callId) as string;
      const userId = String(event.userId);
      if (event.type === 'Join') made = sim.calls.join(callId, userId);
      else if (event.type === 'Leave') made = sim.calls.leave(callId, userId);
      else made = sim.calls.addEvent(callId, event.type);
    }
    eventIds.set(event.id, made.id);
  }
  for (const call of server) {
    if (call.callStatus === 'Ended') sim.calls.end(callIds.get(call.callId) as string);
  }
  return { callIds, eventIds };
}

/**
 * A saved context file re-pointed at this run: the simulator's call ids for the fixture's, its
 * event ids for the last one sent, and every saved time moved as if Node-RED had stopped
 * `downtimeMs` ago. Nothing else changes.
 */
function repointed(text: string, replayed: Replayed, shiftMs: number, stoppedAt: number): string {
  let ids = text;
  for (const [old, fresh] of replayed.callIds) ids = ids.replaceAll(old, fresh);
  const move = (value: unknown, key?: string): unknown => {
    if (Array.isArray(value)) return value.map((item) => move(item));
    if (typeof value === 'number') {
      if (key === 'lastEventId') return replayed.eventIds.get(value) ?? value;
      return Math.abs(value - stoppedAt) < SAVED_TIME_RANGE_MS ? value + shiftMs : value;
    }
    if (typeof value === 'object' && value !== null) {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, move(v, k)]));
    }
    return value;
  };
  return JSON.stringify(move(JSON.parse(ids)), null, 4);
}

function copyContext(from: string, to: string, repoint: (text: string) => string): void {
  mkdirSync(to, { recursive: true });
  for (const name of readdirSync(from)) {
    const source = path.join(from, name);
    if (statSync(source).isDirectory()) copyContext(source, path.join(to, name), repoint);
    else writeFileSync(path.join(to, name), repoint(readFileSync(source, 'utf8')));
  }
}

/** One start of this version's Node-RED on a copy of the fixture, and what it talks to. */
class Upgrade {
  readonly manifest = readJson<Manifest>('fixture.json');
  readonly collector = new Collector();
  readonly userDir = new UserDir();
  sim!: Simulator;
  answers!: Answers;
  nodeRed!: NodeRedProcess;
  /** the fixture's calls (Manifest.calls) by their ids in this run */
  ids = {} as Manifest['calls'];
  replayed!: Replayed;

  /**
   * Copies the fixture, re-pointed, and starts Node-RED as if it had been down `downtimeMs`;
   * `joins` join every call made for them from the start on, after `afterMs`.
   */
  async start(downtimeMs: number, joins: string[] = [], afterMs = 300): Promise<this> {
    this.sim = await startSimulator();
    await this.collector.start();
    this.replayed = replay(this.sim, this.manifest.server);
    // the calls made from now on: by this version's nodes
    this.answers = new Answers(this.sim);
    for (const userId of joins) this.answers.joins(userId, afterMs);
    for (const [part, callId] of Object.entries(this.manifest.calls)) {
      this.ids[part as keyof Manifest['calls']] = this.replayed.callIds.get(callId) as string;
    }

    const flows = readFileSync(path.join(FIXTURE, 'flows.json'), 'utf8')
      .replaceAll(this.manifest.simulatorUrl, this.sim.tenantUrl)
      .replaceAll(this.manifest.collectorUrl, this.collector.url);
    should(flows).containEql(this.sim.tenantUrl).and.containEql(this.collector.url);
    this.userDir.write(
      JSON.parse(flows) as FlowNode[],
      // credentials are not kept in the repository: the simulator's test user, as 0.1.0 had it
      { server: { username: CONNECTOR.username, password: CONNECTOR.password } },
      await freePort(),
    );
    const shiftMs = Date.now() - downtimeMs - this.manifest.stoppedAt;
    copyContext(path.join(FIXTURE, 'context'), path.join(this.userDir.dir, 'context'), (text) =>
      repointed(text, this.replayed, shiftMs, this.manifest.stoppedAt),
    );
    this.nodeRed = new NodeRedProcess(this.userDir);
    await this.nodeRed.start();
    return this;
  }

  async post(route: string, body: unknown): Promise<Response> {
    return fetch(`${this.nodeRed.url}${route}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
  }

  /** The events the simulator has of `callId` that 0.1.0 had not sent before it stopped. */
  unsentEvents(callId: string, lastSent: number): number[] {
    const events = this.sim.calls.get(callId)?.callEvents ?? [];
    return events.map((event) => event.id).filter((id) => id > lastSent);
  }

  /** Ends both followed calls; once call-status said so, unsentOfFollowed. */
  async endFollowed(): Promise<[number[], number[]]> {
    this.sim.calls.end(this.ids.followedJoined);
    this.sim.calls.end(this.ids.followedWaiting);
    await this.collector.until('/status/ended', 2);
    return this.unsentOfFollowed();
  }

  /** unsentEvents of the two followed calls: the joined one, then the waiting one. */
  unsentOfFollowed(): [number[], number[]] {
    const { followedJoined, followedWaiting } = this.ids;
    return [
      this.unsentEvents(followedJoined, this.lastSent('followedJoined')),
      this.unsentEvents(followedWaiting, this.lastSent('followedWaiting')),
    ];
  }

  /** The last event id call-status had sent of a followed call, as saved, in this run's ids. */
  lastSent(part: 'followedJoined' | 'followedWaiting'): number {
    const saved = readJson<{ followed: { value: Array<{ callId: string; lastEventId: number }> } }>(
      'context/tab/status.json',
    );
    const followed = saved.followed.value.find((call) => call.callId === this.manifest.calls[part]);
    return this.replayed.eventIds.get(Number(followed?.lastEventId)) ?? NaN;
  }

  /** The events call-status sent of `callId`, by id. */
  sentEvents(callId: string): number[] {
    const events = (this.collector.received['/events'] ?? []) as Array<{
      callId: string;
      id: number;
    }>;
    return events
      .filter((event) => event.callId === callId)
      .map((event) => event.id)
      .sort((a, b) => a - b);
  }

  /** Node-RED said nothing went wrong: every node loaded, none reported an error. */
  checkOutput(): void {
    const output = this.nodeRed.output;
    should(output).not.match(/\[error\]/);
    // a setting or a save the nodes could not read would be a warning of theirs
    should(output).not.match(/\[warn\] \[xassist-/);
    should(output).match(/2 alarm\(s\) interrupted by a redeploy or a restart/);
    should(output).not.match(/missing node types|Waiting for missing types|Unknown type/i);
    should(output).not.containEql(CONNECTOR.password);
  }

  async close(): Promise<void> {
    this.answers?.stop();
    await this.nodeRed?.stop();
    await this.collector.close();
    await this.sim?.close();
    this.userDir.remove();
  }
}

describe('state saved by 0.1.0, loaded by this version after an upgrade', function () {
  this.timeout(90_000);
  let upgrade: Upgrade | undefined;

  before(function () {
    const missing = builtNodes().filter((file) => !existsSync(file));
    if (missing.length) throw new Error(`not built (npm run build): ${missing.join(', ')}`);
  });

  afterEach(async function () {
    await upgrade?.close();
    upgrade = undefined;
  });

  it('after a short stop, each node goes on where 0.1.0 stood, and no call is made twice', async function () {
    upgrade = new Upgrade();
    const { collector, sim, answers, ids } = await upgrade.start(5_000);

    // create-call: both alarms a close interrupted get their call; alarm 2 the one its lost
    // answer made, not alarm 9's (the ledger has it), and only alarm 1 makes a new one
    const made = (await collector.until('/calls', 2)) as Made[];
    const byMachine = Object.fromEntries(made.map((each) => [each.machine, each]));
    should(Object.keys(byMachine).sort()).eql(['1', '2']);
    should(byMachine[2]).match({ callId: ids.lostOfAlarm2, recovered: true, repeat: false });
    should(byMachine[1]).match({ recovered: false, repeat: false });
    should(answers.created.map((each) => each.call.callId)).eql([byMachine[1].callId]);
    should(answers.created[0].call).match({ title: 'Line 1' });

    // create-call's dedup record of alarm 9 holds: the same machine gets its open call
    should((await upgrade.post('alarm', { machine: 9, callTitle: 'Line 9' })).status).equal(200);
    const [, , again] = (await collector.until('/calls', 3)) as Made[];
    should(again).match({ machine: 9, callId: ids.alarm9, repeat: true });

    // call-status follows both saved calls on from the last event it sent
    sim.calls.join(ids.followedJoined, 'expert2');
    sim.calls.join(ids.followedWaiting, 'expert3');
    should(await collector.until('/status/joined', 1)).eql([{ callId: ids.followedWaiting }]);
    const [joinedUnsent, waitingUnsent] = await upgrade.endFollowed();
    should(joinedUnsent).have.length(3); // expert2's Join, then both leave
    should(waitingUnsent).have.length(2);
    await collector.until('/events', joinedUnsent.length + waitingUnsent.length);
    should(upgrade.sentEvents(ids.followedJoined)).eql(joinedUnsent);
    should(upgrade.sentEvents(ids.followedWaiting)).eql(waitingUnsent);
    should(collector.received['/status/no-join']).be.undefined();

    // escalate: machine 7 still rings step 1, on the call 0.1.0 made, within its deadline
    sim.calls.join(ids.escalation7Step1, 'expert3');
    const [joined] = (await collector.until('/escalation/joined', 1)) as Summary[];
    should(joined).match({ key: '7', outcome: 'joined', step: 1, joinedBy: { userId: 'expert3' } });
    should(joined.calls.map((call) => call.callId)).eql([ids.escalation7Step1]);
    sim.calls.end(ids.escalation7Step1);
    const [ended] = (await collector.until('/escalation/ended', 1)) as Summary[];
    should(ended).match({ key: '7', outcome: 'ended', step: 1 });

    // call-history reads them all
    const history = await upgrade.post('history', {});
    should(history.status).equal(200);
    const read = (await history.json()) as { calls: unknown[]; summary: { calls: number } };
    should(read.calls).have.length(sim.calls.all().length);
    should(read.summary.calls).equal(sim.calls.all().length);

    should(sim.count(CREATE)).equal(1);
    should(collector.received['/escalation/exhausted']).be.undefined();
    upgrade.checkOutput();
  });

  it('after two days stopped, what ran out moves on at once, and nothing is lost', async function () {
    upgrade = new Upgrade();
    const { collector, sim, answers, ids } = await upgrade.start(2 * DAY_MS, ['expert2']);

    // create-call: each alarm still gets one call, though its keep-trying ran out long ago;
    // alarm 2 takes a call its body made (which one, see below) and makes none
    const made = (await collector.until('/calls', 2)) as Made[];
    const byMachine = Object.fromEntries(made.map((each) => [each.machine, each]));
    should(Object.keys(byMachine).sort()).eql(['1', '2']);
    should(byMachine[1]).match({ recovered: false, repeat: false });
    should(byMachine[2]).match({ recovered: true, repeat: false });
    // the ledger forgets claims older than an hour at its next claim: which of the two calls
    // alarm 2 takes depends on whether another node claimed a call before its look-up
    should([ids.lostOfAlarm2, ids.alarm9]).containEql(byMachine[2].callId);
    const took = byMachine[2].callId === ids.lostOfAlarm2 ? 'its own lost call' : "alarm 9's call";
    console.log(`      alarm 2 took ${took}`);

    // call-status: the waiting call's NoJoin deadline passed while stopped: NoJoin at once
    should(await collector.until('/status/no-join', 1)).eql([{ callId: ids.followedWaiting }]);

    // escalate: step 1's deadline passed while stopped: step 2 (expert2) is called at once
    const [joined] = (await collector.until('/escalation/joined', 1)) as Summary[];
    should(joined).match({ key: '7', outcome: 'joined', step: 2, joinedBy: { userId: 'expert2' } });
    const step2 = answers.created.find((each) => each.invitees.includes('expert2'));
    should(joined.calls.map((call) => call.callId)).eql([ids.escalation7Step1, step2?.call.callId]);
    sim.calls.end(String(step2?.call.callId));
    const [ended] = (await collector.until('/escalation/ended', 1)) as Summary[];
    should(ended).match({ key: '7', outcome: 'ended', step: 2 });

    // create-call's dedup record of alarm 9 is past its window: the same machine gets a new call
    should((await upgrade.post('alarm', { machine: 9, callTitle: 'Line 9' })).status).equal(200);
    const [, , again] = (await collector.until('/calls', 3)) as Made[];
    should(again).match({ machine: 9, repeat: false });
    should(again.callId).not.equal(ids.alarm9);

    // call-status still follows both calls from the last event sent
    sim.calls.join(ids.followedWaiting, 'expert3');
    should(await collector.until('/status/joined', 1)).eql([{ callId: ids.followedWaiting }]);
    const [joinedUnsent, waitingUnsent] = await upgrade.endFollowed();
    should(joinedUnsent).have.length(1); // expert1 leaves
    should(waitingUnsent).have.length(2);
    await collector.until('/events', joinedUnsent.length + waitingUnsent.length);
    should(upgrade.sentEvents(ids.followedJoined)).eql(joinedUnsent);
    should(upgrade.sentEvents(ids.followedWaiting)).eql(waitingUnsent);
    should(collector.received['/status/no-join']).eql([{ callId: ids.followedWaiting }]);

    const history = await upgrade.post('history', {});
    should(history.status).equal(200);
    should(((await history.json()) as { calls: unknown[] }).calls).have.length(
      sim.calls.all().length,
    );

    // alarm 1, escalation 7's step 2, alarm 9 again: no call for alarm 2
    should(sim.count(CREATE)).equal(3);
    should(collector.received['/escalation/exhausted']).be.undefined();
    upgrade.checkOutput();
  });
});
