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
 * Apply a scan's staged differences in one atomic step (Redis runs a script without interleaving),
 * so readers see the previous file set or the new one, never a mix. The staging hash maps a path
 * to `"size modTime"` (new or changed) or to `""` (vanished).
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
    local sp = string.find(v, ' ', 1, true)
    redis.call('HMSET', ARGV[1] .. path, 'size', string.sub(v, 1, sp - 1), 'modTime', string.sub(v, sp + 1))
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
