import type { CallStore, EndedCall } from './calls';
import { Prng } from './prng';
import { contactOf, type SimUser } from './users';

/** A day (or any span) of ended calls the simulator starts with. */
export interface HistoryOptions {
  calls: number;
  /** they are made and ended within this span up to `endAt` (default 24 h, at least 45 min) */
  spanMs?: number;
  /** the same seed gives the same calls (default 1) */
  seed?: number;
  /** epoch ms (default now) */
  endAt?: number;
  /**
   * assets in the calls: in every third call that someone joined, from the newest, the first to
   * join shares a photo (an `AssetShared` event, the call log's `assets`); the calls and their
   * joins stay the same with or without
   */
  assets?: boolean;
}

/** What a seeded call truly was: what figures computed from its log must come to. Epoch ms. */
export interface HistoryCall {
  callId: string;
  id: number;
  createdAt: number;
  /** the first invitee's join, null when nobody joined */
  firstJoinAt: number | null;
  firstJoinBy: string | null;
  /** the invitees who joined, in the order they joined */
  joiners: string[];
  endedAt: number;
  invitees: string[];
}

type Outcome = 'joined' | 'nobody' | 'long';

const SECOND = 1_000;
const MINUTE = 60_000;
const DEFAULT_SPAN_MS = 24 * 60 * MINUTE;
/** how long a call nobody joins stays open */
const NOBODY_MS = 2 * MINUTE;
/** the longest call: the span must hold it */
const LONGEST_MS = 45 * MINUTE;
const TITLES = ['Line 7', 'Press 3 jammed', 'Conveyor B stopped', 'Quality check', 'Boiler 2'];
const PHOTO_NAMES = ['photo.jpg', 'nameplate.jpg', 'gauge.jpg', 'screenshot.png'];
/** added to the history's seed for the assets' generator */
const SHARES_SEED = 7919;

/**
 * Seeds `store` with `options.calls` ended calls, oldest first, made by the connector user
 * (or the first user) for one or two others, experts most: 70 % joined 5 s to 4 min after
 * creation (sometimes by a second invitee later), 20 % joined by nobody and ended after 2 min,
 * 10 % joined and lasting 20 to 45 min. Users who never answer (`answers: false`) never join.
 */
export function seedHistory(
  store: CallStore,
  users: readonly SimUser[],
  options: HistoryOptions,
): HistoryCall[] {
  const plans = planHistory(users, options);
  const logs = store.insertEnded(plans.map((plan) => plan.call));
  return plans.map((plan, index) => ({ ...plan.truth, id: Number(logs[index].id) }));
}

interface Plan {
  call: EndedCall;
  truth: Omit<HistoryCall, 'id'>;
}

function planHistory(users: readonly SimUser[], options: HistoryOptions): Plan[] {
  const { calls, seed = 1 } = options;
  // whole milliseconds: what an ISO text holds
  const spanMs = Math.round(options.spanMs ?? DEFAULT_SPAN_MS);
  const endAt = Math.round(options.endAt ?? Date.now());
  if (!Number.isInteger(calls) || calls < 0)
    throw new RangeError('history: calls must be 0 or more');
  if (!(spanMs >= LONGEST_MS)) throw new RangeError('history: spanMs must be 45 min or more');
  if (!Number.isFinite(endAt)) throw new RangeError('history: endAt must be epoch ms');
  const creator = users.find((user) => user.userId === 'connector') ?? users[0];
  // experts are called three times as often as the others
  const invitable = users
    .filter((user) => user !== creator)
    .flatMap((user) =>
      user.teams?.some((team) => team.name === 'Experts') ? [user, user, user] : [user],
    );
  const answering = invitable.filter((user) => user.answers !== false);
  if (calls > 0 && answering.length === 0) {
    throw new RangeError('history: no user but the creator who answers calls');
  }
  const random = new Prng(seed);
  const plans: Plan[] = [];
  for (let i = 0; i < calls; i += 1) {
    plans.push(planCall(random, creator, invitable, answering, endAt - spanMs, spanMs));
  }
  plans.sort((a, b) => a.call.createdAt - b.call.createdAt);
  // drawn from a generator of their own: the calls do not change with the assets
  if (options.assets) addShares(plans, new Prng(seed + SHARES_SEED));
  return plans;
}

/** A photo, shared by the first to join, in every third call someone joined, from the newest. */
function addShares(plans: readonly Plan[], random: Prng): void {
  const joined = plans.filter((plan) => plan.call.moves.some((move) => move.type === 'Join'));
  joined.reverse().forEach((plan, index) => {
    if (index % 3 !== 0) return;
    const firstJoin = plan.call.moves.find((move) => move.type === 'Join')!;
    const at = random.between(firstJoin.at + SECOND, plan.call.endedAt - SECOND);
    plan.call.shares = [
      { userId: firstJoin.userId, at, assetId: random.uuid(), name: random.pick(PHOTO_NAMES) },
    ];
  });
}

function planCall(
  random: Prng,
  creator: SimUser,
  invitable: readonly SimUser[],
  answering: readonly SimUser[],
  spanStart: number,
  spanMs: number,
): Plan {
  const callId = random.uuid();
  const draw = random.next();
  const outcome: Outcome = draw < 0.7 ? 'joined' : draw < 0.9 ? 'nobody' : 'long';
  const first = outcome === 'nobody' ? random.pick(invitable) : random.pick(answering);
  const invitees = inviteesWith(random, first, invitable);
  const { moves, durationMs } = movesOf(random, outcome, first, invitees);
  const createdAt = spanStart + random.between(0, spanMs - durationMs);
  const joiners = moves.filter((move) => move.type === 'Join');
  return {
    call: {
      callId,
      callTitle: random.pick(TITLES),
      callType: random.pick(['SFU', 'MESH']),
      callReason: random.chance(0.8) ? 'STANDARD' : 'SERVICE_REQUEST',
      invitedContacts: invitees.map(contactOf),
      invitedTeams: [],
      joinAnonymousAllowed: false,
      informOthersDirectly: true,
      creator,
      createdAt,
      endedAt: createdAt + durationMs,
      moves: moves.map((move) => ({ ...move, at: createdAt + move.at })),
    },
    truth: {
      callId,
      createdAt,
      firstJoinAt: joiners.length > 0 ? createdAt + joiners[0].at : null,
      firstJoinBy: joiners[0]?.userId ?? null,
      joiners: joiners.map((move) => move.userId),
      endedAt: createdAt + durationMs,
      invitees: invitees.map((user) => user.userId),
    },
  };
}

/** `first`, and sometimes a second invitee before or after: who answers is not always first. */
function inviteesWith(random: Prng, first: SimUser, invitable: readonly SimUser[]): SimUser[] {
  const invitees = [first];
  const rest = invitable.filter((user) => user !== first);
  if (rest.length > 0 && random.chance(0.4)) {
    const second = random.pick(rest);
    if (random.chance(0.5)) invitees.push(second);
    else invitees.unshift(second);
  }
  return invitees;
}

/** Who joins and leaves when, from the call's creation, and how long the call lasts. */
function movesOf(
  random: Prng,
  outcome: Outcome,
  first: SimUser,
  invitees: readonly SimUser[],
): { moves: EndedCall['moves']; durationMs: number } {
  const moves: EndedCall['moves'] = [];
  if (outcome === 'nobody') return { moves, durationMs: NOBODY_MS };
  const firstJoin = random.between(5 * SECOND, 4 * MINUTE);
  const durationMs =
    outcome === 'long'
      ? random.between(20 * MINUTE, LONGEST_MS)
      : firstJoin + random.between(30 * SECOND, 12 * MINUTE);
  moves.push({ type: 'Join', userId: first.userId, at: firstJoin });
  const second = invitees.find((user) => user !== first);
  if (second && second.answers !== false && random.chance(0.4)) {
    const join = random.between(firstJoin + 5 * SECOND, durationMs - 5 * SECOND);
    moves.push({ type: 'Join', userId: second.userId, at: join });
    if (random.chance(0.5)) {
      const leave = random.between(join + SECOND, durationMs - SECOND);
      moves.push({ type: 'Leave', userId: second.userId, at: leave });
    }
  }
  return { moves, durationMs };
}
