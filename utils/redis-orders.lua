#!lua name=orders
--
-- ORDER.* on stock Redis 7 (Redis Functions): the comparison point for
-- ordis's order tables in `make bench` (utils/bench/orders.sh). It keeps
-- orders the way an engineer would on Redis today, and implements the
-- semantics of the ORDER.* commands of issue 3 so that replies match
-- ordis's RESP2 replies (ordis-bench --check compares them).
--
--   redis-cli -x FUNCTION LOAD REPLACE < utils/redis-orders.lua
--   FCALL order_place 0 user symbol BUY|SELL price qty [TYPE t] [TIF t]
--                       [EXPIRE unix-ms] [CID cid] [ID id]        -> id
--   FCALL order_get 0 id                -> flat field/value array or nil (*)
--   FCALL order_getcid 0 user cid       -> same
--   FCALL order_cancel 0 id             -> 1 | 0
--   FCALL order_cancelcid 0 user cid    -> 1 | 0
--   FCALL order_cancelall 0 user [SYMBOL s]            -> count
--   FCALL order_reduce 0 id qty         -> remaining
--   FCALL order_amend 0 id [PRICE p] [QTY q]           -> OK
--   FCALL order_fill 0 id qty price [TRADE trade-id]   -> remaining (trade-id > 0)
--   FCALL order_open 0 user [SYMBOL s] [LIMIT n]       -> array of orders
--   FCALL order_depth 0 symbol [levels]  -> [[[price, qty, count]...], [...]]
--   FCALL order_top 0 symbol   -> [bid price, bid qty, ask price, ask qty]
--   FCALL order_symbol_set 0 symbol [TICK t] [LOT l]   -> OK
--   FCALL order_symbol_get 0 symbol / order_symbol_list 0
--   FCALL order_expire 0                -> GTD orders moved to EXPIRED now
--   FCALL order_reset 0                 -> OK (deletes every key below)
-- Read-only functions carry the no-writes flag (usable with FCALL_RO).
-- (*) An order is its hash as stored (HGETALL): ordis's fields in ordis's
-- order, but cid and expire only when set, and an extra seq pair (its time
-- priority). ordis-bench --check compares orders field by field.
--
-- Keys (all orders live in one Redis database, standalone):
--   o:<id>          hash: the order's 16 reply fields (cid and expire only
--                   when set) + seq (its time-priority sequence)
--   o:id, o:seq     counters (INCR): order ids; time-priority sequence
--   ou:<user>       zset of the user's live order ids, score = placement
--                   seq (oldest first)
--   oc:<user>       hash cid -> id of the user's latest order with that cid
--                   (live or not: GETCID reads completed orders too)
--   ob:<sym>:<B|S>  zset, the book side: member "<seq, 12 digits>:<id>",
--                   score = price (bids: -price). Equal scores sort by
--                   member, i.e. by seq: time priority within a level.
--   ol:<sym>:<B|S>  zset of the side's price levels: member = price text,
--                   score as above (best first)
--   oa:<sym>:<B|S>  hash: <price> -> "<aggregate remaining qty> <orders>"
--   ot:<id>         hash trade-id -> remaining after it (FILL ... TRADE)
--   o:gtd           zset of live GTD order ids by expire time (ms)
--   o:sym           hash symbol -> "tick lot" (scaled; 0 = unset)
-- Terminal orders (FILLED, CANCELED, EXPIRED) leave ou/ob/ol/oa; their
-- o:<id> hash stays readable (ordis keeps completed orders readable too).
--
-- Numbers: Lua numbers are doubles. Prices and quantities are integers
-- scaled by 10^8 inside (exact below 2^53, i.e. up to 90,071,992.54740991;
-- larger values are refused with an error, unlike ordis's int64 range; the
-- aggregate quantity of a price level must stay below that bound too) and
-- stored as canonical decimal text. Quote amounts are exact with up to 16
-- fractional digits (three base-10^8 limbs), as ordis prints them.
-- Expiry: order_expire must be called periodically (ordis expires GTD
-- orders by itself); nothing here runs on a timer.

local SCALE = 100000000
local MAX_EXACT = 9007199254740991 -- 2^53 - 1
local LIVE = {NEW = true, PARTIALLY_FILLED = true}
local TYPES = {LIMIT = true, LIMIT_MAKER = true}
local TIFS = {GTC = true, IOC = true, FOK = true, GTD = true}

local function err(msg) return redis.error_reply('ERR ' .. msg) end

-- Decimal text -> scaled integer, or nil and an error message.
-- Syntax as ordis: digits, optionally '.' and 1-8 digits; leading zeros ok.
local function parse_dec(s, what)
  local neg, ip, fp = string.match(s, '^(%-?)(%d+)%.?(%d*)$')
  if not ip or (fp == '' and string.sub(s, -1) == '.') then
    return nil, 'invalid ' .. what
  end
  if #fp > 8 then return nil, what .. ' has more than 8 decimals' end
  ip = string.gsub(ip, '^0+', '')
  if #ip > 8 then return nil, what .. ' out of range' end
  local v = (tonumber(ip) or 0) * SCALE + (tonumber(fp .. string.rep('0', 8 - #fp)) or 0)
  if v > MAX_EXACT then return nil, what .. ' out of range' end
  if neg == '-' then v = -v end
  return v
end

local function parse_pos(s, what)
  local v, e = parse_dec(s, what)
  if not v then return nil, e end
  if v <= 0 then return nil, what .. ' must be positive' end
  return v
end

-- Exact integer division of a double integer by b (0 <= fmod < b).
local function divmod(v, b)
  local r = math.fmod(v, b)
  return (v - r) / b, r
end

local function int_text(v) return string.format('%.0f', v) end

-- Scaled integer -> canonical text ("12.5", "3", "0.00000001").
local function fmt_dec(v)
  local i, f = divmod(v, SCALE)
  if f == 0 then return int_text(i) end
  local fs = string.gsub(string.format('%08.0f', f), '0+$', '')
  return int_text(i) .. '.' .. fs
end

-- Quote amounts: {units, 1e-8 limb, 1e-16 limb}.
local function quote_parse(s)
  local ip, fp = string.match(s, '^(%d+)%.?(%d*)$')
  fp = fp .. string.rep('0', 16 - #fp)
  return {tonumber(ip), tonumber(string.sub(fp, 1, 8)), tonumber(string.sub(fp, 9, 16))}
end

local function quote_text(q)
  local f = string.format('%08.0f%08.0f', q[2], q[3])
  f = string.gsub(f, '0+$', '')
  if f == '' then return int_text(q[1]) end
  return int_text(q[1]) .. '.' .. f
end

-- q += price * qty (both scaled by 10^8), exactly; nil when out of range.
local function quote_add(q, price, qty)
  local pi, pf = divmod(price, SCALE)
  local qi, qf = divmod(qty, SCALE)
  local l0, l1, l2 = q[3], q[2], q[1]
  -- pf * qf (up to 10^16, not exact as one double): split pf = a*10^4 + b.
  local a, b = divmod(pf, 10000)
  local xh, xl = divmod(a * qf, 10000)
  l0 = l0 + xl * 10000 + b * qf
  l1 = l1 + xh
  local c
  c, l0 = divmod(l0, SCALE)
  l1 = l1 + c
  for _, t in ipairs({pi * qf, pf * qi}) do
    c, t = divmod(t, SCALE)
    l2 = l2 + c
    l1 = l1 + t
    c, l1 = divmod(l1, SCALE)
    l2 = l2 + c
  end
  l2 = l2 + pi * qi
  if l2 > MAX_EXACT then return nil end
  q[1], q[2], q[3] = l2, l1, l0
  return q
end

local function valid_user(s)
  return type(s) == 'string' and #s <= 19 and string.match(s, '^[1-9]%d*$') ~= nil and
             (#s < 19 or s <= '9223372036854775807')
end

local function valid_symbol(s)
  return type(s) == 'string' and #s >= 1 and #s <= 16 and
             string.match(s, '^[A-Z0-9%._%-]+$') ~= nil
end

local function valid_cid(s)
  return type(s) == 'string' and #s >= 1 and #s <= 32 and string.match(s, '^[%w%p]+$') ~= nil
end

local function valid_id(s)
  return type(s) == 'string' and #s <= 16 and string.match(s, '^[1-9]%d*$') ~= nil and
             tonumber(s) <= MAX_EXACT
end

local function now_us()
  local t = redis.call('TIME')
  return int_text(tonumber(t[1]) * 1000000 + tonumber(t[2]))
end

local function side_code(side) return side == 'BUY' and 'B' or 'S' end
local function book_score(side, price) return side == 'BUY' and -price or price end
local function book_member(seq, id) return string.format('%012d', seq) .. ':' .. id end

-- Tick and lot of a symbol (scaled; 0 = none) and whether it is known.
local function symbol_rules(sym)
  local v = redis.call('HGET', 'o:sym', sym)
  if not v then return 0, 0, false end
  local t, l = string.match(v, '^(%d+) (%d+)$')
  return tonumber(t), tonumber(l), true
end

-- An error message when price/qty (either may be nil) break the rules.
local function rules_error(tick, lot, price, qty)
  if price and tick > 0 and math.fmod(price, tick) ~= 0 then
    return 'price is not a multiple of the tick size'
  end
  if qty and lot > 0 and math.fmod(qty, lot) ~= 0 then
    return 'quantity is not a multiple of the lot size'
  end
  return nil
end

local function check_rules(sym, price, qty)
  local tick, lot = symbol_rules(sym)
  return rules_error(tick, lot, price, qty)
end

-- Price levels: oa:<sym>:<B|S> maps a price to "<aggregate remaining qty>
-- <order count>" (decimal text, integer): one field per level, so DEPTH
-- looks up one field per level (a small hash is a listpack: lookups scan).
-- Adds dqty and dcount to a level, creating or dropping it as needed.
local function level_change(sym, side, price_text, price, dqty, dcount)
  local sc = side_code(side)
  local agg = 'oa:' .. sym .. ':' .. sc
  local v = redis.call('HGET', agg, price_text)
  local qty, count = dqty, dcount
  if v then
    local q, c = string.match(v, '^(%S+) (%d+)$')
    qty, count = parse_dec(q, 'qty') + dqty, tonumber(c) + dcount
  end
  if count == 0 then
    redis.call('HDEL', agg, price_text)
    redis.call('ZREM', 'ol:' .. sym .. ':' .. sc, price_text)
    return
  end
  redis.call('HSET', agg, price_text, fmt_dec(qty) .. ' ' .. count)
  if not v then redis.call('ZADD', 'ol:' .. sym .. ':' .. sc, book_score(side, price), price_text) end
end

local function level_add(sym, side, price_text, price, qty)
  level_change(sym, side, price_text, price, qty, 1)
end

-- Removes qty from the level; with one_order, the order leaves it too.
local function level_sub(sym, side, price_text, qty, one_order)
  level_change(sym, side, price_text, nil, -qty, one_order and -1 or 0)
end

-- The fields write paths need; nil when the order does not exist.
local function load(id)
  local v = redis.call('HMGET', 'o:' .. id, 'status', 'user', 'symbol', 'side', 'price',
                       'remaining', 'filled', 'seq', 'tif', 'quote')
  if not v[1] then return nil end
  return {status = v[1], user = v[2], symbol = v[3], side = v[4], price_text = v[5],
          price = parse_dec(v[5], 'price'), remaining = parse_dec(v[6], 'qty'),
          filled = parse_dec(v[7], 'qty'), seq = v[8], tif = v[9], quote = v[10]}
end

-- Takes a live order out of the live tables (user list, book, level).
local function unlink(id, o)
  redis.call('ZREM', 'ou:' .. o.user, id)
  redis.call('ZREM', 'ob:' .. o.symbol .. ':' .. side_code(o.side), book_member(o.seq, id))
  level_sub(o.symbol, o.side, o.price_text, o.remaining, true)
  if o.tif == 'GTD' then redis.call('ZREM', 'o:gtd', id) end
end

-- The order hash as stored: fields in the order ORDER.GET lists them (a
-- small hash keeps insertion order and HSET updates in place), cid and
-- expire only when set, then seq. HGETALL is one scan of the hash; HMGET of
-- the 16 names would be 16 (and cost OPEN about a third more).
local function order_reply(id)
  local v = redis.call('HGETALL', 'o:' .. id)
  if #v == 0 then return false end
  return v
end

-- Ends a live order with a terminal status.
local function finish(id, o, status, remaining_text)
  unlink(id, o)
  local t = now_us()
  if remaining_text then
    redis.call('HSET', 'o:' .. id, 'status', status, 'remaining', remaining_text, 'qty',
               fmt_dec(o.filled), 'updated', t)
  else
    redis.call('HSET', 'o:' .. id, 'status', status, 'updated', t)
  end
end

local function cancel(id)
  local o = load(id)
  if not o or not LIVE[o.status] then return 0 end
  finish(id, o, 'CANCELED')
  return 1
end

local function order_place(_, a)
  if #a < 5 then return err('wrong number of arguments for ORDER.PLACE') end
  local user, sym, side = a[1], a[2], string.upper(a[3])
  if not valid_user(user) then return err('user must be a positive integer') end
  if not valid_symbol(sym) then return err('invalid symbol') end
  if side ~= 'BUY' and side ~= 'SELL' then return err('side must be BUY or SELL') end
  local price, e = parse_pos(a[4], 'price')
  if not price then return err(e) end
  local qty
  qty, e = parse_pos(a[5], 'qty')
  if not qty then return err(e) end
  local otype, tif, expire, cid, id = 'LIMIT', 'GTC', nil, nil, nil
  local i = 6
  while i <= #a do
    local opt, v = string.upper(a[i]), a[i + 1]
    if v == nil then return err('syntax error') end
    if opt == 'TYPE' then
      otype = string.upper(v)
      if not TYPES[otype] then return err('unknown order type') end
    elseif opt == 'TIF' then
      tif = string.upper(v)
      if not TIFS[tif] then return err('unknown time in force') end
    elseif opt == 'EXPIRE' then
      if not string.match(v, '^%d+$') or #v > 15 then return err('invalid EXPIRE') end
      expire = v
    elseif opt == 'CID' then
      if not valid_cid(v) then return err('invalid client order id') end
      cid = v
    elseif opt == 'ID' then
      if not valid_id(v) then return err('invalid order id') end
      id = v
    else
      return err('syntax error')
    end
    i = i + 2
  end
  local now = now_us()
  if tif == 'GTD' then
    if not expire then return err('GTD requires EXPIRE') end
    if tonumber(expire) * 1000 <= tonumber(now) then return err('EXPIRE is in the past') end
  elseif expire then
    return err('EXPIRE requires TIF GTD')
  end
  local tick, lot, known = symbol_rules(sym)
  e = rules_error(tick, lot, price, qty)
  if e then return err(e) end
  if cid then
    -- Unique among the user's live orders; a completed order's cid is free.
    local prev = redis.call('HGET', 'oc:' .. user, cid)
    if prev and LIVE[redis.call('HGET', 'o:' .. prev, 'status')] then
      return err('duplicate client order id')
    end
  end
  if id then
    if redis.call('EXISTS', 'o:' .. id) == 1 then return err('order id already used') end
    if tonumber(id) > tonumber(redis.call('GET', 'o:id') or '0') then
      redis.call('SET', 'o:id', id)
    end
  else
    id = int_text(redis.call('INCR', 'o:id'))
  end
  -- Every check passed: from here on the order is stored.
  if not known then redis.call('HSET', 'o:sym', sym, '0 0') end
  local seq = redis.call('INCR', 'o:seq')
  local price_text, qty_text = fmt_dec(price), fmt_dec(qty)
  local h = {'id', id, 'user', user, 'symbol', sym, 'side', side, 'type', otype, 'tif', tif,
             'status', 'NEW', 'price', price_text, 'qty', qty_text, 'filled', '0',
             'remaining', qty_text, 'quote', '0'}
  if cid then
    h[#h + 1] = 'cid'
    h[#h + 1] = cid
  end
  for _, x in ipairs({'created', now, 'updated', now}) do h[#h + 1] = x end
  if expire then
    h[#h + 1] = 'expire'
    h[#h + 1] = expire
    redis.call('ZADD', 'o:gtd', expire, id)
  end
  h[#h + 1] = 'seq'
  h[#h + 1] = seq
  redis.call('HSET', 'o:' .. id, unpack(h))
  redis.call('ZADD', 'ou:' .. user, seq, id)
  if cid then redis.call('HSET', 'oc:' .. user, cid, id) end
  redis.call('ZADD', 'ob:' .. sym .. ':' .. side_code(side), book_score(side, price),
             book_member(seq, id))
  level_add(sym, side, price_text, price, qty)
  return tonumber(id)
end

local function order_get(_, a)
  if #a ~= 1 then return err('wrong number of arguments for ORDER.GET') end
  return order_reply(a[1])
end

local function order_getcid(_, a)
  if #a ~= 2 then return err('wrong number of arguments for ORDER.GETCID') end
  local id = redis.call('HGET', 'oc:' .. a[1], a[2])
  if not id then return false end
  return order_reply(id)
end

local function order_cancel(_, a)
  if #a ~= 1 then return err('wrong number of arguments for ORDER.CANCEL') end
  return cancel(a[1])
end

local function order_cancelcid(_, a)
  if #a ~= 2 then return err('wrong number of arguments for ORDER.CANCELCID') end
  local id = redis.call('HGET', 'oc:' .. a[1], a[2])
  if not id then return 0 end
  return cancel(id)
end

local function order_cancelall(_, a)
  if #a ~= 1 and not (#a == 3 and string.upper(a[2]) == 'SYMBOL') then
    return err('syntax error')
  end
  local n = 0
  for _, id in ipairs(redis.call('ZRANGE', 'ou:' .. a[1], 0, -1)) do
    if not a[3] or redis.call('HGET', 'o:' .. id, 'symbol') == a[3] then n = n + cancel(id) end
  end
  return n
end

-- Looks up a live order for REDUCE/AMEND/FILL: order or nil, error reply.
local function load_live(id)
  local o = load(id)
  if not o then return nil, err('no such order') end
  if not LIVE[o.status] then return nil, err('order is not live') end
  return o
end

local function order_reduce(_, a)
  if #a ~= 2 then return err('wrong number of arguments for ORDER.REDUCE') end
  local id = a[1]
  local qty, e = parse_pos(a[2], 'qty')
  if not qty then return err(e) end
  local o, r = load_live(id)
  if not o then return r end
  if qty > o.remaining then return err('qty above remaining') end
  e = check_rules(o.symbol, nil, qty)
  if e then return err(e) end
  local rem = o.remaining - qty
  if rem == 0 then
    finish(id, o, 'CANCELED', '0')
    return '0'
  end
  level_sub(o.symbol, o.side, o.price_text, qty, false)
  local rem_text = fmt_dec(rem)
  redis.call('HSET', 'o:' .. id, 'remaining', rem_text, 'qty', fmt_dec(o.filled + rem),
             'updated', now_us())
  return rem_text
end

local function order_amend(_, a)
  local id = a[1]
  if not id then return err('wrong number of arguments for ORDER.AMEND') end
  local price, qty, e
  local i = 2
  while i <= #a do
    local opt, v = string.upper(a[i]), a[i + 1]
    if v == nil then return err('syntax error') end
    if opt == 'PRICE' then
      price, e = parse_pos(v, 'price')
    elseif opt == 'QTY' then
      qty, e = parse_pos(v, 'qty')
    else
      return err('syntax error')
    end
    if e then return err(e) end
    i = i + 2
  end
  local o, r = load_live(id)
  if not o then return r end
  e = check_rules(o.symbol, price, qty)
  if e then return err(e) end
  local new_price, new_rem = price or o.price, qty or o.remaining
  local sc = side_code(o.side)
  local h = {'updated', now_us()}
  if new_price ~= o.price or new_rem > o.remaining then
    -- Back of the (new) level: a new time-priority sequence.
    local seq = redis.call('INCR', 'o:seq')
    local price_text = fmt_dec(new_price)
    redis.call('ZREM', 'ob:' .. o.symbol .. ':' .. sc, book_member(o.seq, id))
    level_sub(o.symbol, o.side, o.price_text, o.remaining, true)
    redis.call('ZADD', 'ob:' .. o.symbol .. ':' .. sc, book_score(o.side, new_price),
               book_member(seq, id))
    level_add(o.symbol, o.side, price_text, new_price, new_rem)
    for _, x in ipairs({'seq', seq, 'price', price_text}) do h[#h + 1] = x end
  elseif new_rem < o.remaining then
    level_sub(o.symbol, o.side, o.price_text, o.remaining - new_rem, false)
  end
  for _, x in ipairs({'remaining', fmt_dec(new_rem), 'qty', fmt_dec(o.filled + new_rem)}) do
    h[#h + 1] = x
  end
  redis.call('HSET', 'o:' .. id, unpack(h))
  return redis.status_reply('OK')
end

local function order_fill(_, a)
  if #a ~= 3 and not (#a == 5 and string.upper(a[4]) == 'TRADE') then
    return err('syntax error')
  end
  local id, trade = a[1], a[5]
  local qty, e = parse_pos(a[2], 'qty')
  if not qty then return err(e) end
  local price
  price, e = parse_pos(a[3], 'price')
  if not price then return err(e) end
  if trade and not valid_id(trade) then return err('invalid trade id') end
  if trade then
    -- Already applied: the same reply again, nothing changes.
    local prev = redis.call('HGET', 'ot:' .. id, trade)
    if prev then return prev end
  end
  local o, r = load_live(id)
  if not o then return r end
  if qty > o.remaining then return err('qty above remaining') end
  local q = quote_add(quote_parse(o.quote), price, qty)
  if not q then return err('quote out of range') end
  local rem = o.remaining - qty
  local rem_text = fmt_dec(rem)
  o.filled = o.filled + qty
  local h = {'filled', fmt_dec(o.filled), 'quote', quote_text(q)}
  if rem == 0 then
    unlink(id, o)
    for _, x in ipairs({'status', 'FILLED', 'remaining', '0'}) do h[#h + 1] = x end
  else
    level_sub(o.symbol, o.side, o.price_text, qty, false)
    for _, x in ipairs({'status', 'PARTIALLY_FILLED', 'remaining', rem_text}) do h[#h + 1] = x end
  end
  h[#h + 1] = 'updated'
  h[#h + 1] = now_us()
  redis.call('HSET', 'o:' .. id, unpack(h))
  if trade then redis.call('HSET', 'ot:' .. id, trade, rem_text) end
  return rem_text
end

local function order_open(_, a)
  local user = a[1]
  if not user then return err('wrong number of arguments for ORDER.OPEN') end
  local sym, limit
  local i = 2
  while i <= #a do
    local opt, v = string.upper(a[i]), a[i + 1]
    if v == nil then return err('syntax error') end
    if opt == 'SYMBOL' then
      sym = v
    elseif opt == 'LIMIT' then
      if not string.match(v, '^[1-9]%d*$') or #v > 9 then return err('invalid LIMIT') end
      limit = tonumber(v)
    else
      return err('syntax error')
    end
    i = i + 2
  end
  local stop = (limit and not sym) and limit - 1 or -1
  local out = {}
  for _, id in ipairs(redis.call('ZRANGE', 'ou:' .. user, 0, stop)) do
    if not sym or redis.call('HGET', 'o:' .. id, 'symbol') == sym then
      out[#out + 1] = order_reply(id)
      if limit and #out == limit then break end
    end
  end
  return out
end

local function side_levels(sym, sc, n)
  local prices = redis.call('ZRANGE', 'ol:' .. sym .. ':' .. sc, 0, n - 1)
  local out = {}
  if #prices == 0 then return out end
  local v = redis.call('HMGET', 'oa:' .. sym .. ':' .. sc, unpack(prices))
  for i, p in ipairs(prices) do
    local q, c = string.match(v[i], '^(%S+) (%d+)$')
    out[i] = {p, q, tonumber(c)}
  end
  return out
end

local function order_depth(_, a)
  if #a < 1 or #a > 2 then return err('wrong number of arguments for ORDER.DEPTH') end
  local n = 20
  if a[2] then
    if not string.match(a[2], '^[1-9]%d*$') or #a[2] > 9 then return err('invalid levels') end
    n = tonumber(a[2])
  end
  return {side_levels(a[1], 'B', n), side_levels(a[1], 'S', n)}
end

local function order_top(_, a)
  if #a ~= 1 then return err('wrong number of arguments for ORDER.TOP') end
  local out = {}
  for _, sc in ipairs({'B', 'S'}) do
    local l = side_levels(a[1], sc, 1)[1]
    out[#out + 1] = l and l[1] or false
    out[#out + 1] = l and l[2] or false
  end
  return out
end

local function order_symbol_set(_, a)
  local sym = a[1]
  if not valid_symbol(sym) then return err('invalid symbol') end
  local tick, lot = symbol_rules(sym)
  local i = 2
  while i <= #a do
    local opt, v = string.upper(a[i]), a[i + 1]
    if v == nil then return err('syntax error') end
    local x, e = parse_pos(v, string.lower(opt))
    if not x then return err(e) end
    if opt == 'TICK' then
      tick = x
    elseif opt == 'LOT' then
      lot = x
    else
      return err('syntax error')
    end
    i = i + 2
  end
  redis.call('HSET', 'o:sym', sym, int_text(tick) .. ' ' .. int_text(lot))
  return redis.status_reply('OK')
end

local function order_symbol_get(_, a)
  if #a ~= 1 then return err('wrong number of arguments for ORDER.SYMBOL GET') end
  if not redis.call('HGET', 'o:sym', a[1]) then return false end
  local tick, lot = symbol_rules(a[1])
  return {'symbol', a[1], 'tick', fmt_dec(tick), 'lot', fmt_dec(lot)}
end

local function order_symbol_list(_, _)
  local s = redis.call('HKEYS', 'o:sym')
  table.sort(s)
  return s
end

local function order_expire(_, _)
  local now = tonumber(now_us())
  local ms = math.floor(now / 1000)
  local n = 0
  for _, id in ipairs(redis.call('ZRANGEBYSCORE', 'o:gtd', '-inf', ms, 'LIMIT', 0, 1000)) do
    local o = load(id)
    if o and LIVE[o.status] then
      finish(id, o, 'EXPIRED')
      n = n + 1
    else
      redis.call('ZREM', 'o:gtd', id)
    end
  end
  return n
end

local function order_reset(_, _)
  for _, pattern in ipairs({'o:*', 'ou:*', 'oc:*', 'ob:*', 'ol:*', 'oa:*', 'ot:*'}) do
    local keys = redis.call('KEYS', pattern)
    for i = 1, #keys, 1000 do
      -- DEL, not UNLINK: memory is free when the reply leaves (benchmarks
      -- read used_memory next).
      redis.call('DEL', unpack(keys, i, math.min(i + 999, #keys)))
    end
  end
  return redis.status_reply('OK')
end

-- (Only redis.* is reachable while the library loads: no pairs/ipairs.)
local function rw(name, fn) redis.register_function(name, fn) end
local function ro(name, fn)
  redis.register_function{function_name = name, callback = fn, flags = {'no-writes'}}
end
rw('order_place', order_place)
rw('order_cancel', order_cancel)
rw('order_cancelcid', order_cancelcid)
rw('order_cancelall', order_cancelall)
rw('order_reduce', order_reduce)
rw('order_amend', order_amend)
rw('order_fill', order_fill)
rw('order_symbol_set', order_symbol_set)
rw('order_expire', order_expire)
rw('order_reset', order_reset)
ro('order_get', order_get)
ro('order_getcid', order_getcid)
ro('order_open', order_open)
ro('order_depth', order_depth)
ro('order_top', order_top)
ro('order_symbol_get', order_symbol_get)
ro('order_symbol_list', order_symbol_list)
