/**
 * The breaker's transitions as Lua, so each is one atomic step in Redis whichever replica runs it.
 * Hash `sy:cb:<account>`: state (closed|open|half_open), opened_at, probe_until, probe (token of the probe holder).
 * List `sy:cb:<account>:calls`: recent calls as `<ms>:<s|f>`, newest first. Set `sy:cb:index`: accounts with history.
 * Both keys expire a day after the account's last authorization call: a circuit nobody calls has nothing to protect.
 */

/**
 * KEYS: hash, calls, index. ARGV: now, outcome (s|f), windowMs, minFailures, ratio, maxCalls, ttlMs, accountId, probe.
 * Closed: remember the call; open when the window holds enough failures at a high enough share.
 * Half-open: only the probe holder's answer counts: success closes (history cleared), failure re-opens.
 * Open: late answers of calls made before it opened change nothing.
 */
export const RECORD_CALL = `
local now = tonumber(ARGV[1])
redis.call('SADD', KEYS[3], ARGV[8])
local state = redis.call('HGET', KEYS[1], 'state') or 'closed'
if state ~= 'closed' then redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[7])) end
if state == 'half_open' then
  if ARGV[9] == '' or redis.call('HGET', KEYS[1], 'probe') ~= ARGV[9] then return state end
  if ARGV[2] == 's' then
    redis.call('DEL', KEYS[2])
    redis.call('HSET', KEYS[1], 'state', 'closed', 'changed_at', now)
    redis.call('HDEL', KEYS[1], 'probe', 'probe_until', 'opened_at')
    return 'closed'
  end
  redis.call('HSET', KEYS[1], 'state', 'open', 'opened_at', now, 'changed_at', now)
  redis.call('HDEL', KEYS[1], 'probe', 'probe_until')
  return 'open'
end
if state == 'open' then return state end
redis.call('LPUSH', KEYS[2], now .. ':' .. ARGV[2])
redis.call('LTRIM', KEYS[2], 0, tonumber(ARGV[6]) - 1)
redis.call('PEXPIRE', KEYS[2], tonumber(ARGV[7]))
if ARGV[2] ~= 'f' then return 'closed' end
local since = now - tonumber(ARGV[3])
local calls, failures = 0, 0
for _, entry in ipairs(redis.call('LRANGE', KEYS[2], 0, -1)) do
  local sep = string.find(entry, ':', 1, true)
  if tonumber(string.sub(entry, 1, sep - 1)) >= since then
    calls = calls + 1
    if string.sub(entry, sep + 1) == 'f' then failures = failures + 1 end
  end
end
if failures >= tonumber(ARGV[4]) and failures >= tonumber(ARGV[5]) * calls then
  redis.call('HSET', KEYS[1], 'state', 'open', 'opened_at', now, 'changed_at', now)
  redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[7]))
  return 'open'
end
return 'closed'
`;

/**
 * KEYS: hash. ARGV: now, openMs, probeMs, token. Returns 1 when the caller holds the probe (or the circuit closed in
 * the meantime), 0 when the circuit is still open or another request is probing.
 */
export const ACQUIRE_PROBE = `
local now = tonumber(ARGV[1])
local state = redis.call('HGET', KEYS[1], 'state') or 'closed'
if state == 'closed' then return 1 end
if state == 'open' then
  if now < tonumber(redis.call('HGET', KEYS[1], 'opened_at') or '0') + tonumber(ARGV[2]) then return 0 end
elseif now < tonumber(redis.call('HGET', KEYS[1], 'probe_until') or '0') then
  return 0
end
redis.call('HSET', KEYS[1], 'state', 'half_open', 'probe_until', now + tonumber(ARGV[3]), 'probe', ARGV[4], 'changed_at', now)
return 1
`;
