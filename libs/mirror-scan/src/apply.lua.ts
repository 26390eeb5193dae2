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
 * KEYS: 1 staging hash. ARGV: 1 FILEINFO prefix, 2 number of staged pairs k, then k pairs
 * (path, value), then triples (path, size, modTime) of new files whose FILEINFO is written now.
 */
export const STAGE_SCRIPT = `
local k = tonumber(ARGV[2])
if k > 0 then redis.call('HSET', KEYS[1], unpack(ARGV, 3, 2 + 2 * k)) end
for i = 3 + 2 * k, #ARGV, 3 do
  redis.call('HMSET', ARGV[1] .. ARGV[i], 'size', ARGV[i + 1], 'modTime', ARGV[i + 2])
end
return k
`;

/**
 * Apply a scan's staged differences in one atomic step (Redis runs a script without interleaving),
 * so readers see the previous file set or the new one, never a mix. The staging hash maps a path to
 * `"size modTime"` (changed), `N` (new: its FILEINFO was already written while listing, invisible to
 * readers until the mirror joins FILEMIRRORS here) or `""` (vanished).
 * KEYS: 1 staging hash, 2 MIRRORFILES_<id>, 3 HANDLEDFILES_<id>, 4 FILES, 5 MIRRORFILESTMP_<id>
 * ARGV: 1 FILEINFO prefix, 2 FILEMIRRORS prefix, 3 mirror id, 4 mirror-file-update channel
 * Returns {changed, removed, known, files}.
 */
export const APPLY_SCRIPT = `
local staged = redis.call('HGETALL', KEYS[1])
local id = ARGV[3]
local changed, removed = 0, 0
local adds, dels = {}, {}
local function flush()
  if #adds > 0 then redis.call('SADD', KEYS[2], unpack(adds)); adds = {} end
  if #dels > 0 then redis.call('SREM', KEYS[2], unpack(dels)); dels = {} end
end
for i = 1, #staged, 2 do
  local path, v = staged[i], staged[i + 1]
  if v == '' then
    redis.call('SREM', ARGV[2] .. path, id)
    redis.call('DEL', ARGV[1] .. path)
    dels[#dels + 1] = path
    removed = removed + 1
  else
    if v ~= 'N' then
      local sp = string.find(v, ' ', 1, true)
      redis.call('HMSET', ARGV[1] .. path, 'size', string.sub(v, 1, sp - 1), 'modTime', string.sub(v, sp + 1))
    end
    redis.call('SADD', ARGV[2] .. path, id)
    adds[#adds + 1] = path
    changed = changed + 1
  end
  redis.call('PUBLISH', ARGV[4], id .. ' ' .. path)
  if #adds >= 4000 or #dels >= 4000 then flush() end
end
flush()
redis.call('DEL', KEYS[1], KEYS[5])
local known = redis.call('SINTERSTORE', KEYS[3], KEYS[4], KEYS[2])
return {changed, removed, known, redis.call('SCARD', KEYS[2])}
`;

/**
 * Discard an unapplied staging area (failed scan, or one a killed process left): FILEINFO records
 * written early for new files are deleted unless the path is (still) in MIRRORFILES_<id>.
 * KEYS: 1 staging hash, 2 MIRRORFILES_<id>, 3 MIRRORFILESTMP_<id>. ARGV: 1 FILEINFO prefix.
 */
export const DISCARD_SCRIPT = `
local staged = redis.call('HGETALL', KEYS[1])
for i = 1, #staged, 2 do
  if staged[i + 1] == 'N' and redis.call('SISMEMBER', KEYS[2], staged[i]) == 0 then
    redis.call('DEL', ARGV[1] .. staged[i])
  end
end
redis.call('DEL', KEYS[1], KEYS[3])
return #staged / 2
`;
