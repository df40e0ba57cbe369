#include "order/order_table.h"

#include <algorithm>
#include <cassert>
#include <cstring>

namespace ordis::order {

const char* EventName(EventKind k) {
  switch (k) {
    case EventKind::kPlaced:
      return "placed";
    case EventKind::kCanceled:
      return "canceled";
    case EventKind::kReduced:
      return "reduced";
    case EventKind::kAmended:
      return "amended";
    case EventKind::kFilled:
      return "filled";
    case EventKind::kExpired:
      return "expired";
  }
  return "?";
}

uint64_t OrderTable::IdKeys::Hash(uint32_t slot) const {
  return Mix64(static_cast<const Order*>(arena->Get(slot))->id);
}

uint64_t OrderTable::CidKeys::Hash(uint32_t slot) const {
  const Order* o = static_cast<const Order*>(arena->Get(slot));
  return HashUserCid(o->user, o->cid);
}

OrderTable::OrderTable()
    : by_id_(IdKeys{&arena_}),
      by_cid_(CidKeys{&arena_}),
      users_(&arena_),
      levels_(&arena_),
      expire_of_(ExpireKeys{&expire_pool_}),
      trades_(TradeKeys{&trade_pool_}) {}

OrderTable::~OrderTable() = default;

std::string OrderTable::Init(const OrderTableOptions& opts) {
  std::string err = arena_.Init(sizeof(Order), opts.capacity, opts.hugepages, opts.numa_node);
  if (!err.empty()) return err;
  initialized_ = true;
  return ring_.Init(opts.completed_keep);
}

// ---- lookups ----------------------------------------------------------------

uint16_t OrderTable::FindSymbol(std::string_view name) const {
  auto it = symbol_ids_.find(name);
  return it == symbol_ids_.end() ? kNoSymbol : it->second;
}

uint32_t OrderTable::FindSlot(uint64_t id) const {
  return by_id_.Find(Mix64(id), [&](uint32_t s) { return O(s).id == id; });
}

uint32_t OrderTable::FindCidSlot(uint64_t user, const PackedCid& cid) const {
  return by_cid_.Find(HashUserCid(user, cid),
                      [&](uint32_t s) { return O(s).user == user && O(s).cid == cid; });
}

uint32_t OrderTable::LiveSlot(uint32_t slot) {
  if (slot == kNoSlot) return kNoSlot;
  const Order& o = O(slot);
  if (auto_expire_ && o.tif() == Tif::kGtd && ExpireOf(slot) * 1000 <= clock_us_) {
    OrderEvent e{};
    e.kind = EventKind::kExpired;
    Retire(slot, OrderStatus::kExpired, e, false);
    return kNoSlot;
  }
  return slot;
}

int64_t OrderTable::ExpireOf(uint32_t slot) const {
  if (O(slot).tif() != Tif::kGtd) return 0;
  uint32_t i =
      expire_of_.Find(Mix64(slot), [&](uint32_t e) { return expire_pool_[e].slot == slot; });
  assert(i != SlotIndex<ExpireKeys>::kNone);
  return expire_pool_[i].expire_ms;
}

uint32_t OrderTable::TradeEntryOf(uint32_t slot) const {
  return trades_.Find(Mix64(slot), [&](uint32_t i) { return trade_pool_[i].slot == slot; });
}

void OrderTable::Advance(int64_t now_us) {
  if (now_us > clock_us_) clock_us_ = now_us;
  if (auto_expire_ && !expiry_.empty() && expiry_.front().expire_ms * 1000 <= clock_us_)
    ExpireDue(clock_us_, kAccessExpireBudget);
}

bool OrderTable::ExpireOrder(uint64_t id, int64_t now_us) {
  if (now_us > clock_us_) clock_us_ = now_us;
  uint32_t slot = FindSlot(id);
  if (slot == kNoSlot || !IsLive(O(slot).status())) return false;
  OrderEvent e{};
  e.kind = EventKind::kExpired;
  Retire(slot, OrderStatus::kExpired, e, false);
  return true;
}

// ---- events -----------------------------------------------------------------

void OrderTable::Emit(OrderEvent& e, uint32_t slot, const LevelState* levels, int n) {
  if (!listener_) return;
  const Order& o = O(slot);
  e.order = &o;
  e.time_us = clock_us_;
  e.symbol = o.symbol;
  e.side = o.side();
  e.level_count = n;
  for (int i = 0; i < n; ++i) e.levels[i] = levels[i];
  listener_->OnOrderEvent(e);
}

static LevelState StateOf(const Level& l) {
  return LevelState{l.price, l.qty, l.count};
}

// ---- writes -----------------------------------------------------------------

OrderResult<uint64_t> OrderTable::Place(const PlaceRequest& req, int64_t now_us) {
  assert(req.price > 0 && req.qty > 0 && req.user > 0);
  assert((req.tif == Tif::kGtd) == (req.expire_ms > 0));
  Advance(now_us);
  uint16_t sym = FindSymbol(req.symbol);
  if (sym == kNoSymbol && symbols_.size() >= kMaxSymbols) return OrderError::kTooManySymbols;
  if (sym != kNoSymbol) {
    const SymbolInfo& si = symbols_[sym];
    if (si.tick > 0 && req.price % si.tick != 0) return OrderError::kPriceTick;
    if (si.lot > 0 && req.qty % si.lot != 0) return OrderError::kQtyLot;
  }
  if (req.tif == Tif::kGtd && req.expire_ms * 1000 <= clock_us_) return OrderError::kExpireInPast;
  uint64_t id = req.id;
  if (id != 0) {
    if (FindSlot(id) != kNoSlot || ring_.Contains(id)) return OrderError::kIdExists;
  } else {
    if (next_id_ > static_cast<uint64_t>(INT64_MAX)) return OrderError::kIdsExhausted;
    id = next_id_;
  }
  PackedCid cid = PackCid(req.cid);
  bool has_cid = !req.cid.empty();
  if (has_cid && FindCidSlot(req.user, cid) != kNoSlot) return OrderError::kDuplicateCid;
  uint32_t slot = initialized_ ? arena_.Alloc() : kNoSlot;
  if (slot == kNoSlot) return OrderError::kTableFull;

  // From here on nothing fails.
  if (sym == kNoSymbol) {
    sym = static_cast<uint16_t>(symbols_.size());
    symbols_.push_back(SymbolInfo{std::string(req.symbol), 0, 0});
    symbol_ids_.emplace(std::string(req.symbol), sym);
  }
  if (id >= next_id_) next_id_ = id + 1;
  int64_t created = std::max(clock_us_, last_created_us_ + 1);
  clock_us_ = last_created_us_ = created;

  Order& o = O(slot);
  o.id = id;
  o.price = req.price;
  o.remaining = req.qty;
  o.filled = 0;
  o.user = req.user;
  o.level_prev = o.level_next = o.user_prev = o.user_next = o.usym_prev = o.usym_next = kNoSlot;
  o.symbol = sym;
  o.bits = Order::MakeBits(req.side, req.type, req.tif, OrderStatus::kNew);
  o.spare = snapshot_mark_;  // not part of a snapshot in progress
  o.cid = cid;
  o.created_us = o.updated_us = created;
  o.quote = 0;

  by_id_.Insert(Mix64(id), slot);
  if (has_cid) by_cid_.Insert(HashUserCid(req.user, cid), slot);
  users_.Append(slot);
  uint32_t li = levels_.Append(PriceLevels::Book(sym, req.side), slot);
  if (req.tif == Tif::kGtd) AddExpiry(slot, id, req.expire_ms);
  ++placed_;
  OrderEvent e{};
  e.kind = EventKind::kPlaced;
  LevelState ls = StateOf(levels_.level(li));
  Emit(e, slot, &ls, 1);
  return id;
}

void OrderTable::AddExpiry(uint32_t slot, uint64_t id, int64_t expire_ms) {
  uint32_t e;
  if (!expire_free_.empty()) {
    e = expire_free_.back();
    expire_free_.pop_back();
  } else {
    e = static_cast<uint32_t>(expire_pool_.size());
    expire_pool_.emplace_back();
  }
  expire_pool_[e] = ExpireEntry{slot, expire_ms};
  expire_of_.Insert(Mix64(slot), e);
  if (expiry_.size() > 2 * gtd_live_ + 1024) CompactExpiry();
  expiry_.push_back(Expiry{expire_ms, id});
  std::push_heap(expiry_.begin(), expiry_.end(), Expiry::Later);
  ++gtd_live_;
}

void OrderTable::Retire(uint32_t slot, OrderStatus status, OrderEvent e, bool zero_remaining) {
  // The order leaves its level: its successor's level_prev changes too.
  BeforeChange(slot);
  BeforeChange(O(slot).level_next);
  Order& o = O(slot);
  uint32_t book = PriceLevels::Book(o.symbol, o.side());
  uint32_t li = levels_.Find(book, o.price);
  assert(li != kNoLevel);
  Level after = levels_.Remove(book, li, slot);
  if (zero_remaining) o.remaining = 0;
  users_.Remove(slot);
  bool erased = by_id_.Erase(Mix64(o.id), slot);
  assert(erased);
  (void)erased;
  if (HasCid(o.cid)) (void)by_cid_.Erase(HashUserCid(o.user, o.cid), slot);
  o.set_status(status);
  o.updated_us = clock_us_;
  switch (status) {
    case OrderStatus::kFilled:
      ++filled_;
      break;
    case OrderStatus::kCanceled:
      ++canceled_;
      break;
    case OrderStatus::kExpired:
      ++expired_;
      break;
    default:
      assert(false);
  }
  LevelState ls = StateOf(after);
  if (after.count == 0) ls.qty = 0;
  Emit(e, slot, &ls, 1);
  const RecentTrades* trades = nullptr;
  uint32_t te = kNoSlot;
  if (o.has_trades()) {
    te = TradeEntryOf(slot);
    assert(te != kNoSlot);
    trades = &trade_pool_[te].trades;
  }
  if (observer_ && ring_.keep() > 0 && ring_.size() >= ring_.keep()) observer_->BeforeRingEvict();
  ring_.Add(View(slot), trades);
  if (te != kNoSlot) {
    (void)trades_.Erase(Mix64(slot), te);
    trade_free_.push_back(te);
  }
  if (o.tif() == Tif::kGtd) {
    uint32_t e =
        expire_of_.Find(Mix64(slot), [&](uint32_t x) { return expire_pool_[x].slot == slot; });
    assert(e != SlotIndex<ExpireKeys>::kNone);
    (void)expire_of_.Erase(Mix64(slot), e);
    expire_free_.push_back(e);
    --gtd_live_;
  }
  arena_.Free(slot);
}

bool OrderTable::Cancel(uint64_t id, int64_t now_us) {
  Advance(now_us);
  return CancelSlot(LiveSlot(FindSlot(id)));
}

bool OrderTable::CancelCid(uint64_t user, std::string_view cid, int64_t now_us) {
  Advance(now_us);
  return CancelSlot(LiveSlot(FindCidSlot(user, PackCid(cid))));
}

bool OrderTable::CancelSlot(uint32_t slot) {
  if (slot == kNoSlot) return false;
  OrderEvent e{};
  e.kind = EventKind::kCanceled;
  Retire(slot, OrderStatus::kCanceled, e, false);
  return true;
}

size_t OrderTable::CancelAll(uint64_t user, std::string_view symbol, int64_t now_us) {
  Advance(now_us);
  uint16_t sym = kNoSymbol;
  if (!symbol.empty()) {
    sym = FindSymbol(symbol);
    if (sym == kNoSymbol) return 0;
  }
  std::vector<uint32_t> slots;
  users_.Collect(user, sym, SIZE_MAX, &slots);
  for (uint32_t slot : slots) {
    OrderEvent e{};
    e.kind = EventKind::kCanceled;
    Retire(slot, OrderStatus::kCanceled, e, false);
  }
  return slots.size();
}

OrderResult<int64_t> OrderTable::Reduce(uint64_t id, int64_t qty, int64_t now_us) {
  assert(qty > 0);
  Advance(now_us);
  uint32_t found = FindSlot(id);
  uint32_t slot = LiveSlot(found);
  if (slot == kNoSlot) {
    return found != kNoSlot || ring_.Contains(id) ? OrderError::kNotLive : OrderError::kNotFound;
  }
  Order& o = O(slot);
  const SymbolInfo& si = symbols_[o.symbol];
  if (si.lot > 0 && qty % si.lot != 0) return OrderError::kQtyLot;
  if (qty > o.remaining) return OrderError::kExceedsRemaining;
  if (qty == o.remaining) {
    OrderEvent e{};
    e.kind = EventKind::kCanceled;
    Retire(slot, OrderStatus::kCanceled, e, true);
    return int64_t{0};
  }
  BeforeChange(slot);
  uint32_t li = levels_.Find(PriceLevels::Book(o.symbol, o.side()), o.price);
  levels_.AddQty(li, -qty);
  o.remaining -= qty;
  o.updated_us = clock_us_;
  OrderEvent e{};
  e.kind = EventKind::kReduced;
  LevelState ls = StateOf(levels_.level(li));
  Emit(e, slot, &ls, 1);
  return o.remaining;
}

OrderError OrderTable::Amend(uint64_t id, std::optional<int64_t> price, std::optional<int64_t> qty,
                             int64_t now_us) {
  assert((!price || *price > 0) && (!qty || *qty > 0));
  Advance(now_us);
  uint32_t found = FindSlot(id);
  uint32_t slot = LiveSlot(found);
  if (slot == kNoSlot) {
    return found != kNoSlot || ring_.Contains(id) ? OrderError::kNotLive : OrderError::kNotFound;
  }
  Order& o = O(slot);
  const SymbolInfo& si = symbols_[o.symbol];
  if (price && si.tick > 0 && *price % si.tick != 0) return OrderError::kPriceTick;
  if (qty && si.lot > 0 && *qty % si.lot != 0) return OrderError::kQtyLot;
  int64_t new_price = price.value_or(o.price);
  int64_t new_rem = qty.value_or(o.remaining);
  uint32_t book = PriceLevels::Book(o.symbol, o.side());
  uint32_t li = levels_.Find(book, o.price);
  LevelState ls[2];
  int n = 1;
  BeforeChange(slot);
  if (new_price != o.price || new_rem > o.remaining) {
    // Loses time priority: to the back of the (new) level.
    BeforeChange(o.level_next);
    Level old_after = levels_.Remove(book, li, slot);
    o.price = new_price;
    o.remaining = new_rem;
    uint32_t nl = levels_.Append(book, slot);
    if (old_after.price != new_price) {
      ls[0] = StateOf(old_after);
      if (old_after.count == 0) ls[0].qty = 0;
      n = 2;
    }
    ls[n - 1] = StateOf(levels_.level(nl));
  } else {
    if (new_rem < o.remaining) {
      levels_.AddQty(li, new_rem - o.remaining);
      o.remaining = new_rem;
    }
    ls[0] = StateOf(levels_.level(li));
  }
  o.updated_us = clock_us_;
  OrderEvent e{};
  e.kind = EventKind::kAmended;
  Emit(e, slot, ls, n);
  return OrderError::kOk;
}

OrderResult<int64_t> OrderTable::Fill(uint64_t id, int64_t qty, int64_t price, uint64_t trade,
                                      int64_t now_us) {
  assert(qty > 0 && price > 0);
  Advance(now_us);
  uint32_t found = FindSlot(id);
  uint32_t slot = LiveSlot(found);
  if (slot == kNoSlot) {
    OrderView v;
    RecentTrades rt;
    if (!ring_.FindById(id, &v, &rt)) return OrderError::kNotFound;
    if (trade != 0) {
      if (const TradeMark* m = rt.Find(trade)) return m->remaining;
    }
    return OrderError::kNotLive;
  }
  Order& o = O(slot);
  uint32_t te = kNoSlot;
  if (trade != 0 && o.has_trades()) {
    te = TradeEntryOf(slot);
    if (const TradeMark* m = trade_pool_[te].trades.Find(trade)) return m->remaining;
  }
  if (qty > o.remaining) return OrderError::kExceedsRemaining;
  BeforeChange(slot);
  uint32_t li = levels_.Find(PriceLevels::Book(o.symbol, o.side()), o.price);
  levels_.AddQty(li, -qty);
  o.remaining -= qty;
  o.filled += qty;
  o.quote += decimal::Mul(price, qty);
  o.updated_us = clock_us_;
  if (trade != 0) {
    if (te == kNoSlot) {
      if (!trade_free_.empty()) {
        te = trade_free_.back();
        trade_free_.pop_back();
      } else {
        te = static_cast<uint32_t>(trade_pool_.size());
        trade_pool_.emplace_back();
      }
      trade_pool_[te] = TradeEntry{slot, RecentTrades{}};
      trades_.Insert(Mix64(slot), te);
      o.set_has_trades(true);
    }
    trade_pool_[te].trades.Add(trade, o.remaining);
  }
  OrderEvent e{};
  e.kind = EventKind::kFilled;
  e.fill_qty = qty;
  e.fill_price = price;
  e.trade = trade;
  int64_t remaining = o.remaining;
  if (remaining == 0) {
    Retire(slot, OrderStatus::kFilled, e, false);
  } else {
    o.set_status(OrderStatus::kPartiallyFilled);
    LevelState ls = StateOf(levels_.level(li));
    Emit(e, slot, &ls, 1);
  }
  return remaining;
}

size_t OrderTable::ExpireDue(int64_t now_us, size_t max) {
  if (now_us > clock_us_) clock_us_ = now_us;
  size_t n = 0;
  while (n < max && !expiry_.empty() && expiry_.front().expire_ms * 1000 <= clock_us_) {
    Expiry x = expiry_.front();
    std::pop_heap(expiry_.begin(), expiry_.end(), Expiry::Later);
    expiry_.pop_back();
    uint32_t slot = FindSlot(x.id);
    // Entries of orders that ended otherwise are dropped here.
    if (slot == kNoSlot || ExpireOf(slot) != x.expire_ms) continue;
    OrderEvent e{};
    e.kind = EventKind::kExpired;
    Retire(slot, OrderStatus::kExpired, e, false);
    ++n;
  }
  return n;
}

void OrderTable::CompactExpiry() {
  std::erase_if(expiry_, [&](const Expiry& x) {
    uint32_t slot = FindSlot(x.id);
    return slot == kNoSlot || ExpireOf(slot) != x.expire_ms;
  });
  std::make_heap(expiry_.begin(), expiry_.end(), Expiry::Later);
}

void OrderTable::Reset() {
  if (observer_) observer_->BeforeReset();
  arena_.Clear();
  by_id_.Clear();
  by_cid_.Clear();
  users_.Clear();
  levels_.Clear();
  ring_.Clear();
  expiry_.clear();
  expiry_.shrink_to_fit();
  expire_of_.Clear();
  expire_pool_.clear();
  expire_pool_.shrink_to_fit();
  expire_free_.clear();
  expire_free_.shrink_to_fit();
  gtd_live_ = 0;
  trades_.Clear();
  trade_pool_.clear();
  trade_pool_.shrink_to_fit();
  trade_free_.clear();
  trade_free_.shrink_to_fit();
  symbols_.clear();
  symbol_ids_.clear();
  next_id_ = 1;
}

OrderError OrderTable::SetSymbol(std::string_view name, std::optional<int64_t> tick,
                                 std::optional<int64_t> lot) {
  assert((!tick || *tick >= 0) && (!lot || *lot >= 0));
  uint16_t sym = FindSymbol(name);
  if (sym == kNoSymbol) {
    if (symbols_.size() >= kMaxSymbols) return OrderError::kTooManySymbols;
    sym = static_cast<uint16_t>(symbols_.size());
    symbols_.push_back(SymbolInfo{std::string(name), 0, 0});
    symbol_ids_.emplace(std::string(name), sym);
  }
  if (tick) symbols_[sym].tick = *tick;
  if (lot) symbols_[sym].lot = *lot;
  return OrderError::kOk;
}

// ---- reads ------------------------------------------------------------------

bool OrderTable::Get(uint64_t id, int64_t now_us, OrderView* out) {
  Advance(now_us);
  uint32_t slot = LiveSlot(FindSlot(id));
  if (slot != kNoSlot) {
    *out = View(slot);
    return true;
  }
  return ring_.FindById(id, out);
}

bool OrderTable::GetCid(uint64_t user, std::string_view cid, int64_t now_us, OrderView* out) {
  Advance(now_us);
  PackedCid packed = PackCid(cid);
  uint32_t slot = LiveSlot(FindCidSlot(user, packed));
  if (slot != kNoSlot) {
    *out = View(slot);
    return true;
  }
  return ring_.FindByCid(user, packed, out);
}

void OrderTable::Open(uint64_t user, std::string_view symbol, size_t limit, int64_t now_us,
                      std::vector<OrderView>* out) {
  Advance(now_us);
  uint16_t sym = kNoSymbol;
  if (!symbol.empty()) {
    sym = FindSymbol(symbol);
    if (sym == kNoSymbol) return;
  }
  scratch_.clear();
  users_.Collect(user, sym, limit, &scratch_);
  out->reserve(out->size() + scratch_.size());
  for (uint32_t slot : scratch_) out->push_back(View(slot));
}

void OrderTable::Depth(std::string_view symbol, Side side, size_t n, int64_t now_us,
                       std::vector<LevelState>* out) {
  Advance(now_us);
  uint16_t sym = FindSymbol(symbol);
  if (sym == kNoSymbol) return;
  levels_.ForEach(PriceLevels::Book(sym, side), n,
                  [&](const Level& l) { out->push_back(StateOf(l)); });
}

bool OrderTable::Top(std::string_view symbol, Side side, int64_t now_us, LevelState* out) {
  Advance(now_us);
  uint16_t sym = FindSymbol(symbol);
  if (sym == kNoSymbol) return false;
  uint32_t li = levels_.Best(PriceLevels::Book(sym, side));
  if (li == kNoLevel) return false;
  *out = StateOf(levels_.level(li));
  return true;
}

void OrderTable::LevelOrders(std::string_view symbol, Side side, int64_t price,
                             std::vector<uint64_t>* out) const {
  uint16_t sym = FindSymbol(symbol);
  if (sym == kNoSymbol) return;
  uint32_t li = levels_.Find(PriceLevels::Book(sym, side), price);
  if (li == kNoLevel) return;
  for (uint32_t s = levels_.level(li).head; s != kNoSlot; s = O(s).level_next)
    out->push_back(O(s).id);
}

const SymbolInfo* OrderTable::GetSymbol(std::string_view name) const {
  uint16_t sym = FindSymbol(name);
  return sym == kNoSymbol ? nullptr : &symbols_[sym];
}

std::vector<std::string> OrderTable::SymbolNames() const {
  std::vector<std::string> names;
  names.reserve(symbols_.size());
  for (const SymbolInfo& s : symbols_) names.push_back(s.name);
  std::sort(names.begin(), names.end());
  return names;
}

void OrderTable::Housekeeping(size_t cells) {
  by_id_.Step(cells);
  by_cid_.Step(cells);
  users_.Step(cells);
  expire_of_.Step(cells);
  trades_.Step(cells);
  ring_.Step(cells);
  if (expiry_.size() > 2 * gtd_live_ + 1024) CompactExpiry();
}

OrderTableStats OrderTable::stats() const {
  OrderTableStats s;
  s.live = arena_.live();
  s.capacity = initialized_ ? arena_.capacity() : 0;
  s.memory_bytes =
      arena_.memory_bytes() + by_id_.memory_bytes() + by_cid_.memory_bytes() +
      users_.memory_bytes() + levels_.memory_bytes() + expiry_.capacity() * sizeof(Expiry) +
      trade_pool_.capacity() * sizeof(TradeEntry) + trade_free_.capacity() * sizeof(uint32_t) +
      trades_.memory_bytes() + symbols_.capacity() * sizeof(SymbolInfo) +
      symbol_ids_.size() * (sizeof(std::string) + 32);
  s.memory_mode = arena_.mode_name();
  s.numa_node = arena_.numa_node();
  s.symbols = symbols_.size();
  s.price_levels = levels_.level_count();
  s.users = users_.user_count();
  s.completed = ring_.size();
  s.completed_memory_bytes = ring_.memory_bytes();
  s.mapped_bytes = arena_.committed_bytes() + ring_.region_bytes();
  s.placed = placed_;
  s.canceled = canceled_;
  s.filled = filled_;
  s.expired = expired_;
  return s;
}

// ---- snapshots ----------------------------------------------------------------

uint32_t OrderTable::BeginSnapshotEpoch() {
  // 1..255: 0 is what records placed before any snapshot carry.
  snapshot_mark_ = static_cast<uint8_t>(snapshot_mark_ == 255 ? 1 : snapshot_mark_ + 1);
  return arena_.high_water();
}

bool OrderTable::TakeForSnapshot(uint32_t slot, OrderImage* out) {
  if (slot >= arena_.high_water()) return false;
  Order& o = O(slot);
  // Slots below the high-water mark hold either a live order or a retired
  // one (Retire sets a terminal status before freeing the slot).
  if (!IsLive(o.status()) || o.spare == snapshot_mark_) return false;
  o.spare = snapshot_mark_;
  out->view = View(slot);
  out->level_prev_id = o.level_prev == kNoSlot ? 0 : O(o.level_prev).id;
  out->has_trades = o.has_trades();
  if (out->has_trades) {
    uint32_t te = TradeEntryOf(slot);
    assert(te != kNoSlot);
    out->trades = trade_pool_[te].trades;
  }
  return true;
}

void OrderTable::RestampSnapshotMarks() {
  uint32_t end = arena_.high_water();
  for (uint32_t s = 0; s < end; ++s) {
    Order& o = O(s);
    if (IsLive(o.status())) o.spare = snapshot_mark_;
  }
}

TableCounters OrderTable::counters() const {
  TableCounters c;
  c.next_id = next_id_;
  c.clock_us = clock_us_;
  c.last_created_us = last_created_us_;
  c.placed = placed_;
  c.canceled = canceled_;
  c.filled = filled_;
  c.expired = expired_;
  return c;
}

void OrderTable::BeginRestore() {
  SnapshotObserver* obs = observer_;
  observer_ = nullptr;
  Reset();
  observer_ = obs;
  restore_seen_.clear();
}

void OrderTable::ReserveRestore(uint64_t n) {
  by_id_.Reserve(static_cast<size_t>(std::min<uint64_t>(n, arena_.capacity())));
}

OrderError OrderTable::RestoreSymbol(const SymbolInfo& s) {
  if (symbols_.size() >= kMaxSymbols) return OrderError::kTooManySymbols;
  if (FindSymbol(s.name) != kNoSymbol) return OrderError::kIdExists;
  symbol_ids_.emplace(s.name, static_cast<uint16_t>(symbols_.size()));
  symbols_.push_back(s);
  return OrderError::kOk;
}

OrderError OrderTable::RestoreOrder(const OrderImage& img) {
  const OrderView& v = img.view;
  if (v.symbol >= symbols_.size()) return OrderError::kNotFound;
  if (!IsLive(v.status)) return OrderError::kNotLive;
  if (v.id >= next_id_) return OrderError::kIdsExhausted;
  constexpr uint64_t kBitmapMaxIds = uint64_t{1} << 29;  // 64 MiB of bits at most
  if (restore_seen_.empty() && next_id_ <= kBitmapMaxIds) restore_seen_.assign(next_id_ / 64 + 1, 0);
  if (!restore_seen_.empty()) {
    uint64_t& word = restore_seen_[v.id / 64];
    uint64_t bit = uint64_t{1} << (v.id % 64);
    if (word & bit) return OrderError::kIdExists;
    word |= bit;
  } else if (FindSlot(v.id) != kNoSlot) {
    return OrderError::kIdExists;
  }
  bool has_cid = HasCid(v.cid);
  if (has_cid && FindCidSlot(v.user, v.cid) != kNoSlot) return OrderError::kDuplicateCid;
  uint32_t slot = initialized_ ? arena_.Alloc() : kNoSlot;
  if (slot == kNoSlot) return OrderError::kTableFull;
  Order& o = O(slot);
  o.id = v.id;
  o.price = v.price;
  o.remaining = v.remaining;
  o.filled = v.filled;
  o.user = v.user;
  // Until FinishRestore links the level, its two link words hold the id
  // of the order before this one.
  std::memcpy(&o.level_prev, &img.level_prev_id, sizeof img.level_prev_id);
  static_assert(offsetof(Order, level_next) == offsetof(Order, level_prev) + 4);
  o.user_prev = o.user_next = o.usym_prev = o.usym_next = kNoSlot;
  o.symbol = v.symbol;
  o.bits = Order::MakeBits(v.side, v.type, v.tif, v.status);
  o.set_has_trades(img.has_trades);
  o.spare = snapshot_mark_;
  o.cid = v.cid;
  o.created_us = v.created_us;
  o.quote = v.quote;
  o.updated_us = v.updated_us;
  by_id_.Insert(Mix64(v.id), slot);
  if (has_cid) by_cid_.Insert(HashUserCid(v.user, v.cid), slot);
  if (v.tif == Tif::kGtd) AddExpiry(slot, v.id, v.expire_ms);
  if (img.has_trades) {
    uint32_t te = static_cast<uint32_t>(trade_pool_.size());
    trade_pool_.push_back(TradeEntry{slot, img.trades});
    trades_.Insert(Mix64(slot), te);
  }
  return OrderError::kOk;
}

void OrderTable::RestoreCompleted(const OrderView& v, const RecentTrades* trades) {
  ring_.Add(v, trades);
}

std::string OrderTable::FinishRestore() {
  // Restored orders fill slots 0..n-1 (BeginRestore emptied the arena).
  restore_seen_.clear();
  restore_seen_.shrink_to_fit();
  const uint32_t n = arena_.high_water();
  std::vector<uint32_t> next(n, kNoSlot);
  std::vector<uint32_t> heads;
  for (uint32_t s = 0; s < n; ++s) {
    Order& o = O(s);
    uint64_t prev_id;
    std::memcpy(&prev_id, &o.level_prev, sizeof prev_id);
    if (prev_id == 0) {
      heads.push_back(s);
      continue;
    }
    uint32_t ps = FindSlot(prev_id);
    if (ps == kNoSlot)
      return "order " + std::to_string(o.id) + " follows order " + std::to_string(prev_id) +
             " in its price level, which is not in the snapshot";
    const Order& p = O(ps);
    if (p.symbol != o.symbol || p.side() != o.side() || p.price != o.price)
      return "order " + std::to_string(o.id) + " follows order " + std::to_string(prev_id) +
             " of another price level";
    if (next[ps] != kNoSlot)
      return "orders " + std::to_string(O(next[ps]).id) + " and " + std::to_string(o.id) +
             " both follow order " + std::to_string(prev_id);
    next[ps] = s;
  }
  size_t linked = 0;
  for (uint32_t h : heads) {
    uint32_t book = PriceLevels::Book(O(h).symbol, O(h).side());
    if (levels_.Find(book, O(h).price) != kNoLevel)
      return "two orders are first in the price level of order " + std::to_string(O(h).id);
    for (uint32_t s = h; s != kNoSlot && linked <= n; s = next[s], ++linked) {
      O(s).level_prev = O(s).level_next = kNoSlot;
      (void)levels_.Append(book, s);
    }
  }
  if (linked != n) return "the price-level chains of the orders form a cycle";
  // User lists are in placement order, and creation times strictly
  // increase with placement.
  std::vector<std::pair<int64_t, uint32_t>> by_time(n);
  for (uint32_t s = 0; s < n; ++s) by_time[s] = {O(s).created_us, s};
  std::sort(by_time.begin(), by_time.end());
  for (const auto& [t, s] : by_time) users_.Append(s);
  return "";
}

void OrderTable::RestoreCounters(const TableCounters& c) {
  next_id_ = c.next_id;
  clock_us_ = c.clock_us;
  last_created_us_ = c.last_created_us;
  placed_ = c.placed;
  canceled_ = c.canceled;
  filled_ = c.filled;
  expired_ = c.expired;
}

}  // namespace ordis::order
