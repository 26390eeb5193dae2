/**
 * Lua scripts of the scan transaction. Key names arrive as prefixes built by libs/redis
 * (`keys.fileInfo(id, '')`, `keys.fileMirrors('')`), never spelled here.
 */

/**
 * What the mirror held after its last scan: a flat list `path, "size modTime", …` read from
 * MIRRORFILES_<id> and each FILEINFO (also when a Mirrorbits node wrote them).
 * KEYS: 1 MIRRORFILES_<id>. ARGV: 1 FILEINFO prefix.
 */
export const SNAPSHOT_SCRIPT = `
local files = redis.call('SMEMBERS', KEYS[1])
local out = {}
for _, path in ipairs(files) do
  local v = redis.call('HMGET', ARGV[1] .. path, 'size', 'modTime')
  out[#out + 1] = path
  out[#out + 1] = (v[1] or '') .. ' ' .. (v[2] or '')
end
return out
`;

/**
 * One staging batch, as a single command (cheaper for the client than a thousand pipelined ones).
 * KEYS: 1 staging hash (changed → "size modTime", vanished → ""), 2 new-path set (MIRRORFILESTMP_<id>).
 * ARGV: 1 FILEINFO prefix, 2 number of staged pairs k, then k pairs (path, value), then triples
 * (path, size, modTime) of new files: their FILEINFO is written now (no reader looks at it before
 * the mirror joins FILEMIRRORS_<path>) and the path joins the new-path set, in the same step.
 */
export const STAGE_SCRIPT = `
local k = tonumber(ARGV[2])
if k > 0 then redis.call('HSET', KEYS[1], unpack(ARGV, 3, 2 + 2 * k)) end
local fresh = {}
for i = 3 + 2 * k, #ARGV, 3 do
  redis.call('HMSET', ARGV[1] .. ARGV[i], 'size', ARGV[i + 1], 'modTime', ARGV[i + 2])
  fresh[#fresh + 1] = ARGV[i]
end
if #fresh > 0 then redis.call('SADD', KEYS[2], unpack(fresh)) end
return k
`;

/**
 * Apply a scan's staged differences in one atomic step (Redis runs a script without interleaving),
 * so readers see the previous file set or the new one, never a mix.
 * KEYS: 1 staging hash, 2 MIRRORFILES_<id>, 3 HANDLEDFILES_<id>, 4 FILES, 5 new-path set
 * ARGV: 1 FILEINFO prefix, 2 FILEMIRRORS prefix, 3 mirror id, 4 mirror-file-update channel
 * Returns {changed, removed, known, files}.
 */
export const APPLY_SCRIPT = `
local id = ARGV[3]
local changed, removed = 0, 0
local dels = {}
local staged = redis.call('HGETALL', KEYS[1])
for i = 1, #staged, 2 do
  local path, v = staged[i], staged[i + 1]
  if v == '' then
    redis.call('SREM', ARGV[2] .. path, id)
    redis.call('DEL', ARGV[1] .. path)
    dels[#dels + 1] = path
    if #dels >= 4000 then redis.call('SREM', KEYS[2], unpack(dels)); dels = {} end
    removed = removed + 1
  else
    local sp = string.find(v, ' ', 1, true)
    redis.call('HMSET', ARGV[1] .. path, 'size', string.sub(v, 1, sp - 1), 'modTime', string.sub(v, sp + 1))
    redis.call('SADD', ARGV[2] .. path, id)
    changed = changed + 1
  end
  redis.call('PUBLISH', ARGV[4], id .. ' ' .. path)
end
if #dels > 0 then redis.call('SREM', KEYS[2], unpack(dels)) end
local fresh = redis.call('SMEMBERS', KEYS[5])
for _, path in ipairs(fresh) do
  redis.call('SADD', ARGV[2] .. path, id)
  redis.call('PUBLISH', ARGV[4], id .. ' ' .. path)
end
changed = changed + #fresh
if #fresh > 0 then
  if redis.call('EXISTS', KEYS[2]) == 1 then
    redis.call('SUNIONSTORE', KEYS[2], KEYS[2], KEYS[5])
    redis.call('DEL', KEYS[5])
  else
    redis.call('RENAME', KEYS[5], KEYS[2])
  end
end
redis.call('DEL', KEYS[1], KEYS[5])
local known = redis.call('SINTERSTORE', KEYS[3], KEYS[4], KEYS[2])
return {changed, removed, known, redis.call('SCARD', KEYS[2])}
`;

/**
 * Discard an unapplied staging area (failed scan, or one a killed process left): FILEINFO records
 * written early for new files are deleted unless the path is (still) in MIRRORFILES_<id>.
 * KEYS: 1 staging hash, 2 MIRRORFILES_<id>, 3 new-path set. ARGV: 1 FILEINFO prefix.
 */
export const DISCARD_SCRIPT = `
local fresh = redis.call('SMEMBERS', KEYS[3])
for _, path in ipairs(fresh) do
  if redis.call('SISMEMBER', KEYS[2], path) == 0 then redis.call('DEL', ARGV[1] .. path) end
end
redis.call('DEL', KEYS[1], KEYS[3])
return #fresh
`;
