/**
 * Applies a staged listing in one atomic step (Redis runs a script without interleaving), so
 * readers see either the previous file set or the new one, never a mix. Key names arrive as
 * prefixes built by libs/redis (`keys.fileInfo(id, '')`, `keys.fileMirrors('')`).
 *
 * KEYS: 1 MIRRORFILESTMP_<id>, 2 staging hash (path → "size modTime"), 3 MIRRORFILES_<id>,
 *       4 HANDLEDFILES_<id>, 5 FILES
 * ARGV: 1 FILEINFO prefix, 2 FILEMIRRORS prefix, 3 mirror id, 4 mirror-file-update channel
 * Returns {listed, changed, removed, known}, or {-1, previous count} when the listing is empty
 * but the mirror had files (refused: kept as is).
 */
export const APPLY_SCRIPT = `
local staged = redis.call('HGETALL', KEYS[2])
local listed = #staged / 2
if listed == 0 then
  local previous = redis.call('SCARD', KEYS[3])
  if previous > 0 then
    redis.call('DEL', KEYS[1], KEYS[2])
    return {-1, previous}
  end
end
local id = ARGV[3]
local changed = 0
for i = 1, #staged, 2 do
  local path = staged[i]
  local v = staged[i + 1]
  local sp = string.find(v, ' ', 1, true)
  local size = string.sub(v, 1, sp - 1)
  local mtime = string.sub(v, sp + 1)
  local fi = ARGV[1] .. path
  local cur = redis.call('HMGET', fi, 'size', 'modTime')
  -- Membership is re-asserted for every file (cheap, self-healing); the record and the
  -- invalidation message only when something changed.
  redis.call('SADD', ARGV[2] .. path, id)
  if cur[1] ~= size or cur[2] ~= mtime then
    redis.call('HMSET', fi, 'size', size, 'modTime', mtime)
    redis.call('PUBLISH', ARGV[4], id .. ' ' .. path)
    changed = changed + 1
  end
end
local gone = redis.call('SDIFF', KEYS[3], KEYS[1])
for _, path in ipairs(gone) do
  redis.call('SREM', ARGV[2] .. path, id)
  redis.call('DEL', ARGV[1] .. path)
  redis.call('PUBLISH', ARGV[4], id .. ' ' .. path)
end
if listed > 0 then
  redis.call('RENAME', KEYS[1], KEYS[3])
else
  redis.call('DEL', KEYS[1])
end
redis.call('DEL', KEYS[2])
local known = redis.call('SINTERSTORE', KEYS[4], KEYS[5], KEYS[3])
return {listed, changed, #gone, known}
`;
