// The order workload: what to send next, and what the replies mean.
//
// Users 1..U and symbols SYM0001..SYMK are chosen uniformly. Each symbol has
// a mid price with 5 significant digits (0.1 to 99,999, log-uniform), a tick
// of one unit in the 5th digit and a lot sized so that an order is worth at
// most a few thousand: bids rest 1..60 ticks below the mid and asks above
// it, mostly near it (exponential, mean 8 ticks), so each side of a book has
// tens of price levels; quantities are 1..1000 lots.
//
// The model tracks every order it knows to be live (ids come from PLACE
// replies) with its price and remaining quantity. AMEND, CANCEL, FILL,
// REDUCE and GET pick a random live order; an order with a request in
// flight is busy and not picked again until its reply, so the generator
// never races itself and predicts every reply. When no order is eligible,
// the operation becomes a PLACE. A reply that says the order is not live
// counts as not_live (and the order leaves the model); any other error
// counts as an error; a success reply with another remaining quantity than
// predicted counts as a mismatch. None of these stops a run.
//
// Deterministic for a seed (symbols and the sequence of choices), given the
// same replies. Single-threaded.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common.h"
#include "resp_scan.h"
#include "stats.h"

namespace bench {

struct WorkloadConfig {
  uint32_t users = 10000;
  uint32_t symbols = 50;
  std::array<uint32_t, kOpCount> mix{};  // weights per Op
  uint64_t seed = 1;
  int depth_levels = 20;  // ORDER.DEPTH symbol <levels>
  int open_limit = 0;     // ORDER.OPEN ... LIMIT n when > 0
  int cid_percent = 0;    // share of PLACEs with a CID
  bool trade_ids = true;  // FILL ... TRADE <unique id>
  // false: PLACE replies are only counted, orders are not remembered (for
  // --fill of millions of orders, where the model would cost gigabytes).
  bool track_live = true;
};

// One request in flight and what the model needs to interpret its reply.
struct Pending {
  int64_t sent_ns = 0;
  Op op = Op::kPlace;
  uint8_t side = 0;  // 0 buy, 1 sell
  uint16_t symbol = 0;
  uint32_t user = 0;
  uint64_t id = 0;
  int64_t a = 0;  // PLACE/AMEND: price; FILL/REDUCE: qty
  int64_t b = 0;  // PLACE: qty; AMEND: new remaining
};

class Workload {
 public:
  explicit Workload(const WorkloadConfig& config);

  // The next operation of the mix: fills *p and appends its command to out.
  void Next(Target target, Pending* p, std::string* out);
  // The i-th PLACE of a prefill: users and symbols round-robin, so every
  // user gets prefill/U orders and every symbol prefill/K.
  void NextPrefill(uint64_t i, Target target, Pending* p, std::string* out);
  // Interprets the reply to p and updates the model and *stats.
  void OnReply(const Pending& p, const ReplyShape& r, OpStats* stats);

  // Orders placed and not known to have ended.
  uint64_t live() const { return live_.size() + untracked_; }
  const std::string& first_error() const { return first_error_; }

 private:
  struct Symbol {
    std::string name;
    int64_t mid, tick, lot;  // scaled by 10^8
  };
  struct Live {
    uint64_t id;
    int64_t price, remaining;
    uint32_t user;
    uint16_t symbol;
    uint8_t side;
    bool busy;
  };

  void Place(uint32_t user, uint16_t symbol, Target target, Pending* p, std::string* out);
  int64_t RandomPrice(const Symbol& s, uint8_t side);
  // A random live order that is not busy, or nullptr.
  Live* PickLive();
  Live* Find(uint64_t id);
  void Remove(uint64_t id);
  void NoteError(const Pending& p, const ReplyShape& r);

  WorkloadConfig c_;
  Rng rng_;
  uint32_t mix_total_ = 0;
  std::vector<Symbol> symbols_;
  std::vector<uint8_t> level_offsets_;  // ticks from the mid, sampled
  std::vector<Live> live_;
  std::unordered_map<uint64_t, uint32_t> index_;  // id -> position in live_
  uint64_t untracked_ = 0;
  uint64_t next_trade_ = 1;
  uint64_t next_cid_ = 1;
  std::string first_error_;
};

// "place=60,open=15,..." -> weights; false (and a message) when malformed.
bool ParseMix(std::string_view text, std::array<uint32_t, kOpCount>* mix, std::string* error);

}  // namespace bench
