#include "model.h"

#include <algorithm>
#include <cstring>

namespace crash {

namespace {

constexpr int64_t kCent = kScale / 100;
constexpr int64_t kMilli = kScale / 1000;
constexpr int64_t kDayMs = 86'400'000;

// Book prices: 100.00 .. 101.00 in steps of 0.05, so levels hold several
// orders and DEPTH counts are interesting.
int64_t BookPrice(Rng& rng) {
  return 100 * kScale + rng.Range(0, 20) * 5 * kCent;
}
// Quantities: mostly multiples of 0.001, sometimes with all 8 decimals.
int64_t Quantity(Rng& rng) {
  int64_t q = rng.Range(1, 2000) * kMilli;
  if (rng.Percent(10)) q += rng.Range(1, kMilli - 1);
  return q;
}

std::string Escape(std::string_view s, size_t max) {
  std::string out;
  for (size_t i = 0; i < s.size() && i < max; ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c < 0x7f && c != '\\') {
      out += static_cast<char>(c);
    } else {
      char buf[8];
      snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    }
  }
  if (s.size() > max) out += "...(" + std::to_string(s.size()) + " bytes)";
  return out;
}

}  // namespace

const char* StatusName(Status s) {
  switch (s) {
    case Status::kNew:
      return "NEW";
    case Status::kPartiallyFilled:
      return "PARTIALLY_FILLED";
    case Status::kFilled:
      return "FILLED";
    case Status::kCanceled:
      return "CANCELED";
  }
  return "?";
}

bool OrderState::operator==(const OrderState& o) const {
  if (exists != o.exists) return false;
  if (!exists) return true;
  return id == o.id && user == o.user && symbol == o.symbol && side == o.side && type == o.type &&
         tif == o.tif && status == o.status && price == o.price && filled == o.filled &&
         remaining == o.remaining && quote == o.quote && cid == o.cid && expire_ms == o.expire_ms;
}

std::string OrderState::Describe() const {
  if (!exists) return "(absent)";
  std::string s = "id=" + std::to_string(id) + " user=" + std::to_string(user) + " " + symbol +
                  " " + side + " " + type + " " + tif + " " + StatusName(status) +
                  " price=" + FormatScaled(price) + " filled=" + FormatScaled(filled) +
                  " remaining=" + FormatScaled(remaining) + " quote=" + FormatQuote(quote) +
                  " cid=" + cid;
  if (expire_ms) s += " expire=" + std::to_string(expire_ms);
  return s;
}

std::string Operation::Text() const {
  std::string s;
  for (const std::string& a : argv) {
    if (!s.empty()) s += ' ';
    s += Escape(a, 24);
  }
  return s;
}

ClientModel::ClientModel(int index, const ModelOptions& opts) : index_(index), opts_(opts) {
  for (int j = 0; j < opts.users; ++j)
    users_.push_back(1000 + static_cast<uint64_t>(index) * static_cast<uint64_t>(opts.users) +
                     static_cast<uint64_t>(j));
  for (int j = 0; j < opts.symbols; ++j)
    symbols_.push_back("CT" + std::to_string(index) + "-" + static_cast<char>('A' + j));
  std::string prefix = "ct:" + std::to_string(index) + ":";
  for (int j = 0; j < opts.string_keys; ++j)
    keys_.push_back(
        KeyModel{prefix + "s" + std::to_string(j), false, std::nullopt, {std::nullopt}});
  for (int j = 0; j < opts.counter_keys; ++j)
    keys_.push_back(KeyModel{prefix + "n" + std::to_string(j), true, std::nullopt, {std::nullopt}});
}

size_t ClientModel::LiveCount(uint64_t user) const {
  size_t n = 0;
  for (const ModelOrder& o : orders_)
    if (o.cur.live() && o.cur.user == user) ++n;
  return n;
}

Operation ClientModel::Next(Rng& rng) {
  if (!opts_.orders || rng.Percent(45)) return KeyOp(rng);
  return OrderOp(rng);
}

Operation ClientModel::KeyOp(Rng& rng) {
  Operation op;
  int r = static_cast<int>(rng.Below(100));
  if (r < 50) {
    size_t k = rng.Below(static_cast<uint64_t>(opts_.string_keys));
    // Binary values (NUL, CR, LF included) of 0 bytes to 50 KB: the log
    // must keep every byte and cope with large records.
    size_t len;
    int sz = static_cast<int>(rng.Below(100));
    if (sz < 90) {
      len = rng.Below(65);
    } else if (sz < 98) {
      len = static_cast<size_t>(rng.Range(100, 2000));
    } else {
      len = static_cast<size_t>(rng.Range(10000, 50000));
    }
    std::string v(len, '\0');
    for (char& c : v) c = static_cast<char>(rng.Below(256));
    op.verb = "SET";
    op.argv = {"SET", keys_[k].name, v};
    op.expect.kind = Expect::kOk;
    op.keys.emplace_back(k, v);
  } else if (r < 85) {
    size_t k = static_cast<size_t>(opts_.string_keys) +
               rng.Below(static_cast<uint64_t>(opts_.counter_keys));
    int64_t v = keys_[k].cur ? std::stoll(*keys_[k].cur) + 1 : 1;
    op.verb = "INCR";
    op.argv = {"INCR", keys_[k].name};
    op.expect.kind = Expect::kInteger;
    op.expect.integer = v;
    op.keys.emplace_back(k, std::to_string(v));
  } else {
    size_t k = rng.Below(keys_.size());
    op.verb = "DEL";
    op.argv = {"DEL", keys_[k].name};
    op.expect.kind = Expect::kInteger;
    op.expect.integer = keys_[k].cur ? 1 : 0;
    op.keys.emplace_back(k, std::nullopt);
  }
  return op;
}

Operation ClientModel::Place(Rng& rng, uint64_t user) {
  Operation op;
  OrderState& s = op.placed;
  s.exists = true;
  s.user = user;
  s.symbol = symbols_[rng.Below(symbols_.size())];
  s.side = rng.Percent(50) ? "BUY" : "SELL";
  s.type = rng.Percent(80) ? "LIMIT" : "LIMIT_MAKER";
  int t = static_cast<int>(rng.Below(100));
  s.tif = t < 70 ? "GTC" : t < 80 ? "IOC" : t < 90 ? "FOK" : "GTD";
  s.status = Status::kNew;
  s.price = BookPrice(rng);
  s.remaining = Quantity(rng);
  // Unique per client and run, so an in-doubt PLACE is found by GETCID.
  s.cid = "c" + std::to_string(index_) + "-" + std::to_string(++cid_seq_);
  op.verb = "ORDER.PLACE";
  op.argv = {"ORDER.PLACE",
             std::to_string(user),
             s.symbol,
             s.side,
             FormatScaled(s.price),
             FormatScaled(s.remaining),
             "TYPE",
             s.type,
             "TIF",
             s.tif,
             "CID",
             s.cid};
  if (s.tif == "GTD") {
    s.expire_ms = WallMs() + 30 * kDayMs;  // never expires during a run
    op.argv.push_back("EXPIRE");
    op.argv.push_back(std::to_string(s.expire_ms));
  }
  op.expect.kind = Expect::kNewId;
  op.place = true;
  return op;
}

Operation ClientModel::OrderOp(Rng& rng) {
  uint64_t user = users_[rng.Below(users_.size())];
  std::vector<size_t> live;
  for (size_t i = 0; i < orders_.size(); ++i)
    if (orders_[i].cur.live() && orders_[i].cur.user == user) live.push_back(i);
  if (live.empty() ||
      (live.size() < static_cast<size_t>(opts_.max_live_per_user) && rng.Percent(30)))
    return Place(rng, user);

  Operation op;
  size_t oi = live[rng.Below(live.size())];
  const OrderState& o = orders_[oi].cur;
  std::string id = std::to_string(o.id);
  OrderState n = o;
  int r = static_cast<int>(rng.Below(100));
  if (r < 18) {  // AMEND: new price and/or new remaining quantity
    op.verb = "ORDER.AMEND";
    op.argv = {"ORDER.AMEND", id};
    int which = static_cast<int>(rng.Below(10));
    if (which < 7) {
      n.price = BookPrice(rng);
      op.argv.insert(op.argv.end(), {"PRICE", FormatScaled(n.price)});
    }
    if (which >= 4) {
      n.remaining = Quantity(rng);
      op.argv.insert(op.argv.end(), {"QTY", FormatScaled(n.remaining)});
    }
    op.expect.kind = Expect::kOk;
    op.orders.emplace_back(oi, n);
  } else if (r < 30) {  // REDUCE, sometimes to zero (canceled, remaining 0)
    int64_t q = o.remaining <= 1 || rng.Percent(15) ? o.remaining : rng.Range(1, o.remaining - 1);
    n.remaining -= q;
    if (n.remaining == 0) n.status = Status::kCanceled;
    op.verb = "ORDER.REDUCE";
    op.argv = {"ORDER.REDUCE", id, FormatScaled(q)};
    op.expect.kind = Expect::kBulk;
    op.expect.bulk = FormatScaled(n.remaining);
    op.orders.emplace_back(oi, n);
  } else if (r < 70) {  // FILL: new trade id, no trade id, or a repeat
    std::vector<size_t> marked;
    for (size_t i = 0; i < orders_.size(); ++i)
      if (!orders_[i].trades.empty()) marked.push_back(i);
    if (!marked.empty() && rng.Percent(15)) {
      // A retry of a fill already applied (the order may be complete by
      // now): the server answers what it answered then, and nothing changes.
      size_t mi = marked[rng.Below(marked.size())];
      const ModelOrder& m = orders_[mi];
      const TradeMark& t = m.trades[rng.Below(m.trades.size())];
      op.verb = "ORDER.FILL";
      op.argv = {"ORDER.FILL",
                 std::to_string(m.cur.id),
                 FormatScaled(Quantity(rng)),
                 FormatScaled(BookPrice(rng)),
                 "TRADE",
                 std::to_string(t.trade)};
      op.expect.kind = Expect::kBulk;
      op.expect.bulk = FormatScaled(t.remaining);
      op.repeat_trade = true;
      return op;
    }
    int64_t q = rng.Percent(20) ? o.remaining : rng.Range(1, o.remaining);
    int64_t px = rng.Range(9000, 11000) * kCent;
    n.remaining -= q;
    n.filled += q;
    n.quote += static_cast<__int128>(px) * q;
    n.status = n.remaining == 0 ? Status::kFilled : Status::kPartiallyFilled;
    op.verb = "ORDER.FILL";
    op.argv = {"ORDER.FILL", id, FormatScaled(q), FormatScaled(px)};
    if (rng.Percent(75)) {
      uint64_t t = (static_cast<uint64_t>(index_) + 1) * 1'000'000'000ULL + ++trade_seq_;
      op.argv.insert(op.argv.end(), {"TRADE", std::to_string(t)});
      op.has_trade = true;
      op.trade_order = oi;
      op.trade = TradeMark{t, n.remaining};
    }
    op.expect.kind = Expect::kBulk;
    op.expect.bulk = FormatScaled(n.remaining);
    op.orders.emplace_back(oi, n);
  } else if (r < 97) {  // CANCEL by id or by client order id
    std::vector<size_t> done;
    for (size_t i = 0; i < orders_.size(); ++i)
      if (!orders_[i].cur.live()) done.push_back(i);
    op.verb = "ORDER.CANCEL";
    if (!done.empty() && rng.Percent(5)) {  // a terminal order: 0, no change
      op.argv = {"ORDER.CANCEL", std::to_string(orders_[done[rng.Below(done.size())]].cur.id)};
      op.expect.kind = Expect::kInteger;
      op.expect.integer = 0;
      return op;
    }
    if (rng.Percent(30)) {
      op.verb = "ORDER.CANCELCID";
      op.argv = {"ORDER.CANCELCID", std::to_string(user), o.cid};
    } else {
      op.argv = {"ORDER.CANCEL", id};
    }
    n.status = Status::kCanceled;
    op.expect.kind = Expect::kInteger;
    op.expect.integer = 1;
    op.orders.emplace_back(oi, n);
  } else {  // CANCELALL, for the user or one of its symbols
    op.verb = "ORDER.CANCELALL";
    op.argv = {"ORDER.CANCELALL", std::to_string(user)};
    std::string symbol;
    if (rng.Percent(50)) {
      symbol = symbols_[rng.Below(symbols_.size())];
      op.argv.insert(op.argv.end(), {"SYMBOL", symbol});
    }
    for (size_t i : live) {
      if (!symbol.empty() && orders_[i].cur.symbol != symbol) continue;
      OrderState c = orders_[i].cur;
      c.status = Status::kCanceled;
      op.orders.emplace_back(i, c);
    }
    op.expect.kind = Expect::kInteger;
    op.expect.integer = static_cast<int64_t>(op.orders.size());
  }
  return op;
}

std::string ClientModel::Acknowledge(const Operation& op, const redisReply* r) {
  std::string want;
  bool good = false;
  uint64_t id = 0;
  switch (op.expect.kind) {
    case Expect::kOk:
      want = "OK";
      good = r->type == REDIS_REPLY_STATUS && std::string_view(r->str, r->len) == "OK";
      break;
    case Expect::kInteger:
      want = "(integer) " + std::to_string(op.expect.integer);
      good = r->type == REDIS_REPLY_INTEGER && r->integer == op.expect.integer;
      break;
    case Expect::kBulk:
      want = "\"" + op.expect.bulk + "\"";
      good = r->type == REDIS_REPLY_STRING && std::string_view(r->str, r->len) == op.expect.bulk;
      break;
    case Expect::kNewId:
      want = "a new order id";
      good = r->type == REDIS_REPLY_INTEGER && r->integer > 0;
      if (good) {
        id = static_cast<uint64_t>(r->integer);
        for (const ModelOrder& o : orders_)
          if (o.cur.id == id) good = false;  // an id given twice
      }
      break;
  }
  if (!good) return op.Text() + ": expected " + want + ", got " + ReplyText(r);
  Apply(op, id);
  return "";
}

void ClientModel::Apply(const Operation& op, uint64_t placed_id) {
  for (const auto& [k, v] : op.keys) {
    keys_[k].cur = v;
    keys_[k].history.push_back(v);
  }
  for (const auto& [i, s] : op.orders) {
    orders_[i].cur = s;
    orders_[i].history.push_back(s);
  }
  if (op.place) {
    ModelOrder m;
    m.cur = op.placed;
    m.cur.id = placed_id;
    m.history = {OrderState{}, m.cur};
    orders_.push_back(std::move(m));
  }
  if (op.has_trade) {
    std::vector<TradeMark>& t = orders_[op.trade_order].trades;
    t.push_back(op.trade);
    if (t.size() > kRecentTrades) t.erase(t.begin());
  }
}

void ClientModel::Settle() {
  for (KeyModel& k : keys_) k.history = {k.cur};
  std::vector<ModelOrder> kept;
  for (ModelOrder& o : orders_) {
    o.history = {o.cur};
    if (!o.cur.live() && ++o.terminal_checks >= 2) continue;
    kept.push_back(std::move(o));
  }
  orders_ = std::move(kept);
}

void ClientModel::Reset() {
  for (KeyModel& k : keys_) {
    k.cur.reset();
    k.history = {std::nullopt};
  }
  orders_.clear();
  pending.reset();
  desync.clear();
}

}  // namespace crash
