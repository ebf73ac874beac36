-- The replay window of one Digest nonce, checked and updated atomically
-- (Redis runs a script without interleaving any other command).
--
-- KEYS[1]  the nonce's key
-- ARGV[1]  the nonce count nc, 0 .. 2^32 - 1
-- ARGV[2]  how long, in milliseconds, the key must live from now: what the
--          nonce has left by the calling instance's clock, plus a slack
--          (an integer, 1 .. 2^53)
--
-- Value: 36 bytes, big-endian: the highest count seen (u32), then a ring of
-- 256 bits in eight 32-bit words. Bit (n mod 256) is set when count n, one
-- of the 256 counts ending at the highest, was seen. Moving the highest
-- count up clears the bits of the counts that fall out of the window. A
-- 20-byte value, the 128-count window of earlier versions (a ring of 128
-- bits in four words), is read into the larger ring, losing nothing: the
-- 128 counts below its window, which it no longer knew and refused, count
-- as seen (any of them may have been used); a value of any other length
-- holds something else: answer 3.
--
-- A key's time to live only ever grows: every check makes the key live at
-- least ARGV[2] from now, and a key that would live longer (another
-- instance asked for more: a longer nonce lifetime, a clock behind) keeps
-- its expiry. A key without one (made persistent by hand) stays so.
-- ARGV[2] is handed to Redis as the caller's string, never as a Lua
-- number, which Redis could write in exponent form.
--
-- Returns 0 fresh (recorded), 1 replayed, 2 below the window,
-- 3 the key holds something else (treated as a forgotten nonce).

local nc = tonumber(ARGV[1])
local ttl = tonumber(ARGV[2])
local SIZE = 256
local WORDS = SIZE / 32
local FORMAT = '>I4' .. string.rep('i4', WORDS)
local LENGTH = 4 + 4 * WORDS

local function locate(n)
  local p = n % SIZE
  return math.floor(p / 32) + 1, bit.lshift(1, p % 32)
end

local function empty_ring()
  local ring = {}
  for i = 1, WORDS do
    ring[i] = 0
  end
  return ring
end

-- Makes the existing key live at least `ttl` from now, never shorter.
local function extend()
  local left = redis.call('PTTL', KEYS[1])
  if left >= 0 and left < ttl then
    redis.call('PEXPIRE', KEYS[1], ARGV[2])
  end
end

local top = nc
local ring = empty_ring()
local raw = redis.call('GET', KEYS[1])
if raw then
  if #raw == 20 then
    local old = {struct.unpack('>I4i4i4i4i4', raw)}
    top = old[1]
    for n = math.max(0, top - (SIZE - 1)), top do
      local p = n % 128
      if n <= top - 128
          or bit.band(old[math.floor(p / 32) + 2], bit.lshift(1, p % 32)) ~= 0 then
        local w, m = locate(n)
        ring[w] = bit.bor(ring[w], m)
      end
    end
  elseif #raw == LENGTH then
    local fields = {struct.unpack(FORMAT, raw)}
    top = fields[1]
    for i = 1, WORDS do
      ring[i] = fields[i + 1]
    end
  else
    return 3
  end
  if nc > top then
    if nc - top >= SIZE then
      ring = empty_ring()
    else
      for n = top + 1, nc do
        local w, m = locate(n)
        ring[w] = bit.band(ring[w], bit.bnot(m))
      end
    end
    top = nc
  else
    if top - nc >= SIZE then
      extend()
      return 2
    end
    local w, m = locate(nc)
    if bit.band(ring[w], m) ~= 0 then
      extend()
      return 1
    end
  end
end

local w, m = locate(nc)
ring[w] = bit.bor(ring[w], m)
local value = struct.pack(FORMAT, top, unpack(ring))
if raw then
  local left = redis.call('PTTL', KEYS[1])
  if left == -1 or left > ttl then
    redis.call('SET', KEYS[1], value, 'KEEPTTL')
    return 0
  end
end
redis.call('SET', KEYS[1], value, 'PX', ARGV[2])
return 0
