// OrderTable (order/order_table.h): the operations behind ORDER.*, tested
// without a server: results, state after, the events reported, and that
// failures change nothing.
#include "order/order_table.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

using namespace ordis;
using namespace ordis::order;

namespace {

constexpr int64_t kS = decimal::kScale;         // 1.0
constexpr int64_t kT0 = 1'700'000'000'000'000;  // a fixed "now" in microseconds

struct Recorder : OrderListener {
  struct Ev {
    EventKind kind;
    uint64_t id;
    OrderStatus status;
    int64_t remaining;
    int levels;
    LevelState level0, level1;
    int64_t time;
  };
  std::vector<Ev> events;
  void OnOrderEvent(const OrderEvent& e) override {
    events.push_back(Ev{e.kind, e.order->id, e.order->status(), e.order->remaining, e.level_count,
                        e.levels[0], e.levels[1], e.time_us});
  }
};

struct T {
  OrderTable table;
  Recorder rec;
  int64_t now = kT0;

  explicit T(uint64_t capacity = 1000, uint64_t keep = 1000) {
    OrderTableOptions o;
    o.capacity = capacity;
    o.hugepages = Arena::HugePages::kOff;
    o.completed_keep = keep;
    REQUIRE(table.Init(o).empty());
    table.set_listener(&rec);
  }
  OrderResult<uint64_t> Place(uint64_t user, std::string_view sym, Side side, int64_t price,
                              int64_t qty, std::string_view cid = {}, uint64_t id = 0) {
    PlaceRequest r;
    r.user = user;
    r.symbol = sym;
    r.side = side;
    r.price = price;
    r.qty = qty;
    r.cid = cid;
    r.id = id;
    return table.Place(r, ++now);
  }
  uint64_t MustPlace(uint64_t user, std::string_view sym, Side side, int64_t price, int64_t qty,
                     std::string_view cid = {}) {
    auto r = Place(user, sym, side, price, qty, cid);
    REQUIRE(r.ok());
    return *r;
  }
  OrderView Get(uint64_t id) {
    OrderView v;
    REQUIRE(table.Get(id, now, &v));
    return v;
  }
  std::vector<LevelState> Depth(std::string_view sym, Side side, size_t n = 20) {
    std::vector<LevelState> out;
    table.Depth(sym, side, n, now, &out);
    return out;
  }
  std::vector<uint64_t> Open(uint64_t user, std::string_view sym = {}, size_t limit = SIZE_MAX) {
    std::vector<OrderView> v;
    table.Open(user, sym, limit, now, &v);
    std::vector<uint64_t> ids;
    for (auto& o : v) ids.push_back(o.id);
    return ids;
  }
  std::vector<uint64_t> Fifo(std::string_view sym, Side side, int64_t price) {
    std::vector<uint64_t> ids;
    table.LevelOrders(sym, side, price, &ids);
    return ids;
  }
};

bool SameLevel(const LevelState& l, int64_t price, int64_t qty, uint32_t count) {
  return l.price == price && l.qty == qty && l.count == count;
}

}  // namespace

TEST_CASE("OrderTable: place assigns increasing ids and indexes the order", "[order][table]") {
  T t;
  uint64_t a = t.MustPlace(1, "BTC", Side::kBuy, 100 * kS, 2 * kS, "c1");
  uint64_t b = t.MustPlace(1, "BTC", Side::kSell, 101 * kS, 1 * kS);
  CHECK(a == 1);
  CHECK(b == 2);
  OrderView v = t.Get(a);
  CHECK(v.user == 1);
  CHECK(t.table.SymbolName(v.symbol) == "BTC");
  CHECK(v.side == Side::kBuy);
  CHECK(v.status == OrderStatus::kNew);
  CHECK(v.price == 100 * kS);
  CHECK(v.qty() == 2 * kS);
  CHECK(v.remaining == 2 * kS);
  CHECK(v.filled == 0);
  CHECK(v.quote == 0);
  CHECK(v.created_us == v.updated_us);
  char cid[32];
  CHECK(std::string(cid, UnpackCid(v.cid, cid)) == "c1");
  OrderView byc;
  REQUIRE(t.table.GetCid(1, "c1", t.now, &byc));
  CHECK(byc.id == a);
  CHECK_FALSE(t.table.GetCid(2, "c1", t.now, &byc));
  CHECK(t.table.live() == 2);
  REQUIRE(t.rec.events.size() == 2);
  CHECK(t.rec.events[0].kind == EventKind::kPlaced);
  CHECK(SameLevel(t.rec.events[0].level0, 100 * kS, 2 * kS, 1));
}

TEST_CASE("OrderTable: creation times strictly increase even with a stuck clock",
          "[order][table]") {
  T t;
  PlaceRequest r;
  r.user = 1;
  r.symbol = "X";
  r.price = kS;
  r.qty = kS;
  auto a = t.table.Place(r, kT0);
  auto b = t.table.Place(r, kT0);
  auto c = t.table.Place(r, kT0 - 500);  // the wall clock stepped back
  REQUIRE((a.ok() && b.ok() && c.ok()));
  CHECK(t.Get(*a).created_us == kT0);
  CHECK(t.Get(*b).created_us == kT0 + 1);
  CHECK(t.Get(*c).created_us == kT0 + 2);
}

TEST_CASE("OrderTable: explicit ids", "[order][table]") {
  T t;
  auto r = t.Place(1, "X", Side::kBuy, kS, kS, {}, 500);
  REQUIRE(r.ok());
  CHECK(*r == 500);
  // Later assigned ids continue above it.
  CHECK(t.MustPlace(1, "X", Side::kBuy, kS, kS) == 501);
  // A lower unused id is fine.
  CHECK(*t.Place(1, "X", Side::kBuy, kS, kS, {}, 7) == 7);
  CHECK(t.Place(1, "X", Side::kBuy, kS, kS, {}, 500).error() == OrderError::kIdExists);
  // A completed order's id is used too.
  REQUIRE(t.table.Cancel(7, t.now));
  CHECK(t.Place(1, "X", Side::kBuy, kS, kS, {}, 7).error() == OrderError::kIdExists);
  CHECK(t.table.live() == 2);
}

TEST_CASE("OrderTable: place errors change nothing", "[order][table]") {
  T t(3);
  REQUIRE(t.table.SetSymbol("ETH", 1'000'000, 10'000'000) == OrderError::kOk);  // 0.01, 0.1
  t.MustPlace(1, "ETH", Side::kBuy, 100 * kS, kS, "dup");
  size_t events = t.rec.events.size();
  CHECK(t.Place(1, "ETH", Side::kBuy, 100 * kS + 1, kS).error() == OrderError::kPriceTick);
  CHECK(t.Place(1, "ETH", Side::kBuy, 100 * kS, kS + 1).error() == OrderError::kQtyLot);
  CHECK(t.Place(1, "ETH", Side::kBuy, 100 * kS, kS, "dup").error() == OrderError::kDuplicateCid);
  // The same CID for another user is fine.
  CHECK(t.Place(2, "ETH", Side::kBuy, 100 * kS, kS, "dup").ok());
  t.MustPlace(3, "ETH", Side::kBuy, 100 * kS, kS);
  // Full: 3 live of capacity 3.
  CHECK(t.Place(4, "NEW", Side::kBuy, kS, kS, "x").error() == OrderError::kTableFull);
  CHECK(t.table.GetSymbol("NEW") == nullptr);  // not even the symbol was created
  CHECK(t.table.live() == 3);
  CHECK(t.Depth("ETH", Side::kBuy).size() == 1);
  CHECK(t.rec.events.size() == events + 2);
  CHECK(t.table.stats().placed == 3);
  // GTD in the past.
  T g;
  PlaceRequest r;
  r.user = 1;
  r.symbol = "X";
  r.price = kS;
  r.qty = kS;
  r.tif = Tif::kGtd;
  r.expire_ms = kT0 / 1000;
  CHECK(g.table.Place(r, kT0).error() == OrderError::kExpireInPast);
  r.expire_ms = kT0 / 1000 + 1;
  CHECK(g.table.Place(r, kT0).ok());
}

TEST_CASE("OrderTable: cancel, cancel by cid, cancel all", "[order][table]") {
  T t;
  uint64_t a = t.MustPlace(1, "BTC", Side::kBuy, 100 * kS, kS, "a");
  uint64_t b = t.MustPlace(1, "ETH", Side::kBuy, 10 * kS, kS);
  uint64_t c = t.MustPlace(1, "BTC", Side::kSell, 200 * kS, kS);
  uint64_t d = t.MustPlace(2, "BTC", Side::kBuy, 100 * kS, 3 * kS);
  CHECK(t.table.Cancel(a, ++t.now));
  CHECK_FALSE(t.table.Cancel(a, t.now));    // already terminal
  CHECK_FALSE(t.table.Cancel(999, t.now));  // unknown
  OrderView v = t.Get(a);
  CHECK(v.status == OrderStatus::kCanceled);
  CHECK(v.remaining == kS);  // what was left unfilled
  CHECK(v.updated_us == t.now);
  // The CID is free again for a new order; GETCID finds the live one.
  uint64_t a2 = t.MustPlace(1, "BTC", Side::kBuy, 100 * kS, kS, "a");
  OrderView byc;
  REQUIRE(t.table.GetCid(1, "a", t.now, &byc));
  CHECK(byc.id == a2);
  CHECK(t.table.CancelCid(1, "a", ++t.now));
  REQUIRE(t.table.GetCid(1, "a", t.now, &byc));  // from the completed ring: the newest
  CHECK(byc.id == a2);
  CHECK(byc.status == OrderStatus::kCanceled);
  CHECK_FALSE(t.table.CancelCid(1, "a", t.now));
  CHECK(t.Open(1) == std::vector<uint64_t>{b, c});
  CHECK(t.table.CancelAll(1, "NOPE", t.now) == 0);
  CHECK(t.table.CancelAll(1, "BTC", t.now) == 1);
  CHECK(t.Open(1) == std::vector<uint64_t>{b});
  CHECK(t.table.CancelAll(1, {}, t.now) == 1);
  CHECK(t.Open(1).empty());
  CHECK(t.Open(2) == std::vector<uint64_t>{d});
  auto bids = t.Depth("BTC", Side::kBuy);
  REQUIRE(bids.size() == 1);
  CHECK(SameLevel(bids[0], 100 * kS, 3 * kS, 1));
  CHECK(t.Depth("BTC", Side::kSell).empty());
  CHECK(t.table.stats().canceled == 4);
  CHECK(t.rec.events.back().kind == EventKind::kCanceled);
  CHECK(SameLevel(t.rec.events.back().level0, 10 * kS, 0, 0));  // ETH level emptied
}

TEST_CASE("OrderTable: reduce keeps time priority, to zero cancels", "[order][table]") {
  T t;
  uint64_t a = t.MustPlace(1, "X", Side::kSell, 5 * kS, 10 * kS);
  uint64_t b = t.MustPlace(2, "X", Side::kSell, 5 * kS, 10 * kS);
  auto r = t.table.Reduce(a, 4 * kS, ++t.now);
  REQUIRE(r.ok());
  CHECK(*r == 6 * kS);
  OrderView v = t.Get(a);
  CHECK(v.remaining == 6 * kS);
  CHECK(v.qty() == 6 * kS);
  CHECK(v.status == OrderStatus::kNew);
  CHECK(SameLevel(t.Depth("X", Side::kSell)[0], 5 * kS, 16 * kS, 2));
  // a is still first at the level: a fill of the level's head would hit it.
  CHECK(t.rec.events.back().kind == EventKind::kReduced);
  CHECK(t.table.Reduce(a, 7 * kS, t.now).error() == OrderError::kExceedsRemaining);
  CHECK(t.Get(a).remaining == 6 * kS);
  r = t.table.Reduce(a, 6 * kS, ++t.now);
  REQUIRE(r.ok());
  CHECK(*r == 0);
  v = t.Get(a);
  CHECK(v.status == OrderStatus::kCanceled);
  CHECK(v.remaining == 0);
  CHECK(t.table.Reduce(a, kS, t.now).error() == OrderError::kNotLive);
  CHECK(t.table.Reduce(12345, kS, t.now).error() == OrderError::kNotFound);
  CHECK(SameLevel(t.Depth("X", Side::kSell)[0], 5 * kS, 10 * kS, 1));
  (void)b;
}

TEST_CASE("OrderTable: amend priority rules", "[order][table]") {
  T t;
  uint64_t a = t.MustPlace(1, "X", Side::kBuy, 10 * kS, 5 * kS);
  uint64_t b = t.MustPlace(2, "X", Side::kBuy, 10 * kS, 5 * kS);
  uint64_t c = t.MustPlace(3, "X", Side::kBuy, 10 * kS, 5 * kS);
  CHECK(t.Fifo("X", Side::kBuy, 10 * kS) == std::vector<uint64_t>{a, b, c});
  // Lower qty: keeps its place; the level aggregate drops.
  REQUIRE(t.table.Amend(a, std::nullopt, 3 * kS, ++t.now) == OrderError::kOk);
  CHECK(t.Fifo("X", Side::kBuy, 10 * kS) == std::vector<uint64_t>{a, b, c});
  CHECK(SameLevel(t.Depth("X", Side::kBuy)[0], 10 * kS, 13 * kS, 3));
  CHECK(t.Get(a).qty() == 3 * kS);
  CHECK(t.rec.events.back().levels == 1);
  // Same qty, same price: no move.
  REQUIRE(t.table.Amend(a, 10 * kS, 3 * kS, ++t.now) == OrderError::kOk);
  CHECK(t.Fifo("X", Side::kBuy, 10 * kS) == std::vector<uint64_t>{a, b, c});
  // Larger qty: to the back of the same level, one level reported.
  REQUIRE(t.table.Amend(a, std::nullopt, 4 * kS, ++t.now) == OrderError::kOk);
  CHECK(t.Fifo("X", Side::kBuy, 10 * kS) == std::vector<uint64_t>{b, c, a});
  CHECK(t.rec.events.back().levels == 1);
  CHECK(SameLevel(t.rec.events.back().level0, 10 * kS, 14 * kS, 3));
  // New price: to another level; both levels reported.
  REQUIRE(t.table.Amend(b, 11 * kS, std::nullopt, ++t.now) == OrderError::kOk);
  auto ev = t.rec.events.back();
  CHECK(ev.kind == EventKind::kAmended);
  CHECK(ev.levels == 2);
  CHECK(SameLevel(ev.level0, 10 * kS, 9 * kS, 2));
  CHECK(SameLevel(ev.level1, 11 * kS, 5 * kS, 1));
  auto bids = t.Depth("X", Side::kBuy);
  REQUIRE(bids.size() == 2);
  CHECK(SameLevel(bids[0], 11 * kS, 5 * kS, 1));
  CHECK(SameLevel(bids[1], 10 * kS, 9 * kS, 2));
  // Back to 10 (and a lower qty at once): behind everyone there now.
  REQUIRE(t.table.Amend(b, 10 * kS, kS, ++t.now) == OrderError::kOk);
  CHECK(t.Fifo("X", Side::kBuy, 10 * kS) == std::vector<uint64_t>{c, a, b});
  ev = t.rec.events.back();
  CHECK(SameLevel(ev.level0, 11 * kS, 0, 0));  // emptied
  CHECK(SameLevel(ev.level1, 10 * kS, 10 * kS, 3));
  CHECK(t.Depth("X", Side::kBuy).size() == 1);
  // Errors change nothing.
  REQUIRE(t.table.SetSymbol("X", kS, kS) == OrderError::kOk);
  CHECK(t.table.Amend(a, 10 * kS + 1, std::nullopt, t.now) == OrderError::kPriceTick);
  CHECK(t.table.Amend(a, std::nullopt, kS + 1, t.now) == OrderError::kQtyLot);
  CHECK(t.table.Amend(999, kS, std::nullopt, t.now) == OrderError::kNotFound);
  CHECK(t.Fifo("X", Side::kBuy, 10 * kS) == std::vector<uint64_t>{c, a, b});
  REQUIRE(t.table.Cancel(b, t.now));
  CHECK(t.table.Amend(b, kS, std::nullopt, t.now) == OrderError::kNotLive);
}

TEST_CASE("OrderTable: reduce and fills keep FIFO places", "[order][table]") {
  T t;
  uint64_t a = t.MustPlace(1, "X", Side::kSell, 10 * kS, 5 * kS);
  uint64_t b = t.MustPlace(2, "X", Side::kSell, 10 * kS, 5 * kS);
  REQUIRE(t.table.Reduce(a, kS, ++t.now).ok());
  REQUIRE(t.table.Fill(a, kS, 10 * kS, 0, ++t.now).ok());
  CHECK(t.Fifo("X", Side::kSell, 10 * kS) == std::vector<uint64_t>{a, b});
  REQUIRE(t.table.Fill(a, 3 * kS, 10 * kS, 0, ++t.now).ok());
  CHECK(t.Fifo("X", Side::kSell, 10 * kS) == std::vector<uint64_t>{b});
}

TEST_CASE("OrderTable: fills accumulate filled and an exact quote", "[order][table]") {
  T t;
  uint64_t a = t.MustPlace(1, "X", Side::kBuy, 3 * kS, 10 * kS);
  auto r = t.table.Fill(a, 4 * kS, 3 * kS, 0, ++t.now);
  REQUIRE(r.ok());
  CHECK(*r == 6 * kS);
  OrderView v = t.Get(a);
  CHECK(v.status == OrderStatus::kPartiallyFilled);
  CHECK(v.filled == 4 * kS);
  CHECK(v.remaining == 6 * kS);
  CHECK(v.quote == decimal::Mul(3 * kS, 4 * kS));
  CHECK(SameLevel(t.Depth("X", Side::kBuy)[0], 3 * kS, 6 * kS, 1));
  // Tiny amounts stay exact: 0.00000001 x 0.00000001.
  r = t.table.Fill(a, 1, 1, 0, ++t.now);
  REQUIRE(r.ok());
  CHECK(t.Get(a).quote == decimal::Mul(3 * kS, 4 * kS) + 1);
  CHECK(t.table.Fill(a, 7 * kS, kS, 0, t.now).error() == OrderError::kExceedsRemaining);
  CHECK(t.Get(a).filled == 4 * kS + 1);
  r = t.table.Fill(a, 6 * kS - 1, 3 * kS, 0, ++t.now);
  REQUIRE(r.ok());
  CHECK(*r == 0);
  v = t.Get(a);
  CHECK(v.status == OrderStatus::kFilled);
  CHECK(v.filled == 10 * kS);
  CHECK(v.qty() == 10 * kS);
  CHECK(t.Depth("X", Side::kBuy).empty());
  CHECK(t.Open(1).empty());
  CHECK(t.table.Fill(a, kS, kS, 0, t.now).error() == OrderError::kNotLive);
  CHECK(t.table.Fill(777, kS, kS, 0, t.now).error() == OrderError::kNotFound);
  CHECK(t.table.stats().filled == 1);
}

TEST_CASE("OrderTable: TRADE ids make fills idempotent, live and filled", "[order][table]") {
  T t;
  uint64_t a = t.MustPlace(1, "X", Side::kSell, kS, 10 * kS);
  CHECK(*t.table.Fill(a, 2 * kS, kS, 1001, ++t.now) == 8 * kS);
  CHECK(*t.table.Fill(a, 3 * kS, kS, 1002, ++t.now) == 5 * kS);
  size_t events = t.rec.events.size();
  // Retries: the reply they got first; nothing changes.
  CHECK(*t.table.Fill(a, 2 * kS, kS, 1001, ++t.now) == 8 * kS);
  CHECK(*t.table.Fill(a, 3 * kS, kS, 1002, t.now) == 5 * kS);
  CHECK(t.Get(a).remaining == 5 * kS);
  CHECK(t.rec.events.size() == events);
  // A retry is recognised before the quantity check.
  CHECK(*t.table.Fill(a, 9 * kS, kS, 1001, t.now) == 8 * kS);
  CHECK(*t.table.Fill(a, 5 * kS, kS, 1003, ++t.now) == 0);
  CHECK(t.Get(a).status == OrderStatus::kFilled);
  // The filled order still knows its trades.
  CHECK(*t.table.Fill(a, 5 * kS, kS, 1003, t.now) == 0);
  CHECK(*t.table.Fill(a, 2 * kS, kS, 1001, t.now) == 8 * kS);
  CHECK(t.table.Fill(a, kS, kS, 1004, t.now).error() == OrderError::kNotLive);
  CHECK(t.Get(a).filled == 10 * kS);
  // Only the last kRecentTrades trades are remembered per order.
  uint64_t b = t.MustPlace(1, "X", Side::kSell, kS, 100 * kS);
  for (uint64_t tr = 1; tr <= kRecentTrades + 1; ++tr)
    REQUIRE(t.table.Fill(b, kS, kS, tr, ++t.now).ok());
  CHECK(*t.table.Fill(b, kS, kS, kRecentTrades + 1, t.now) == 100 * kS - (kRecentTrades + 1) * kS);
  CHECK(*t.table.Fill(b, kS, kS, 2, t.now) == 98 * kS);  // remembered: its own reply
  CHECK(*t.table.Fill(b, kS, kS, 1, ++t.now) == 100 * kS - (kRecentTrades + 2) * kS);  // forgotten
}

TEST_CASE("OrderTable: open lists oldest first, per symbol, with limit", "[order][table]") {
  T t;
  uint64_t a = t.MustPlace(9, "A", Side::kBuy, kS, kS);
  uint64_t b = t.MustPlace(9, "B", Side::kBuy, kS, kS);
  uint64_t c = t.MustPlace(9, "A", Side::kSell, 2 * kS, kS);
  uint64_t d = t.MustPlace(9, "C", Side::kBuy, kS, kS);
  CHECK(t.Open(9) == std::vector<uint64_t>{a, b, c, d});
  CHECK(t.Open(9, "A") == std::vector<uint64_t>{a, c});
  CHECK(t.Open(9, {}, 3) == std::vector<uint64_t>{a, b, c});
  CHECK(t.Open(9, "A", 1) == std::vector<uint64_t>{a});
  CHECK(t.Open(9, "Z").empty());
  // Amend does not change placement order.
  REQUIRE(t.table.Amend(a, 3 * kS, std::nullopt, ++t.now) == OrderError::kOk);
  CHECK(t.Open(9) == std::vector<uint64_t>{a, b, c, d});
}

TEST_CASE("OrderTable: depth and top", "[order][table]") {
  T t;
  for (int i = 1; i <= 30; ++i) t.MustPlace(1, "X", Side::kBuy, i * kS, kS);
  t.MustPlace(1, "X", Side::kBuy, 30 * kS, 2 * kS);
  for (int i = 31; i <= 35; ++i) t.MustPlace(2, "X", Side::kSell, i * kS, kS);
  auto bids = t.Depth("X", Side::kBuy);
  REQUIRE(bids.size() == 20);
  CHECK(SameLevel(bids[0], 30 * kS, 3 * kS, 2));
  CHECK(SameLevel(bids[19], 11 * kS, kS, 1));
  CHECK(t.Depth("X", Side::kBuy, 3).size() == 3);
  auto asks = t.Depth("X", Side::kSell, 100);
  REQUIRE(asks.size() == 5);
  CHECK(asks[0].price == 31 * kS);
  LevelState top;
  REQUIRE(t.table.Top("X", Side::kBuy, t.now, &top));
  CHECK(SameLevel(top, 30 * kS, 3 * kS, 2));
  REQUIRE(t.table.Top("X", Side::kSell, t.now, &top));
  CHECK(top.price == 31 * kS);
  CHECK_FALSE(t.table.Top("NONE", Side::kSell, t.now, &top));
  CHECK(t.Depth("NONE", Side::kSell).empty());
  CHECK(t.table.stats().price_levels == 35);
}

TEST_CASE("OrderTable: GTD orders expire actively and on access", "[order][table]") {
  T t;
  PlaceRequest r;
  r.user = 1;
  r.symbol = "X";
  r.price = kS;
  r.qty = kS;
  r.tif = Tif::kGtd;
  int64_t ms = kT0 / 1000;
  r.expire_ms = ms + 10;
  uint64_t a = *t.table.Place(r, kT0);
  r.expire_ms = ms + 20;
  uint64_t b = *t.table.Place(r, kT0);
  r.expire_ms = ms + 30;
  uint64_t c = *t.table.Place(r, kT0);
  CHECK(t.table.ExpireDue(kT0 + 9'999, 100) == 0);
  CHECK(t.table.ExpireDue(kT0 + 10'000, 100) == 1);
  OrderView v;
  REQUIRE(t.table.Get(a, kT0 + 10'000, &v));
  CHECK(v.status == OrderStatus::kExpired);
  CHECK(v.expire_ms == ms + 10);
  CHECK(t.rec.events.back().kind == EventKind::kExpired);
  // Canceled before its time: the heap entry is dropped quietly.
  REQUIRE(t.table.Cancel(b, kT0 + 10'001));
  CHECK(t.table.ExpireDue(kT0 + 25'000, 100) == 0);
  // On access: any operation at a later time expires it first.
  CHECK(t.table.Reduce(c, 1, kT0 + 30'000).error() == OrderError::kNotLive);
  REQUIRE(t.table.Get(c, kT0 + 30'000, &v));
  CHECK(v.status == OrderStatus::kExpired);
  CHECK(t.table.stats().expired == 2);
  CHECK(t.table.live() == 0);
}

TEST_CASE("OrderTable: the completed ring is bounded", "[order][table]") {
  T t(100, 3);
  std::vector<uint64_t> ids;
  for (int i = 0; i < 5; ++i) {
    ids.push_back(t.MustPlace(1, "X", Side::kBuy, kS, kS, "c" + std::to_string(i)));
    REQUIRE(t.table.Cancel(ids.back(), ++t.now));
  }
  OrderView v;
  CHECK_FALSE(t.table.Get(ids[0], t.now, &v));
  CHECK_FALSE(t.table.Get(ids[1], t.now, &v));
  for (int i = 2; i < 5; ++i) {
    REQUIRE(t.table.Get(ids[i], t.now, &v));
    CHECK(v.status == OrderStatus::kCanceled);
    REQUIRE(t.table.GetCid(1, "c" + std::to_string(i), t.now, &v));
    CHECK(v.id == ids[i]);
  }
  CHECK_FALSE(t.table.GetCid(1, "c0", t.now, &v));
  CHECK(t.table.stats().completed == 3);
}

TEST_CASE("OrderTable: no ring with keep 0", "[order][table]") {
  T t(100, 0);
  uint64_t a = t.MustPlace(1, "X", Side::kBuy, kS, kS);
  REQUIRE(t.table.Cancel(a, ++t.now));
  OrderView v;
  CHECK_FALSE(t.table.Get(a, t.now, &v));
  CHECK(t.table.Fill(a, kS, kS, 0, t.now).error() == OrderError::kNotFound);
}

TEST_CASE("OrderTable: symbols", "[order][table]") {
  T t;
  CHECK(t.table.GetSymbol("BTC") == nullptr);
  REQUIRE(t.table.SetSymbol("BTC", 1'000'000, std::nullopt) == OrderError::kOk);
  REQUIRE(t.table.GetSymbol("BTC") != nullptr);
  CHECK(t.table.GetSymbol("BTC")->tick == 1'000'000);
  CHECK(t.table.GetSymbol("BTC")->lot == 0);
  REQUIRE(t.table.SetSymbol("BTC", std::nullopt, 1000) == OrderError::kOk);
  CHECK(t.table.GetSymbol("BTC")->tick == 1'000'000);
  CHECK(t.table.GetSymbol("BTC")->lot == 1000);
  t.MustPlace(1, "ADA", Side::kBuy, kS, kS);  // created on first use
  CHECK(t.table.SymbolNames() == std::vector<std::string>{"ADA", "BTC"});
}

TEST_CASE("OrderTable: reset clears everything but totals", "[order][table]") {
  T t;
  uint64_t a = t.MustPlace(1, "X", Side::kBuy, kS, kS, "c");
  t.MustPlace(1, "X", Side::kBuy, kS, kS);
  REQUIRE(t.table.Cancel(a, ++t.now));
  t.table.Reset();
  OrderView v;
  CHECK_FALSE(t.table.Get(a, t.now, &v));
  CHECK(t.table.live() == 0);
  CHECK(t.Open(1).empty());
  CHECK(t.Depth("X", Side::kBuy).empty());
  CHECK(t.table.SymbolNames().empty());
  CHECK(t.table.stats().placed == 2);
  CHECK(t.MustPlace(1, "X", Side::kBuy, kS, kS, "c") == 1);
}

TEST_CASE("OrderTable: memory per order", "[order][table]") {
  T t(200000, 0);
  for (int i = 0; i < 100000; ++i)
    t.MustPlace(1 + i % 1000, "S" + std::to_string(i % 10), i % 2 ? Side::kBuy : Side::kSell,
                (1000 + i % 500) * kS, kS, "cid-" + std::to_string(i));
  OrderTableStats s = t.table.stats();
  CHECK(s.live == 100000);
  CHECK(s.record_bytes == 128);
  // Record + id index + cid index + levels + lists: well under 192 bytes.
  CHECK(s.memory_bytes / s.live < 192);
}
