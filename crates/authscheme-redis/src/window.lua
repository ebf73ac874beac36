-- The replay window of one Digest nonce, checked and updated atomically
-- (Redis runs a script without interleaving any other command).
--
-- KEYS[1]  the nonce's key
-- ARGV[1]  the nonce count nc, 1 .. 2^32 - 1
-- ARGV[2]  time to live of the key in seconds (> 0)
--
-- Value: 20 bytes, big-endian: the highest count seen (u32), then a ring of
-- 128 bits in four 32-bit words. Bit (n mod 128) is set when count n, one
-- of the 128 counts ending at the highest, was seen. Moving the highest
-- count up clears the bits of the counts that fall out of the window.
--
-- Returns 0 fresh (recorded), 1 replayed, 2 below the window,
-- 3 the key holds something else (treated as a forgotten nonce).

local nc = tonumber(ARGV[1])
local ttl = tonumber(ARGV[2])
local SIZE = 128
local FORMAT = '>I4i4i4i4i4'

local function locate(n)
  local p = n % SIZE
  return math.floor(p / 32) + 1, bit.lshift(1, p % 32)
end

local top = nc
local ring = {0, 0, 0, 0}
local raw = redis.call('GET', KEYS[1])
if raw then
  if #raw ~= 20 then
    return 3
  end
  local w1, w2, w3, w4
  top, w1, w2, w3, w4 = struct.unpack(FORMAT, raw)
  ring = {w1, w2, w3, w4}
  if nc > top then
    if nc - top >= SIZE then
      ring = {0, 0, 0, 0}
    else
      for n = top + 1, nc do
        local w, m = locate(n)
        ring[w] = bit.band(ring[w], bit.bnot(m))
      end
    end
    top = nc
  else
    if top - nc >= SIZE then
      return 2
    end
    local w, m = locate(nc)
    if bit.band(ring[w], m) ~= 0 then
      return 1
    end
  end
end

local w, m = locate(nc)
ring[w] = bit.bor(ring[w], m)
redis.call('SET', KEYS[1], struct.pack(FORMAT, top, ring[1], ring[2], ring[3], ring[4]), 'EX', ttl)
return 0
