// Model-based randomized test of OrderTable: long random sequences of
// place / cancel / cancel-by-cid / cancel-all / reduce / amend / fill (with
// TRADE retries) / expiry / symbol rules / reset are applied both to the
// table and to a plain reference model built on std::map and std::list.
// After every step the results must agree, and so must the touched order,
// the depth (every level, with its FIFO), the top of book and the open
// lists; every 100 steps every order ever placed is compared.
//
// The default run uses fixed seeds. A long run:
//   ORDIS_MODEL_STEPS=2000000 ORDIS_MODEL_SEED=42 build/.../unit-tests "[model]"
#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <deque>
#include <list>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "order/order_table.h"

using namespace ordis;
using namespace ordis::order;

namespace {

struct MOrder {
  uint64_t id = 0, user = 0;
  std::string sym;
  Side side = Side::kBuy;
  OrderType type = OrderType::kLimit;
  Tif tif = Tif::kGtc;
  OrderStatus status = OrderStatus::kNew;
  int64_t price = 0, remaining = 0, filled = 0;
  decimal::Quote quote = 0;
  std::string cid;
  int64_t created = 0, updated = 0, expire_ms = 0;
  std::deque<std::pair<uint64_t, int64_t>> trades;  // the last kRecentTrades
};

// The reference: obviously correct, slow, no cleverness.
class Model {
 public:
  // keep: how many terminal orders stay known (the completed ring).
  Model(uint64_t capacity, uint64_t keep) : capacity_(capacity), keep_(keep) {}

  std::map<uint64_t, MOrder> orders;  // every order ever placed (since reset)
  std::map<std::string, std::pair<int64_t, int64_t>> symbols;  // tick, lot
  uint64_t live = 0;

  using Level = std::list<uint64_t>;
  using Side_ = std::map<int64_t, Level>;
  std::map<std::string, Side_> bids, asks;
  std::map<uint64_t, std::vector<uint64_t>> user_live;  // placement order
  std::map<std::pair<uint64_t, std::string>, uint64_t> cids;

  Side_& BookOf(const MOrder& o) { return o.side == Side::kBuy ? bids[o.sym] : asks[o.sym]; }

  void Advance(int64_t now) {
    clock_ = std::max(clock_, now);
    std::vector<std::pair<int64_t, uint64_t>> due;  // (expire, id): the table's order
    for (uint64_t id : gtd_live_)
      if (orders[id].expire_ms * 1000 <= clock_) due.emplace_back(orders[id].expire_ms, id);
    std::sort(due.begin(), due.end());
    for (auto [ms, id] : due) Retire(orders[id], OrderStatus::kExpired, false);
  }

  void Retire(MOrder& o, OrderStatus st, bool zero_remaining) {
    Side_& book = BookOf(o);
    Level& l = book[o.price];
    l.remove(o.id);
    if (l.empty()) book.erase(o.price);
    auto& ul = user_live[o.user];
    ul.erase(std::find(ul.begin(), ul.end(), o.id));
    if (!o.cid.empty()) cids.erase({o.user, o.cid});
    if (zero_remaining) o.remaining = 0;
    gtd_live_.erase(o.id);
    o.status = st;
    o.updated = clock_;
    --live;
    // The oldest terminal order beyond `keep` is forgotten.
    completed_.push_back(o.id);
    if (completed_.size() > keep_) {
      orders.erase(completed_.front());
      completed_.pop_front();
    }
  }

  MOrder* Live(uint64_t id) {
    auto it = orders.find(id);
    return it != orders.end() && IsLive(it->second.status) ? &it->second : nullptr;
  }

  OrderResult<uint64_t> Place(const PlaceRequest& r, int64_t now) {
    Advance(now);
    std::string sym(r.symbol);
    auto si = symbols.find(sym);
    if (si != symbols.end()) {
      if (si->second.first > 0 && r.price % si->second.first) return OrderError::kPriceTick;
      if (si->second.second > 0 && r.qty % si->second.second) return OrderError::kQtyLot;
    }
    if (r.tif == Tif::kGtd && r.expire_ms * 1000 <= clock_) return OrderError::kExpireInPast;
    uint64_t id = r.id ? r.id : next_id_;
    if (r.id && orders.count(r.id)) return OrderError::kIdExists;
    if (!r.cid.empty() && cids.count({r.user, std::string(r.cid)}))
      return OrderError::kDuplicateCid;
    if (live >= capacity_) return OrderError::kTableFull;
    if (si == symbols.end()) symbols[sym] = {0, 0};
    next_id_ = std::max(next_id_, id + 1);
    int64_t created = std::max(clock_, last_created_ + 1);
    clock_ = last_created_ = created;
    MOrder o;
    o.id = id;
    o.user = r.user;
    o.sym = sym;
    o.side = r.side;
    o.type = r.type;
    o.tif = r.tif;
    o.price = r.price;
    o.remaining = r.qty;
    o.cid = std::string(r.cid);
    o.created = o.updated = created;
    o.expire_ms = r.tif == Tif::kGtd ? r.expire_ms : 0;
    orders[id] = o;
    BookOf(o)[o.price].push_back(id);
    user_live[o.user].push_back(id);
    if (!o.cid.empty()) cids[{o.user, o.cid}] = id;
    if (o.expire_ms) gtd_live_.insert(id);
    ++live;
    return id;
  }

  bool Cancel(uint64_t id, int64_t now) {
    Advance(now);
    MOrder* o = Live(id);
    if (!o) return false;
    Retire(*o, OrderStatus::kCanceled, false);
    return true;
  }

  bool CancelCid(uint64_t user, const std::string& cid, int64_t now) {
    Advance(now);
    auto it = cids.find({user, cid});
    if (it == cids.end()) return false;
    Retire(orders[it->second], OrderStatus::kCanceled, false);
    return true;
  }

  size_t CancelAll(uint64_t user, const std::string& sym, int64_t now) {
    Advance(now);
    std::vector<uint64_t> ids;
    for (uint64_t id : user_live[user])
      if (sym.empty() || orders[id].sym == sym) ids.push_back(id);
    for (uint64_t id : ids) Retire(orders[id], OrderStatus::kCanceled, false);
    return ids.size();
  }

  OrderError NotLive(uint64_t id) {
    return orders.count(id) ? OrderError::kNotLive : OrderError::kNotFound;
  }

  OrderResult<int64_t> Reduce(uint64_t id, int64_t qty, int64_t now) {
    Advance(now);
    MOrder* o = Live(id);
    if (!o) return NotLive(id);
    int64_t lot = symbols[o->sym].second;
    if (lot > 0 && qty % lot) return OrderError::kQtyLot;
    if (qty > o->remaining) return OrderError::kExceedsRemaining;
    if (qty == o->remaining) {
      Retire(*o, OrderStatus::kCanceled, true);
      return int64_t{0};
    }
    o->remaining -= qty;
    o->updated = clock_;
    return o->remaining;
  }

  OrderError Amend(uint64_t id, std::optional<int64_t> price, std::optional<int64_t> qty,
                   int64_t now) {
    Advance(now);
    MOrder* o = Live(id);
    if (!o) return NotLive(id);
    auto [tick, lot] = symbols[o->sym];
    if (price && tick > 0 && *price % tick) return OrderError::kPriceTick;
    if (qty && lot > 0 && *qty % lot) return OrderError::kQtyLot;
    int64_t np = price.value_or(o->price), nq = qty.value_or(o->remaining);
    if (np != o->price || nq > o->remaining) {
      Side_& book = BookOf(*o);
      Level& l = book[o->price];
      l.remove(id);
      if (l.empty()) book.erase(o->price);
      o->price = np;
      book[np].push_back(id);
    }
    o->remaining = nq;
    o->updated = clock_;
    return OrderError::kOk;
  }

  OrderResult<int64_t> Fill(uint64_t id, int64_t qty, int64_t price, uint64_t trade, int64_t now) {
    Advance(now);
    auto it = orders.find(id);
    if (it == orders.end()) return OrderError::kNotFound;
    MOrder& o = it->second;
    if (trade)
      for (auto& [t, rem] : o.trades)
        if (t == trade) return rem;
    if (!IsLive(o.status)) return OrderError::kNotLive;
    if (qty > o.remaining) return OrderError::kExceedsRemaining;
    o.remaining -= qty;
    o.filled += qty;
    o.quote += decimal::Mul(price, qty);
    o.updated = clock_;
    if (trade) {
      o.trades.emplace_back(trade, o.remaining);
      if (o.trades.size() > kRecentTrades) o.trades.pop_front();
    }
    if (o.remaining == 0) {
      Retire(o, OrderStatus::kFilled, false);
    } else {
      o.status = OrderStatus::kPartiallyFilled;
    }
    return o.remaining;
  }

  void Reset() {
    orders.clear();
    symbols.clear();
    bids.clear();
    asks.clear();
    user_live.clear();
    cids.clear();
    gtd_live_.clear();
    completed_.clear();
    live = 0;
    next_id_ = 1;
  }

  uint64_t next_id() const { return next_id_; }

 private:
  uint64_t capacity_;
  uint64_t next_id_ = 1;
  int64_t clock_ = 0;
  int64_t last_created_ = 0;
  std::set<uint64_t> gtd_live_;
  uint64_t keep_;
  std::deque<uint64_t> completed_;  // terminal ids, oldest first
};

const char* kSymbols[] = {"A", "B", "C"};
constexpr uint64_t kUsers = 5;

template <class T>
bool SameResult(const OrderResult<T>& a, const OrderResult<T>& b) {
  return a.error() == b.error() && (!a.ok() || *a == *b);
}

struct Runner {
  OrderTable table;
  Model model;
  std::mt19937_64 rng;
  int64_t now = 1'700'000'000'000'000;

  Runner(uint64_t seed, uint64_t capacity, uint64_t keep) : model(capacity, keep), rng(seed) {
    OrderTableOptions o;
    o.capacity = capacity;
    o.hugepages = Arena::HugePages::kOff;
    o.completed_keep = keep;
    REQUIRE(table.Init(o).empty());
  }

  uint64_t R(uint64_t n) { return rng() % n; }
  std::string Sym() { return kSymbols[R(3)]; }
  int64_t Price() { return static_cast<int64_t>(5 + 5 * R(8) + (R(10) == 0 ? 1 : 0)); }
  int64_t Qty() { return static_cast<int64_t>(1 + R(4) * 3 + (R(8) == 0 ? 1 : 0)); }
  uint64_t SomeId() {
    uint64_t top = model.next_id() + 3;
    return 1 + R(top);
  }
  std::string Cid() { return "c" + std::to_string(R(6)); }

  void CheckOrder(uint64_t id) {
    OrderView v;
    bool found = table.Get(id, now, &v);
    auto it = model.orders.find(id);
    REQUIRE(found == (it != model.orders.end()));
    if (!found) return;
    const MOrder& m = it->second;
    INFO("order " << id);
    REQUIRE(v.user == m.user);
    REQUIRE(table.SymbolName(v.symbol) == m.sym);
    REQUIRE(v.side == m.side);
    REQUIRE(v.type == m.type);
    REQUIRE(v.tif == m.tif);
    REQUIRE(v.status == m.status);
    REQUIRE(v.price == m.price);
    REQUIRE(v.remaining == m.remaining);
    REQUIRE(v.filled == m.filled);
    REQUIRE(v.quote == m.quote);
    char cid[kMaxCidLen];
    REQUIRE(std::string(cid, UnpackCid(v.cid, cid)) == m.cid);
    REQUIRE(v.created_us == m.created);
    REQUIRE(v.updated_us == m.updated);
    REQUIRE(v.expire_ms == m.expire_ms);
  }

  void CheckBooks() {
    for (const char* sym : kSymbols) {
      for (Side side : {Side::kBuy, Side::kSell}) {
        auto& book = side == Side::kBuy ? model.bids[sym] : model.asks[sym];
        std::vector<std::pair<int64_t, const Model::Level*>> want;
        for (auto& [p, l] : book) want.emplace_back(p, &l);
        if (side == Side::kBuy) std::reverse(want.begin(), want.end());
        std::vector<LevelState> got;
        table.Depth(sym, side, SIZE_MAX, now, &got);
        REQUIRE(got.size() == want.size());
        for (size_t i = 0; i < got.size(); ++i) {
          REQUIRE(got[i].price == want[i].first);
          int64_t qty = 0;
          for (uint64_t id : *want[i].second) qty += model.orders[id].remaining;
          REQUIRE(got[i].qty == qty);
          REQUIRE(got[i].count == want[i].second->size());
          std::vector<uint64_t> fifo;
          table.LevelOrders(sym, side, got[i].price, &fifo);
          REQUIRE(fifo == std::vector<uint64_t>(want[i].second->begin(), want[i].second->end()));
        }
        LevelState top;
        bool has = table.Top(sym, side, now, &top);
        REQUIRE(has == !got.empty());
        if (has) REQUIRE(top.price == got[0].price);
        // A bounded depth is a prefix.
        std::vector<LevelState> two;
        table.Depth(sym, side, 2, now, &two);
        REQUIRE(two.size() == std::min<size_t>(2, got.size()));
      }
    }
  }

  void CheckOpen() {
    for (uint64_t user = 1; user <= kUsers; ++user) {
      std::vector<OrderView> got;
      table.Open(user, {}, SIZE_MAX, now, &got);
      const auto& want = model.user_live[user];
      REQUIRE(got.size() == want.size());
      for (size_t i = 0; i < got.size(); ++i) REQUIRE(got[i].id == want[i]);
      for (const char* sym : kSymbols) {
        std::vector<uint64_t> ws;
        for (uint64_t id : want)
          if (model.orders[id].sym == sym) ws.push_back(id);
        got.clear();
        table.Open(user, sym, SIZE_MAX, now, &got);
        REQUIRE(got.size() == ws.size());
        for (size_t i = 0; i < got.size(); ++i) REQUIRE(got[i].id == ws[i]);
      }
      got.clear();
      table.Open(user, {}, 2, now, &got);
      REQUIRE(got.size() == std::min<size_t>(2, want.size()));
    }
    REQUIRE(table.live() == model.live);
  }

  void Step(int step) {
    // Time moves on, sometimes not at all, sometimes (wall clock) backwards.
    uint64_t t = R(10);
    now += t == 0 ? 0 : t == 1 ? -1000 : static_cast<int64_t>(R(3000));
    uint64_t touched = 0;
    switch (R(20)) {
      case 0:
      case 1:
      case 2:
      case 3:
      case 4:
      case 5: {
        PlaceRequest r;
        r.user = 1 + R(kUsers);
        std::string sym = Sym();
        r.symbol = sym;
        r.side = R(2) ? Side::kBuy : Side::kSell;
        r.type = R(4) ? OrderType::kLimit : OrderType::kLimitMaker;
        r.price = Price();
        r.qty = Qty();
        std::string cid = R(3) == 0 ? Cid() : "";
        r.cid = cid;
        if (R(5) == 0) {
          r.tif = Tif::kGtd;
          r.expire_ms = now / 1000 + static_cast<int64_t>(R(60)) - 5;
        } else {
          r.tif = static_cast<Tif>(R(3));
        }
        if (R(8) == 0) r.id = SomeId();
        auto a = table.Place(r, now);
        auto b = model.Place(r, now);
        REQUIRE(SameResult(a, b));
        if (a.ok()) touched = *a;
        break;
      }
      case 6: {
        uint64_t id = SomeId();
        REQUIRE(table.Cancel(id, now) == model.Cancel(id, now));
        touched = id;
        break;
      }
      case 7: {
        uint64_t user = 1 + R(kUsers);
        std::string cid = Cid();
        REQUIRE(table.CancelCid(user, cid, now) == model.CancelCid(user, cid, now));
        break;
      }
      case 8: {
        if (R(4) != 0) break;
        uint64_t user = 1 + R(kUsers);
        std::string sym = R(2) ? Sym() : "";
        REQUIRE(table.CancelAll(user, sym, now) == model.CancelAll(user, sym, now));
        break;
      }
      case 9:
      case 10: {
        uint64_t id = SomeId();
        int64_t q = Qty();
        REQUIRE(SameResult(table.Reduce(id, q, now), model.Reduce(id, q, now)));
        touched = id;
        break;
      }
      case 11:
      case 12:
      case 13: {
        uint64_t id = SomeId();
        std::optional<int64_t> p, q;
        uint64_t k = R(3);
        if (k != 1) p = Price();
        if (k != 0) q = Qty();
        REQUIRE(table.Amend(id, p, q, now) == model.Amend(id, p, q, now));
        touched = id;
        break;
      }
      case 14:
      case 15:
      case 16:
      case 17: {
        uint64_t id = SomeId();
        int64_t q = Qty();
        int64_t p = Price();
        uint64_t trade = R(2) ? 1 + R(40) : 0;  // small range: retries happen
        REQUIRE(SameResult(table.Fill(id, q, p, trade, now), model.Fill(id, q, p, trade, now)));
        touched = id;
        break;
      }
      case 18: {
        // The cron's sweep, after a jump in time.
        now += static_cast<int64_t>(R(20000));
        table.ExpireDue(now, SIZE_MAX);
        model.Advance(now);
        break;
      }
      case 19: {
        if (R(10) == 0) {
          std::string sym = Sym();
          std::optional<int64_t> tick, lot;
          if (R(2)) tick = static_cast<int64_t>(R(3)) * 5;  // 0 clears the rule
          if (R(2)) lot = static_cast<int64_t>(R(3));
          REQUIRE(table.SetSymbol(sym, tick, lot) == OrderError::kOk);
          model.symbols[sym];  // created if missing
          if (tick) model.symbols[sym].first = *tick;
          if (lot) model.symbols[sym].second = *lot;
        } else if (R(300) == 0) {
          table.Reset();
          model.Reset();
        }
        break;
      }
    }
    // Reads also advance time (and expire) in both.
    model.Advance(now);
    if (touched) CheckOrder(touched);
    CheckBooks();
    CheckOpen();
    if (step % 100 == 0)
      for (auto& [id, o] : model.orders) CheckOrder(id);
  }
};

int64_t EnvInt(const char* name, int64_t dflt) {
  const char* v = getenv(name);
  return v && *v ? std::atoll(v) : dflt;
}

}  // namespace

TEST_CASE("Order tables agree with a std::map reference model", "[order][model]") {
  int64_t steps = EnvInt("ORDIS_MODEL_STEPS", 4000);
  int64_t seed_env = EnvInt("ORDIS_MODEL_SEED", 0);
  std::vector<uint64_t> seeds = seed_env ? std::vector<uint64_t>{static_cast<uint64_t>(seed_env)}
                                         : std::vector<uint64_t>{1, 2, 3};
  for (uint64_t seed : seeds) {
    // One seed with a small table, so "table full" is exercised too, and
    // one with a small completed ring, so terminal orders are forgotten.
    uint64_t capacity = seed == 2 ? 40 : 1'000'000;
    uint64_t keep = seed == 3 ? 30 : 10'000'000;
    INFO("seed " << seed << " capacity " << capacity << " keep " << keep);
    Runner r(seed, capacity, keep);
    for (int64_t i = 0; i < steps; ++i) {
      INFO("step " << i);
      r.Step(static_cast<int>(i));
    }
    // The run went through every lifecycle path.
    OrderTableStats st = r.table.stats();
    CHECK(st.placed > 0);
    CHECK(st.canceled > 0);
    CHECK(st.filled > 0);
    CHECK(st.expired > 0);
  }
}
