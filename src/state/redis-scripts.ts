/**
 * The Lua scripts that keep items (followed calls, escalations) and their owners in Redis. Each
 * runs atomically on the server, with the server's clock (TIME), so that instances whose clocks
 * differ agree on when a lease ends.
 *
 * Per node, three keys in one hash slot (a Redis Cluster can serve them):
 *   KEYS[1] items  (hash)  item id → versioned JSON
 *   KEYS[2] owner  (hash)  item id → instance id
 *   KEYS[3] expiry (zset)  item id → epoch ms when the owner's lease ends
 *   KEYS[4] cancel (hash)  item id → 1: stopped on another instance, for its owner to cancel
 * One sorted set holds every lease of a node, so that one command renews all of an instance's
 * leases and one finds those that ended, however many items there are.
 */

const NOW = `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`;

/** another instance holds a lease on `id` that has not ended */
const HELD_BY_OTHER = `local function heldByOther(id, me)
  local owner = redis.call('HGET', KEYS[2], id)
  if not owner or owner == me then return false end
  local ends = tonumber(redis.call('ZSCORE', KEYS[3], id) or '0')
  return ends > now
end`;

const TAKE = `local function take(id, me, ttl)
  redis.call('HSET', KEYS[2], id, me)
  redis.call('ZADD', KEYS[3], now + ttl, id)
end`;

export const SCRIPTS = {
  /** ARGV id, me, ttl, json → 1 created (and leased to me), 0 it exists already */
  xassistCreate: `${NOW}
${TAKE}
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[4])
take(ARGV[1], ARGV[2], tonumber(ARGV[3]))
return 1`,

  /**
   * ARGV id, me, ttl, json → 1 written (and the lease renewed, or taken when nobody holds it:
   * Redis restarted, or lost it), 0 another instance holds it: this one has lost it
   */
  xassistWrite: `${NOW}
${HELD_BY_OTHER}
${TAKE}
if heldByOther(ARGV[1], ARGV[2]) then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[4])
take(ARGV[1], ARGV[2], tonumber(ARGV[3]))
return 1`,

  /** ARGV id, me → 1 removed, 0 another instance holds it */
  xassistRemove: `${NOW}
${HELD_BY_OTHER}
if heldByOther(ARGV[1], ARGV[2]) then return 0 end
redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[2], ARGV[1])
redis.call('ZREM', KEYS[3], ARGV[1])
redis.call('HDEL', KEYS[4], ARGV[1])
return 1`,

  /** ARGV ids… (none: every item) → how many items are now marked for their owners to cancel */
  xassistCancel: `local ids = ARGV
if #ids == 0 then ids = redis.call('HKEYS', KEYS[1]) end
local marked = 0
for _, id in ipairs(ids) do
  if redis.call('HEXISTS', KEYS[1], id) == 1 then
    redis.call('HSET', KEYS[4], id, 1)
    marked = marked + 1
  end
end
return marked`,

  /**
   * ARGV me, ttl, ids… → { lost ids, missing ids, cancelled ids }: each of my leases is extended;
   * lost: another instance owns it now; missing: nobody does (Redis lost it), to be written again;
   * cancelled: stopped on another instance
   */
  xassistRenew: `${NOW}
local lost, missing, cancelled = {}, {}, {}
local ttl = tonumber(ARGV[2])
for i = 3, #ARGV do
  local id = ARGV[i]
  local owner = redis.call('HGET', KEYS[2], id)
  if owner == ARGV[1] and redis.call('HEXISTS', KEYS[1], id) == 1 then
    redis.call('ZADD', KEYS[3], now + ttl, id)
    if redis.call('HEXISTS', KEYS[4], id) == 1 then table.insert(cancelled, id) end
  elseif owner then
    table.insert(lost, id)
  else
    table.insert(missing, id)
  end
end
return { lost, missing, cancelled }`,

  /**
   * ARGV me, ttl, limit → { id, json, id, json, … }: items whose lease ended, now mine; those
   * stopped meanwhile are removed instead
   */
  xassistClaimEnded: `${NOW}
${TAKE}
local ids = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', now, 'LIMIT', 0, tonumber(ARGV[3]))
local taken = {}
for _, id in ipairs(ids) do
  local json = redis.call('HGET', KEYS[1], id)
  if json and redis.call('HEXISTS', KEYS[4], id) == 1 then
    redis.call('HDEL', KEYS[1], id)
    json = false
  end
  if json then
    take(id, ARGV[1], tonumber(ARGV[2]))
    table.insert(taken, id)
    table.insert(taken, json)
  else
    redis.call('HDEL', KEYS[2], id)
    redis.call('ZREM', KEYS[3], id)
    redis.call('HDEL', KEYS[4], id)
  end
end
return taken`,

  /** ARGV me, ids… → my leases on them end now: another instance may take them at once */
  xassistRelease: `for i = 2, #ARGV do
  if redis.call('HGET', KEYS[2], ARGV[i]) == ARGV[1] then
    redis.call('HDEL', KEYS[2], ARGV[i])
    redis.call('ZADD', KEYS[3], 0, ARGV[i])
  end
end
return 1`,

  /** KEYS lock; ARGV me, ttl → 1 extended, 0 it is not mine (any more) */
  xassistExtendLock: `if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0`,

  /** KEYS lock; ARGV me → the lock is freed if it is mine */
  xassistUnlock: `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`,
} as const;

export type ScriptName = keyof typeof SCRIPTS;

/** how many keys each script takes */
export const SCRIPT_KEYS: Record<ScriptName, number> = {
  xassistCreate: 4,
  xassistWrite: 4,
  xassistRemove: 4,
  xassistCancel: 4,
  xassistRenew: 4,
  xassistClaimEnded: 4,
  xassistRelease: 4,
  xassistExtendLock: 1,
  xassistUnlock: 1,
};
