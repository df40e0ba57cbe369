// crash-test's reference model: what one client's keys and orders must be,
// computed from the operations the server acknowledged and the documented
// semantics (README "Orders", src/order/order_table.h).
//
// Each client owns disjoint keys (ct:<client>:s<n> strings,
// ct:<client>:n<n> counters), users and symbols, and sends one command at
// a time, so at a kill it has at most one operation in doubt (sent, no
// reply): `pending`. Verification (verify.h) accepts that operation as
// applied or not applied (all of its effects or none) and settles the
// model to what the server shows.
//
// Every key and order keeps `history`: its state at the last successful
// verification, then its state after each acknowledged write since. A
// server state equal to history[i] means the writes after i were lost;
// a state in no history entry is a mismatch.
//
// Thread safety: a ClientModel is used by its client thread during a run
// and by the main thread between runs (the thread is joined in between).
#pragma once

#include <hiredis/hiredis.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common.h"

namespace crash {

enum class Status : uint8_t { kNew, kPartiallyFilled, kFilled, kCanceled };
const char* StatusName(Status s);

// One order as ORDER.GET shows it, minus the times (checked separately:
// the model cannot predict them, only that recovery keeps them).
struct OrderState {
  bool exists = false;  // false: ORDER.GET answers nil; other fields unused
  uint64_t id = 0;
  uint64_t user = 0;
  std::string symbol;
  std::string side;  // BUY | SELL
  std::string type;  // LIMIT | LIMIT_MAKER
  std::string tif;   // GTC | IOC | FOK | GTD
  Status status = Status::kNew;
  int64_t price = 0;  // scaled by 10^8, as every amount here
  int64_t filled = 0;
  int64_t remaining = 0;
  __int128 quote = 0;  // sum of fill price x qty, scaled by 10^16
  std::string cid;
  int64_t expire_ms = 0;  // GTD only

  bool live() const {
    return exists && (status == Status::kNew || status == Status::kPartiallyFilled);
  }
  bool operator==(const OrderState& o) const;
  std::string Describe() const;
};

// A trade id applied to an order and the remaining quantity FILL replied
// with (the server answers a repeat with it and changes nothing).
struct TradeMark {
  uint64_t trade = 0;
  int64_t remaining = 0;
};
// The server remembers the last 8 trade ids of each order.
inline constexpr size_t kRecentTrades = 8;

struct KeyModel {
  std::string name;
  bool counter = false;
  std::optional<std::string> cur;
  std::vector<std::optional<std::string>> history;  // [0]: verified state
};

struct ModelOrder {
  OrderState cur;
  std::vector<OrderState> history;  // [0]: verified state (absent if placed since)
  std::vector<TradeMark> trades;    // oldest first, at most kRecentTrades
  int64_t created_us = 0;           // as the last verification saw them; 0: not yet seen
  int64_t updated_us = 0;
  int terminal_checks = 0;  // verifications passed while terminal; forgotten after 2
};

// What the reply to an operation must be.
struct Expect {
  enum Kind { kOk, kInteger, kBulk, kNewId } kind = kOk;
  int64_t integer = 0;
  std::string bulk;
};

// One command and its whole effect on the model, planned before sending.
struct Operation {
  std::string verb;  // for messages and statistics ("SET", "ORDER.FILL", ...)
  std::vector<std::string> argv;
  Expect expect;
  std::vector<std::pair<size_t, std::optional<std::string>>> keys;  // key index -> new value
  std::vector<std::pair<size_t, OrderState>> orders;                // order index -> new state
  bool place = false;
  OrderState placed;  // the new order; its id comes from the reply
  bool has_trade = false;
  size_t trade_order = 0;  // index of the order the mark goes to
  TradeMark trade;
  bool repeat_trade = false;  // a FILL repeating a known trade id: no effect
  std::string Text() const;   // the command, arguments shortened
};

struct ModelOptions {
  bool orders = true;
  int string_keys = 16;
  int counter_keys = 8;
  int users = 2;
  int symbols = 2;
  int max_live_per_user = 24;
};

class ClientModel {
 public:
  ClientModel(int index, const ModelOptions& opts);

  int index() const { return index_; }
  const ModelOptions& options() const { return opts_; }

  // The next operation, valid against the acknowledged state.
  Operation Next(Rng& rng);
  // Checks the reply of `op`; if it is the expected one, applies the
  // effect and returns "", else returns what differs (the model is then
  // left as it was: the effect is unknown).
  std::string Acknowledge(const Operation& op, const redisReply* r);
  // Applies op's effect (placed_id: the new order's id for ORDER.PLACE).
  void Apply(const Operation& op, uint64_t placed_id);

  // Every history restarts at the current state (after a verification
  // that found no difference). Terminal orders verified twice are dropped.
  void Settle();
  // Forgets every key and order (after FLUSHALL + ORDER.RESET).
  void Reset();

  std::vector<KeyModel>& keys() { return keys_; }
  std::vector<ModelOrder>& orders() { return orders_; }
  const std::vector<uint64_t>& users() const { return users_; }
  const std::vector<std::string>& symbols() const { return symbols_; }

  std::optional<Operation> pending;  // sent, no reply (set when the server died)
  std::string desync;                // non-empty: a reply was not the expected one

 private:
  Operation KeyOp(Rng& rng);
  Operation OrderOp(Rng& rng);
  Operation Place(Rng& rng, uint64_t user);
  size_t LiveCount(uint64_t user) const;

  int index_;
  ModelOptions opts_;
  std::vector<uint64_t> users_;
  std::vector<std::string> symbols_;
  std::vector<KeyModel> keys_;
  std::vector<ModelOrder> orders_;
  uint64_t cid_seq_ = 0;
  uint64_t trade_seq_ = 0;
};

}  // namespace crash
