// OrderTable: one shard of typed order storage. Records in an Arena, and
// the indexes that answer the hot queries in time proportional to the
// answer:
//   id -> slot                 SlotIndex (4-byte cells, keys read from records)
//   (user, cid) -> slot        SlotIndex, live orders with a CID
//   (user[, symbol]) -> orders UserLists, oldest first
//   symbol x side -> levels    PriceLevels, best first, FIFO per level
//   GTD expiry                 min-heap of (expire_ms, id), lazily cleaned,
//                              and slot -> expire_ms (SlotIndex over a pool)
//   recent trade ids           per live order that had TRADE-tagged fills
//   terminal orders            CompletedRing (bounded, ORDER.GET still answers)
// The table is an object (no globals), owned by the Server; a later
// per-core design holds one per shard.
//
// Operations return status values and never build replies. Every state
// change is reported to the listener (if set) as it happens, with the order
// after the change and the price level(s) it touched after the change, so
// the command layer can publish events and a log can record effects.
//
// Time: every operation takes now_us (microseconds since the epoch) from
// the caller, so a replay can supply the logged time. The table keeps its
// own clock = max(every now_us seen): times it records never go backwards,
// and creation times are strictly increasing (max(clock, last + 1)) so they
// order a user's orders across symbols. Given the same state, the same
// calls with the same times give the same results (ids included: Place
// assigns the next id unless PlaceRequest::id supplies one).
//
// Expiry: a GTD order expires when clock >= expire_ms * 1000. Every
// operation first expires up to kAccessExpireBudget due orders; operations
// on one order also expire that order if it is due; the server cron calls
// ExpireDue with a larger budget. Expirations are reported like any change.
//
// Failed operations change nothing (not even symbols or the clock's
// effects on stored data).
//
// Thread safety: none; the owning loop thread only.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "order/arena.h"
#include "order/completed_ring.h"
#include "order/order.h"
#include "order/price_levels.h"
#include "order/slot_index.h"
#include "order/user_lists.h"

namespace ordis::order {

enum class OrderError {
  kOk,
  kNotFound,          // no such order (neither live nor in the completed ring)
  kNotLive,           // the order is FILLED, CANCELED or EXPIRED
  kTableFull,         // no free record (order-table-capacity live, or memory)
  kDuplicateCid,      // the user has a live order with this CID
  kIdExists,          // explicit ID of a live or completed order
  kIdsExhausted,      // the next id would pass INT64_MAX
  kPriceTick,         // price not a multiple of the symbol's tick
  kQtyLot,            // quantity not a multiple of the symbol's lot
  kExceedsRemaining,  // FILL or REDUCE quantity above remaining
  kExpireInPast,      // GTD expire time not in the future
  kTooManySymbols,    // kMaxSymbols symbols exist
};

template <typename T>
class [[nodiscard]] OrderResult {
 public:
  OrderResult(T v) : error_(OrderError::kOk), value_(v) {}  // NOLINT
  OrderResult(OrderError e) : error_(e), value_() {}        // NOLINT
  bool ok() const { return error_ == OrderError::kOk; }
  OrderError error() const { return error_; }
  const T& value() const { return value_; }
  const T& operator*() const { return value_; }

 private:
  OrderError error_;
  T value_;
};

struct PlaceRequest {
  uint64_t user = 0;        // REQUIRES: 1 .. INT64_MAX
  std::string_view symbol;  // REQUIRES: ValidSymbol
  Side side = Side::kBuy;
  OrderType type = OrderType::kLimit;
  Tif tif = Tif::kGtc;
  int64_t price = 0;      // REQUIRES: > 0
  int64_t qty = 0;        // REQUIRES: > 0
  int64_t expire_ms = 0;  // REQUIRES: > 0 iff tif == kGtd
  std::string_view cid;   // empty or ValidCid
  uint64_t id = 0;        // 0: assign the next id; else 1 .. INT64_MAX
};

// A price level as reported in events, DEPTH and TOP.
struct LevelState {
  int64_t price = 0;
  int64_t qty = 0;  // aggregate remaining; 0 with count 0 when the level emptied
  uint32_t count = 0;
};

enum class EventKind { kPlaced, kCanceled, kReduced, kAmended, kFilled, kExpired };
const char* EventName(EventKind k);  // "placed", "canceled", ...

struct OrderEvent {
  EventKind kind;
  const Order* order;  // the order after the change; valid during the call only
  int64_t time_us;
  uint16_t symbol;
  Side side;
  LevelState levels[2];  // the levels touched, after the change
  int level_count;       // 1, or 2 when AMEND moved the order to another price
  // kFilled only:
  int64_t fill_qty;
  int64_t fill_price;
  uint64_t trade;  // 0 when the fill had no TRADE id
};

class OrderListener {
 public:
  virtual ~OrderListener() = default;
  virtual void OnOrderEvent(const OrderEvent& e) = 0;
};

// Copy-before-write support for point-in-time snapshots (snapshot/): told
// before the table changes something a snapshot in progress may not have
// copied yet. Calls happen before the change, on the table's thread; the
// observer may read the table (TakeForSnapshot, the ring) but not write it.
class SnapshotObserver {
 public:
  virtual ~SnapshotObserver() = default;
  // A live order's fields or its level_prev link are about to change, or
  // it is about to leave the live tables.
  virtual void BeforeOrderChange(uint32_t slot) = 0;
  // The completed ring is about to evict its oldest entry.
  virtual void BeforeRingEvict() = 0;
  // Reset() is about to drop everything.
  virtual void BeforeReset() = 0;
};

// One live order as a snapshot stores it: every field, its GTD expiry (in
// view), the id of the order before it in its price level (0: first) and
// its recent trade ids.
struct OrderImage {
  OrderView view;
  uint64_t level_prev_id = 0;
  bool has_trades = false;
  RecentTrades trades;
};

// The table's scalar state (snapshots save and restore it).
struct TableCounters {
  uint64_t next_id = 1;
  int64_t clock_us = 0;
  int64_t last_created_us = 0;
  uint64_t placed = 0, canceled = 0, filled = 0, expired = 0;
};

struct SymbolInfo {
  std::string name;
  int64_t tick = 0;  // 0: no rule
  int64_t lot = 0;
};

struct OrderTableOptions {
  uint64_t capacity = 16'000'000;
  Arena::HugePages hugepages = Arena::HugePages::kAuto;
  int numa_node = -1;
  uint64_t completed_keep = 1'000'000;  // REQUIRES: <= CompletedRing::kMaxKeep
};

struct OrderTableStats {
  uint64_t live = 0;
  uint64_t capacity = 0;
  size_t record_bytes = sizeof(Order);
  size_t memory_bytes = 0;  // arena + every live index + expiry heap + trade ids
  const char* memory_mode = "regular";
  int numa_node = -1;
  size_t symbols = 0;
  size_t price_levels = 0;
  size_t users = 0;
  uint64_t completed = 0;  // entries in the completed ring
  size_t completed_memory_bytes = 0;
  // Memory mapped outside the allocator (arena chunks, the completed ring's
  // region): INFO memory adds it to used_memory so comparisons stay fair.
  size_t mapped_bytes = 0;
  uint64_t placed = 0, canceled = 0, filled = 0, expired = 0;  // totals since start
};

class OrderTable {
 public:
  static constexpr size_t kAccessExpireBudget = 1000;

  OrderTable();
  ~OrderTable();
  OrderTable(const OrderTable&) = delete;
  OrderTable& operator=(const OrderTable&) = delete;

  // Reserves the arena and the ring. Returns "" or a message for the log;
  // after a failure every Place answers kTableFull.
  [[nodiscard]] std::string Init(const OrderTableOptions& opts);
  void set_listener(OrderListener* l) { listener_ = l; }

  // ---- writes ----
  // Errors, checked in this order: kTooManySymbols, kPriceTick, kQtyLot,
  // kExpireInPast, kIdExists / kIdsExhausted, kDuplicateCid, kTableFull.
  OrderResult<uint64_t> Place(const PlaceRequest& req, int64_t now_us);
  // True if the order was live and is now CANCELED.
  bool Cancel(uint64_t id, int64_t now_us);
  bool CancelCid(uint64_t user, std::string_view cid, int64_t now_us);
  // Cancels every live order of user (in symbol, when not empty); returns
  // how many.
  size_t CancelAll(uint64_t user, std::string_view symbol, int64_t now_us);
  // Partial cancel: remaining -= qty, keeping time priority; 0 cancels.
  // Errors: kNotFound, kNotLive, kQtyLot, kExceedsRemaining. REQUIRES qty > 0.
  OrderResult<int64_t> Reduce(uint64_t id, int64_t qty, int64_t now_us);
  // New price and/or new remaining quantity. A lower quantity keeps time
  // priority; a new price or a higher quantity moves the order to the back
  // of its (new) level. Errors: kNotFound, kNotLive, kPriceTick, kQtyLot.
  // REQUIRES: given values > 0.
  OrderError Amend(uint64_t id, std::optional<int64_t> price, std::optional<int64_t> qty,
                   int64_t now_us);
  // Applies a fill of qty at price; returns the remaining quantity. A
  // trade id (non-zero) already applied to this order, live or completed,
  // returns the reply it got then and changes nothing. Errors: kNotFound,
  // kNotLive, kExceedsRemaining. REQUIRES: qty > 0, price > 0.
  OrderResult<int64_t> Fill(uint64_t id, int64_t qty, int64_t price, uint64_t trade,
                            int64_t now_us);
  // Expires up to max due GTD orders; returns how many.
  size_t ExpireDue(int64_t now_us, size_t max);
  // Expires the live order id at now_us whether or not it is due (the
  // replay of a logged expiry). False if it is not live.
  bool ExpireOrder(uint64_t id, int64_t now_us);
  // Off during log replay: orders then expire only through ExpireOrder
  // (the log records every expiry), never on access.
  void set_auto_expire(bool on) { auto_expire_ = on; }
  // Drops every order, symbol and completed order; ids restart at 1.
  // Totals (stats) are kept. Nothing is reported to the listener.
  void Reset();
  // Creates the symbol if needed and sets the given rules (0 clears one).
  OrderError SetSymbol(std::string_view name, std::optional<int64_t> tick,
                       std::optional<int64_t> lot);

  // ---- reads (they may expire due orders first) ----
  // Live or completed order; false when unknown.
  bool Get(uint64_t id, int64_t now_us, OrderView* out);
  bool GetCid(uint64_t user, std::string_view cid, int64_t now_us, OrderView* out);
  // The user's live orders (in symbol, if not empty), oldest first.
  void Open(uint64_t user, std::string_view symbol, size_t limit, int64_t now_us,
            std::vector<OrderView>* out);
  // The first n levels of a book side, best first.
  void Depth(std::string_view symbol, Side side, size_t n, int64_t now_us,
             std::vector<LevelState>* out);
  // The best level of a side; false when the side is empty.
  bool Top(std::string_view symbol, Side side, int64_t now_us, LevelState* out);
  // The ids of the orders at one price level, in time priority (tests, tools).
  void LevelOrders(std::string_view symbol, Side side, int64_t price,
                   std::vector<uint64_t>* out) const;
  const SymbolInfo* GetSymbol(std::string_view name) const;
  const std::string& SymbolName(uint16_t id) const { return symbols_[id].name; }
  std::vector<std::string> SymbolNames() const;  // sorted

  // Incremental index migration and expiry-heap cleanup (cron).
  void Housekeeping(size_t cells);
  OrderTableStats stats() const;
  uint64_t live() const { return arena_.live(); }

  // ---- snapshots (snapshot/) ----
  // Every live order carries a mark (Order::spare) saying whether the
  // snapshot in progress has taken it. BeginSnapshotEpoch starts a new
  // epoch: every existing order counts as not taken, orders placed from
  // then on as taken (they are not part of the image). It returns the slot
  // limit: every order live at that moment has a slot below it. An
  // abandoned snapshot needs no cleanup: the next epoch differs from every
  // mark left behind unless 255 epochs in a row never reached an order
  // (RestampSnapshotMarks makes that case safe too).
  uint32_t BeginSnapshotEpoch();
  // If slot holds a live order not yet taken in this epoch: marks it
  // taken, fills *out and returns true; else false.
  bool TakeForSnapshot(uint32_t slot, OrderImage* out);
  // Sets every live order's mark to the current epoch (O(live orders)).
  void RestampSnapshotMarks();
  void set_snapshot_observer(SnapshotObserver* o) { observer_ = o; }
  TableCounters counters() const;
  size_t symbol_count() const { return symbols_.size(); }
  const SymbolInfo& symbol(uint16_t id) const { return symbols_[id]; }
  const CompletedRing& completed() const { return ring_; }

  // Bulk restore (snapshot loading), fast and without events. Sequence:
  // BeginRestore (empties the table as Reset does), RestoreCounters, then
  // RestoreSymbol for ids 0, 1, 2... in order, RestoreOrder /
  // RestoreCompleted in any interleaving (completed orders oldest first),
  // then FinishRestore, which links price levels (FIFO rebuilt from
  // level_prev_id) and user lists (oldest first = by creation time) and
  // checks that they form proper chains.
  void BeginRestore();
  // Sizes the id index for n live orders (at most the capacity), so that
  // restoring them does not keep migrating it.
  void ReserveRestore(uint64_t n);
  // kTooManySymbols; kIdExists for a duplicate name.
  OrderError RestoreSymbol(const SymbolInfo& s);
  // Errors: kTableFull (capacity), kIdExists (duplicate id), kIdsExhausted
  // (id not below the restored next id), kDuplicateCid, kNotFound (unknown
  // symbol), kNotLive (status is terminal).
  OrderError RestoreOrder(const OrderImage& img);
  void RestoreCompleted(const OrderView& v, const RecentTrades* trades);
  // "" or what is inconsistent (a level chain broken or forked).
  [[nodiscard]] std::string FinishRestore();
  void RestoreCounters(const TableCounters& c);

 private:
  struct IdKeys {
    const Arena* arena;
    uint64_t Hash(uint32_t slot) const;
  };
  struct CidKeys {
    const Arena* arena;
    uint64_t Hash(uint32_t slot) const;
  };
  struct TradeEntry {
    uint32_t slot;
    RecentTrades trades;
  };
  struct TradeKeys {
    const std::vector<TradeEntry>* pool;
    uint64_t Hash(uint32_t i) const { return Mix64((*pool)[i].slot); }
  };
  struct Expiry {
    int64_t expire_ms;
    uint64_t id;
    // Min-heap order: by time, then id, so orders due together always
    // expire in the same order (a replay must reproduce it).
    static bool Later(const Expiry& a, const Expiry& b) {
      return a.expire_ms != b.expire_ms ? a.expire_ms > b.expire_ms : a.id > b.id;
    }
  };
  struct ExpireEntry {
    uint32_t slot;
    int64_t expire_ms;
  };
  struct ExpireKeys {
    const std::vector<ExpireEntry>* pool;
    uint64_t Hash(uint32_t i) const { return Mix64((*pool)[i].slot); }
  };

  Order& O(uint32_t slot) const { return *static_cast<Order*>(arena_.Get(slot)); }
  uint16_t FindSymbol(std::string_view name) const;
  void Advance(int64_t now_us);  // clock + expiry of due orders (budgeted)
  uint32_t FindSlot(uint64_t id) const;
  uint32_t FindCidSlot(uint64_t user, const PackedCid& cid) const;
  // The slot of a live order, expiring it first if it is due.
  uint32_t LiveSlot(uint32_t slot);
  uint32_t TradeEntryOf(uint32_t slot) const;
  // A live order's GTD expire time (0 when it has none).
  int64_t ExpireOf(uint32_t slot) const;
  OrderView View(uint32_t slot) const { return OrderView::Of(O(slot), ExpireOf(slot)); }
  // Ends a live order: status, leaves every live index, goes to the ring.
  // e carries kind (and fill details); zero_remaining for REDUCE to 0.
  void Retire(uint32_t slot, OrderStatus status, OrderEvent e, bool zero_remaining);
  // Cancels the live order at slot (kNoSlot: none; returns false).
  bool CancelSlot(uint32_t slot);
  void Emit(OrderEvent& e, uint32_t slot, const LevelState* levels, int n);
  void CompactExpiry();
  // Tells the snapshot observer (if any) that slot is about to change.
  void BeforeChange(uint32_t slot) {
    if (observer_ && slot != kNoSlot) observer_->BeforeOrderChange(slot);
  }
  void AddExpiry(uint32_t slot, uint64_t id, int64_t expire_ms);

  Arena arena_;
  bool initialized_ = false;
  OrderListener* listener_ = nullptr;
  SnapshotObserver* observer_ = nullptr;
  uint8_t snapshot_mark_ = 0;  // Order::spare of orders taken / placed in this epoch
  SlotIndex<IdKeys> by_id_;
  SlotIndex<CidKeys> by_cid_;
  UserLists users_;
  PriceLevels levels_;
  CompletedRing ring_;
  std::vector<Expiry> expiry_;  // min-heap on expire_ms
  std::vector<ExpireEntry> expire_pool_;
  std::vector<uint32_t> expire_free_;
  SlotIndex<ExpireKeys> expire_of_;
  size_t gtd_live_ = 0;
  std::vector<TradeEntry> trade_pool_;
  std::vector<uint32_t> trade_free_;
  SlotIndex<TradeKeys> trades_;
  std::vector<SymbolInfo> symbols_;
  struct StrHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::unordered_map<std::string, uint16_t, StrHash, std::equal_to<>> symbol_ids_;
  uint64_t next_id_ = 1;
  bool auto_expire_ = true;
  int64_t clock_us_ = 0;
  int64_t last_created_us_ = 0;
  uint64_t placed_ = 0, canceled_ = 0, filled_ = 0, expired_ = 0;
  std::vector<uint32_t> scratch_;
  // Restore: ids seen so far, one bit each (when next_id_ is small enough),
  // so duplicate checks need no index lookups.
  std::vector<uint64_t> restore_seen_;
};

}  // namespace ordis::order
