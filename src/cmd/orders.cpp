// ORDER.* commands: typed order tables (order/order_table.h). Handlers parse
// and validate every argument first (each bad input has its own error),
// then call one table operation, then reply. Orders are not keys: these
// commands have no key positions, so KEYS/SCAN/DBSIZE/FLUSHALL never see
// them and WATCH is not involved.
//
// ordis stores orders; matching is the engine's job. TYPE (LIMIT,
// LIMIT_MAKER) and TIF (GTC, IOC, FOK) are recorded as given; only GTD acts
// here (the order expires at its time). Every change is published on
// order.user.<user> / order.book.<symbol> (cmd/orders_events.h).
//
// Replies: an order is a map (RESP3) or a flat field/value array (RESP2) of
// id, user, symbol, side, type, tif, status, price, qty, filled, remaining,
// quote, cid, created, updated, expire. Ids, users and times are integers;
// prices, quantities and quote are canonical decimal strings; cid and
// expire are nil when not set.
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "cmd/args.h"
#include "cmd/command_docs.h"
#include "cmd/families.h"
#include "order/order_table.h"
#include "server/server.h"

namespace ordis {

namespace {

using order::OrderError;
using order::OrderView;
using order::Side;

// ---- argument parsing (each writes its error and returns false) -------------

bool ParsePositive(CommandContext& ctx, size_t i, std::string_view error, uint64_t* out) {
  int64_t v;
  if (!ParseInt64(ctx.arg(i), &v) || v <= 0) {
    ctx.reply.Error(error);
    return false;
  }
  *out = static_cast<uint64_t>(v);
  return true;
}

bool ArgUser(CommandContext& ctx, size_t i, uint64_t* out) {
  return ParsePositive(ctx, i, "ERR user must be a positive integer", out);
}

bool ArgId(CommandContext& ctx, size_t i, uint64_t* out) {
  return ParsePositive(ctx, i, "ERR invalid order id", out);
}

bool ArgSymbol(CommandContext& ctx, size_t i, std::string_view* out) {
  std::string_view s = ctx.arg(i);
  if (s.size() > order::kMaxSymbolLen) {
    ctx.reply.Error("ERR symbol is longer than 16 characters");
    return false;
  }
  if (!order::ValidSymbol(s)) {
    ctx.reply.Error("ERR invalid symbol (1-16 characters of A-Z 0-9 . _ -)");
    return false;
  }
  *out = s;
  return true;
}

bool ArgCid(CommandContext& ctx, size_t i, std::string_view* out) {
  std::string_view s = ctx.arg(i);
  if (s.size() > order::kMaxCidLen) {
    ctx.reply.Error("ERR client order id is longer than 32 characters");
    return false;
  }
  if (!order::ValidCid(s)) {
    ctx.reply.Error("ERR invalid client order id (1-32 printable ASCII characters)");
    return false;
  }
  *out = s;
  return true;
}

// A price or quantity: decimal, at most 8 fractional digits, in range,
// positive. `what` names it in errors ("price", "quantity", "tick size").
bool ArgAmount(CommandContext& ctx, size_t i, std::string_view what, int64_t* out,
               bool allow_zero = false) {
  int64_t v;
  std::string err;
  switch (decimal::Parse(ctx.arg(i), &v)) {
    case decimal::ParseStatus::kOk:
      if (v > 0 || (allow_zero && v == 0)) {
        *out = v;
        return true;
      }
      err = std::string("ERR ") + std::string(what) +
            (allow_zero ? " must not be negative" : " must be positive");
      break;
    case decimal::ParseStatus::kInvalid:
      err = "ERR invalid " + std::string(what);
      break;
    case decimal::ParseStatus::kTooManyDigits:
      err = "ERR " + std::string(what) + " has more than 8 decimal places";
      break;
    case decimal::ParseStatus::kOutOfRange:
      err = "ERR " + std::string(what) + " is out of range";
      break;
  }
  ctx.reply.Error(err);
  return false;
}

std::string TickError(const order::SymbolInfo* s) {
  return "ERR price is not a multiple of tick size " + decimal::Format(s ? s->tick : 0);
}
std::string LotError(const order::SymbolInfo* s) {
  return "ERR quantity is not a multiple of lot size " + decimal::Format(s ? s->lot : 0);
}

// Errors of table operations whose text does not depend on the command.
std::string_view ErrorText(OrderError e) {
  switch (e) {
    case OrderError::kNotFound:
      return "ERR order not found";
    case OrderError::kNotLive:
      return "ERR order is not live";
    case OrderError::kTableFull:
      return "ERR order table full";
    case OrderError::kDuplicateCid:
      return "ERR duplicate client order id";
    case OrderError::kIdExists:
      return "ERR order id already exists";
    case OrderError::kIdsExhausted:
      return "ERR order ids exhausted";
    case OrderError::kExpireInPast:
      return "ERR expire time is in the past";
    case OrderError::kTooManySymbols:
      return "ERR too many symbols";
    case OrderError::kExceedsRemaining:
      return "ERR quantity exceeds remaining";
    default:
      return "ERR internal error";
  }
}

// Replies with the error of a failed operation on an order of `symbol`.
void ReplyOrderError(CommandContext& ctx, OrderError e, const order::SymbolInfo* symbol) {
  if (e == OrderError::kPriceTick) return ctx.reply.Error(TickError(symbol));
  if (e == OrderError::kQtyLot) return ctx.reply.Error(LotError(symbol));
  ctx.reply.Error(ErrorText(e));
}

// The symbol of a live order (for tick/lot error texts).
const order::SymbolInfo* SymbolOfOrder(Server& s, uint64_t id) {
  OrderView v;
  if (!s.orders().Get(id, s.command_time_us(), &v)) return nullptr;
  return s.orders().GetSymbol(s.orders().SymbolName(v.symbol));
}

// ---- replies ----------------------------------------------------------------

void BulkDecimal(ReplyBuilder& r, int64_t v) {
  char buf[decimal::kFormatBufferSize];
  r.Bulk(std::string_view(buf, decimal::Format(v, buf)));
}

// Encodes replies into a stack buffer appended once: OPEN replies are tens
// of orders of 32 elements each, DEPTH tens of levels.
class Encoder {
 public:
  explicit Encoder(bool resp3) : resp3_(resp3) {}

  void Clear() { p_ = buf_; }
  std::string_view View() const { return std::string_view(buf_, static_cast<size_t>(p_ - buf_)); }

  // One order map (RESP3) or flat field/value array (RESP2).
  void Order(const OrderView& o, std::string_view symbol) {
    Lit(resp3_ ? "%16\r\n" : "*32\r\n");
    Lit("$2\r\nid\r\n");
    Int(static_cast<int64_t>(o.id));
    Lit("$4\r\nuser\r\n");
    Int(static_cast<int64_t>(o.user));
    Lit("$6\r\nsymbol\r\n");
    Bulk(symbol);
    Lit("$4\r\nside\r\n");
    Bulk(order::SideName(o.side));
    Lit("$4\r\ntype\r\n");
    Bulk(order::TypeName(o.type));
    Lit("$3\r\ntif\r\n");
    Bulk(order::TifName(o.tif));
    Lit("$6\r\nstatus\r\n");
    Bulk(order::StatusName(o.status));
    Lit("$5\r\nprice\r\n");
    Decimal(o.price);
    Lit("$3\r\nqty\r\n");
    Decimal(o.qty());
    Lit("$6\r\nfilled\r\n");
    Decimal(o.filled);
    Lit("$9\r\nremaining\r\n");
    Decimal(o.remaining);
    Lit("$5\r\nquote\r\n");
    if (o.quote == 0) {
      Lit("$1\r\n0\r\n");
    } else {
      Bulk(decimal::FormatQuote(o.quote));
    }
    Lit("$3\r\ncid\r\n");
    char cid[order::kMaxCidLen];
    size_t n = order::UnpackCid(o.cid, cid);
    if (n > 0) {
      Bulk(std::string_view(cid, n));
    } else {
      Null();
    }
    Lit("$7\r\ncreated\r\n");
    Int(o.created_us);
    Lit("$7\r\nupdated\r\n");
    Int(o.updated_us);
    Lit("$6\r\nexpire\r\n");
    if (o.expire_ms > 0) {
      Int(o.expire_ms);
    } else {
      Null();
    }
  }

  // One DEPTH level: [price, qty, count].
  void Level(const order::LevelState& l) {
    Lit("*3\r\n");
    Decimal(l.price);
    Decimal(l.qty);
    Int(l.count);
  }

 private:
  template <size_t N>
  void Lit(const char (&s)[N]) {
    memcpy(p_, s, N - 1);
    p_ += N - 1;
  }
  // Digits go straight into the buffer (no staging copy: reading back
  // bytes just stored one by one would stall on store forwarding).
  void Digits(uint64_t v) {
    static constexpr char kPairs[] =
        "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
        "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
        "8081828384858687888990919293949596979899";
    size_t n = 1;
    for (uint64_t pow = 10; n < 20 && v >= pow; pow *= 10) ++n;
    char* e = p_ + n;
    while (v >= 100) {  // two digits per division
      size_t i = static_cast<size_t>(v % 100) * 2;
      v /= 100;
      *--e = kPairs[i + 1];
      *--e = kPairs[i];
    }
    if (v >= 10) {
      *--e = kPairs[v * 2 + 1];
      *--e = kPairs[v * 2];
    } else {
      *--e = static_cast<char>('0' + v);
    }
    p_ += n;
  }

  void Int(int64_t v) {
    *p_++ = ':';
    if (v < 0) *p_++ = '-';
    Digits(v < 0 ? 0 - static_cast<uint64_t>(v) : static_cast<uint64_t>(v));
    Lit("\r\n");
  }
  void Bulk(std::string_view s) {
    *p_++ = '$';
    Digits(s.size());
    Lit("\r\n");
    memcpy(p_, s.data(), s.size());
    p_ += s.size();
    Lit("\r\n");
  }
  void Decimal(int64_t v) {
    char d[decimal::kFormatBufferSize];
    size_t n = decimal::Format(v, d);
    *p_++ = '$';
    Digits(n);
    Lit("\r\n");
    for (size_t i = 0; i < n; ++i) *p_++ = d[i];
    Lit("\r\n");
  }
  void Null() {
    if (resp3_) {
      Lit("_\r\n");
    } else {
      Lit("$-1\r\n");
    }
  }

  bool resp3_;
  char* p_ = buf_;
  // One order: keys ~130 bytes, values at most ~300 (quote 49, cid 32,
  // symbol 16, ...).
  char buf_[1024];
};

void ReplyOrder(CommandContext& ctx, const OrderView& o) {
  Encoder enc(ctx.reply.resp3());
  enc.Order(o, ctx.server.orders().SymbolName(o.symbol));
  ctx.reply.Raw(enc.View());
}

void ReplyOrders(CommandContext& ctx, const std::vector<OrderView>& orders) {
  ctx.reply.ArrayHeader(static_cast<int64_t>(orders.size()));
  Encoder enc(ctx.reply.resp3());
  const order::OrderTable& t = ctx.server.orders();
  for (const OrderView& v : orders) {
    enc.Clear();
    enc.Order(v, t.SymbolName(v.symbol));
    ctx.reply.Raw(enc.View());
  }
}

void ReplyLevels(CommandContext& ctx, const std::vector<order::LevelState>& levels) {
  ctx.reply.ArrayHeader(static_cast<int64_t>(levels.size()));
  Encoder enc(false);
  for (size_t i = 0; i < levels.size(); ++i) {
    enc.Level(levels[i]);
    // A level is at most ~90 bytes: flush well before the buffer fills.
    if (i % 8 == 7 || i + 1 == levels.size()) {
      ctx.reply.Raw(enc.View());
      enc.Clear();
    }
  }
}

// ---- handlers -------------------------------------------------------------

// ORDER.PLACE user symbol BUY|SELL price qty [TYPE t] [TIF t] [EXPIRE ms]
//             [CID cid] [ID id]
void PlaceCmd(CommandContext& ctx) {
  order::PlaceRequest req;
  if (!ArgUser(ctx, 1, &req.user)) return;
  if (!ArgSymbol(ctx, 2, &req.symbol)) return;
  if (ArgIs(ctx, 3, "BUY")) {
    req.side = Side::kBuy;
  } else if (ArgIs(ctx, 3, "SELL")) {
    req.side = Side::kSell;
  } else {
    return ctx.reply.Error("ERR side must be BUY or SELL");
  }
  if (!ArgAmount(ctx, 4, "price", &req.price)) return;
  if (!ArgAmount(ctx, 5, "quantity", &req.qty)) return;
  bool has_expire = false;
  for (size_t i = 6; i < ctx.argc(); i += 2) {
    if (i + 1 >= ctx.argc()) return ctx.reply.Error(err::kSyntax);
    if (ArgIs(ctx, i, "TYPE")) {
      if (ArgIs(ctx, i + 1, "LIMIT")) {
        req.type = order::OrderType::kLimit;
      } else if (ArgIs(ctx, i + 1, "LIMIT_MAKER")) {
        req.type = order::OrderType::kLimitMaker;
      } else {
        return ctx.reply.Error("ERR type must be LIMIT or LIMIT_MAKER");
      }
    } else if (ArgIs(ctx, i, "TIF")) {
      static const std::pair<const char*, order::Tif> kTifs[] = {{"GTC", order::Tif::kGtc},
                                                                 {"IOC", order::Tif::kIoc},
                                                                 {"FOK", order::Tif::kFok},
                                                                 {"GTD", order::Tif::kGtd}};
      bool found = false;
      for (auto [name, tif] : kTifs) {
        if (ArgIs(ctx, i + 1, name)) {
          req.tif = tif;
          found = true;
        }
      }
      if (!found) return ctx.reply.Error("ERR time in force must be GTC, IOC, FOK or GTD");
    } else if (ArgIs(ctx, i, "EXPIRE")) {
      // Milliseconds; the table compares in microseconds, so keep x1000 in range.
      if (!ArgIntRange(ctx, i + 1, 1, INT64_MAX / 1000, &req.expire_ms, "ERR invalid expire time"))
        return;
      has_expire = true;
    } else if (ArgIs(ctx, i, "CID")) {
      if (!ArgCid(ctx, i + 1, &req.cid)) return;
    } else if (ArgIs(ctx, i, "ID")) {
      if (!ArgId(ctx, i + 1, &req.id)) return;
    } else {
      return ctx.reply.Error(err::kSyntax);
    }
  }
  if (req.tif == order::Tif::kGtd && !has_expire) return ctx.reply.Error("ERR GTD requires EXPIRE");
  if (req.tif != order::Tif::kGtd && has_expire)
    return ctx.reply.Error("ERR EXPIRE requires TIF GTD");
  order::OrderTable& t = ctx.server.orders();
  auto r = t.Place(req, ctx.server.command_time_us());
  if (!r.ok()) return ReplyOrderError(ctx, r.error(), t.GetSymbol(req.symbol));
  ++ctx.dirty;
  if (req.id == 0) {
    // The log records the id the table assigned (replay never recomputes it).
    std::vector<std::string> logged(ctx.args.begin(), ctx.args.end());
    logged.emplace_back("ID");
    logged.push_back(std::to_string(*r));
    ctx.server.LogRewrite(std::move(logged));
  }
  ctx.reply.Integer(static_cast<int64_t>(*r));
}

void GetCmd(CommandContext& ctx) {
  uint64_t id;
  if (!ArgId(ctx, 1, &id)) return;
  OrderView v;
  if (!ctx.server.orders().Get(id, ctx.server.command_time_us(), &v)) return ctx.reply.Null();
  ReplyOrder(ctx, v);
}

void GetCidCmd(CommandContext& ctx) {
  uint64_t user;
  std::string_view cid;
  if (!ArgUser(ctx, 1, &user) || !ArgCid(ctx, 2, &cid)) return;
  OrderView v;
  if (!ctx.server.orders().GetCid(user, cid, ctx.server.command_time_us(), &v)) return ctx.reply.Null();
  ReplyOrder(ctx, v);
}

void CancelCmd(CommandContext& ctx) {
  uint64_t id;
  if (!ArgId(ctx, 1, &id)) return;
  bool done = ctx.server.orders().Cancel(id, ctx.server.command_time_us());
  if (done) ++ctx.dirty;
  ctx.reply.Integer(done ? 1 : 0);
}

void CancelCidCmd(CommandContext& ctx) {
  uint64_t user;
  std::string_view cid;
  if (!ArgUser(ctx, 1, &user) || !ArgCid(ctx, 2, &cid)) return;
  bool done = ctx.server.orders().CancelCid(user, cid, ctx.server.command_time_us());
  if (done) ++ctx.dirty;
  ctx.reply.Integer(done ? 1 : 0);
}

void CancelAllCmd(CommandContext& ctx) {
  uint64_t user;
  if (!ArgUser(ctx, 1, &user)) return;
  std::string_view symbol;
  if (ctx.argc() == 4 && ArgIs(ctx, 2, "SYMBOL")) {
    if (!ArgSymbol(ctx, 3, &symbol)) return;
  } else if (ctx.argc() != 2) {
    return ctx.reply.Error(err::kSyntax);
  }
  size_t n = ctx.server.orders().CancelAll(user, symbol, ctx.server.command_time_us());
  ctx.dirty += n;
  ctx.reply.Integer(static_cast<int64_t>(n));
}

void ReduceCmd(CommandContext& ctx) {
  uint64_t id;
  int64_t qty;
  if (!ArgId(ctx, 1, &id) || !ArgAmount(ctx, 2, "quantity", &qty)) return;
  auto r = ctx.server.orders().Reduce(id, qty, ctx.server.command_time_us());
  if (r.error() == OrderError::kExceedsRemaining)
    return ctx.reply.Error("ERR reduce quantity exceeds remaining");
  if (!r.ok()) return ReplyOrderError(ctx, r.error(), SymbolOfOrder(ctx.server, id));
  ++ctx.dirty;
  BulkDecimal(ctx.reply, *r);
}

void AmendCmd(CommandContext& ctx) {
  uint64_t id;
  if (!ArgId(ctx, 1, &id)) return;
  std::optional<int64_t> price, qty;
  for (size_t i = 2; i < ctx.argc(); i += 2) {
    if (i + 1 >= ctx.argc()) return ctx.reply.Error(err::kSyntax);
    int64_t v;
    if (ArgIs(ctx, i, "PRICE")) {
      if (!ArgAmount(ctx, i + 1, "price", &v)) return;
      price = v;
    } else if (ArgIs(ctx, i, "QTY")) {
      if (!ArgAmount(ctx, i + 1, "quantity", &v)) return;
      qty = v;
    } else {
      return ctx.reply.Error(err::kSyntax);
    }
  }
  OrderError e = ctx.server.orders().Amend(id, price, qty, ctx.server.command_time_us());
  if (e != OrderError::kOk) return ReplyOrderError(ctx, e, SymbolOfOrder(ctx.server, id));
  ++ctx.dirty;
  ctx.reply.Ok();
}

void FillCmd(CommandContext& ctx) {
  uint64_t id, trade = 0;
  int64_t qty, price;
  if (!ArgId(ctx, 1, &id) || !ArgAmount(ctx, 2, "quantity", &qty) ||
      !ArgAmount(ctx, 3, "price", &price))
    return;
  if (ctx.argc() == 6 && ArgIs(ctx, 4, "TRADE")) {
    if (!ParsePositive(ctx, 5, "ERR invalid trade id", &trade)) return;
  } else if (ctx.argc() != 4) {
    return ctx.reply.Error(err::kSyntax);
  }
  auto r = ctx.server.orders().Fill(id, qty, price, trade, ctx.server.command_time_us());
  if (r.error() == OrderError::kExceedsRemaining)
    return ctx.reply.Error("ERR fill quantity exceeds remaining");
  if (!r.ok()) return ctx.reply.Error(ErrorText(r.error()));
  ++ctx.dirty;
  BulkDecimal(ctx.reply, *r);
}

void OpenCmd(CommandContext& ctx) {
  uint64_t user;
  if (!ArgUser(ctx, 1, &user)) return;
  std::string_view symbol;
  size_t limit = SIZE_MAX;
  for (size_t i = 2; i < ctx.argc(); i += 2) {
    if (i + 1 >= ctx.argc()) return ctx.reply.Error(err::kSyntax);
    if (ArgIs(ctx, i, "SYMBOL")) {
      if (!ArgSymbol(ctx, i + 1, &symbol)) return;
    } else if (ArgIs(ctx, i, "LIMIT")) {
      int64_t n;
      if (!ArgIntRange(ctx, i + 1, 1, INT64_MAX, &n, "ERR LIMIT must be a positive integer"))
        return;
      limit = static_cast<size_t>(n);
    } else {
      return ctx.reply.Error(err::kSyntax);
    }
  }
  std::vector<OrderView> orders;
  ctx.server.orders().Open(user, symbol, limit, ctx.server.command_time_us(), &orders);
  ReplyOrders(ctx, orders);
}

void DepthCmd(CommandContext& ctx) {
  std::string_view symbol;
  if (!ArgSymbol(ctx, 1, &symbol)) return;
  int64_t n = 20;
  if (ctx.argc() == 3 &&
      !ArgIntRange(ctx, 2, 1, INT64_MAX, &n, "ERR levels must be a positive integer"))
    return;
  if (ctx.argc() > 3) return ctx.reply.Error(err::kSyntax);
  order::OrderTable& t = ctx.server.orders();
  int64_t now = ctx.server.command_time_us();
  std::vector<order::LevelState> bids, asks;
  t.Depth(symbol, Side::kBuy, static_cast<size_t>(n), now, &bids);
  t.Depth(symbol, Side::kSell, static_cast<size_t>(n), now, &asks);
  if (ctx.reply.resp3()) {
    ctx.reply.MapHeader(2);
    ctx.reply.Bulk("bids");
    ReplyLevels(ctx, bids);
    ctx.reply.Bulk("asks");
    ReplyLevels(ctx, asks);
  } else {
    ctx.reply.ArrayHeader(2);
    ReplyLevels(ctx, bids);
    ReplyLevels(ctx, asks);
  }
}

void TopCmd(CommandContext& ctx) {
  std::string_view symbol;
  if (!ArgSymbol(ctx, 1, &symbol)) return;
  order::OrderTable& t = ctx.server.orders();
  int64_t now = ctx.server.command_time_us();
  ctx.reply.ArrayHeader(4);
  for (Side side : {Side::kBuy, Side::kSell}) {
    order::LevelState l;
    if (t.Top(symbol, side, now, &l)) {
      BulkDecimal(ctx.reply, l.price);
      BulkDecimal(ctx.reply, l.qty);
    } else {
      ctx.reply.Null();
      ctx.reply.Null();
    }
  }
}

void SymbolSetCmd(CommandContext& ctx) {
  std::string_view symbol;
  if (!ArgSymbol(ctx, 2, &symbol)) return;
  std::optional<int64_t> tick, lot;
  for (size_t i = 3; i < ctx.argc(); i += 2) {
    if (i + 1 >= ctx.argc()) return ctx.reply.Error(err::kSyntax);
    int64_t v;
    if (ArgIs(ctx, i, "TICK")) {
      if (!ArgAmount(ctx, i + 1, "tick size", &v, /*allow_zero=*/true)) return;
      tick = v;
    } else if (ArgIs(ctx, i, "LOT")) {
      if (!ArgAmount(ctx, i + 1, "lot size", &v, /*allow_zero=*/true)) return;
      lot = v;
    } else {
      return ctx.reply.Error(err::kSyntax);
    }
  }
  OrderError e = ctx.server.orders().SetSymbol(symbol, tick, lot);
  if (e != OrderError::kOk) return ctx.reply.Error(ErrorText(e));
  ++ctx.dirty;
  ctx.reply.Ok();
}

void SymbolGetCmd(CommandContext& ctx) {
  std::string_view symbol;
  if (!ArgSymbol(ctx, 2, &symbol)) return;
  const order::SymbolInfo* s = ctx.server.orders().GetSymbol(symbol);
  if (!s) return ctx.reply.Null();
  ctx.reply.MapHeader(3);
  ctx.reply.Bulk("symbol");
  ctx.reply.Bulk(s->name);
  ctx.reply.Bulk("tick");
  BulkDecimal(ctx.reply, s->tick);
  ctx.reply.Bulk("lot");
  BulkDecimal(ctx.reply, s->lot);
}

void SymbolListCmd(CommandContext& ctx) {
  std::vector<std::string> names = ctx.server.orders().SymbolNames();
  ctx.reply.ArrayHeader(static_cast<int64_t>(names.size()));
  for (const std::string& n : names) ctx.reply.Bulk(n);
}

void SymbolHelpCmd(CommandContext& ctx) {
  ReplyHelp(ctx,
            {"SET <symbol> [TICK <tick>] [LOT <lot>]",
             "    Create a symbol or change its rules: prices must be multiples of TICK,",
             "    quantities of LOT (0 removes a rule).", "GET <symbol>",
             "    Return the symbol's rules, or nil.", "LIST", "    Return every symbol, sorted."});
}

void ResetCmd(CommandContext& ctx) {
  order::OrderTable& t = ctx.server.orders();
  ctx.dirty += t.live() + 1;
  t.Reset();
  ctx.reply.Ok();
}

// ---- table ----------------------------------------------------------------

constexpr uint64_t kAcl = kAclOrder;
constexpr uint32_t kWrite = kCmdWrite | kCmdDenyOom;

constexpr CommandSpec kSymbolSubs[] = {
    {"set", -3, kWrite | kCmdFast, kAcl, 0, 0, 0, SymbolSetCmd, "order", "0.3.0",
     "Create a symbol or set its tick and lot sizes", "O(1)", "symbol [TICK tick] [LOT lot]"},
    {"get", 3, kCmdReadonly | kCmdFast, kAcl, 0, 0, 0, SymbolGetCmd, "order", "0.3.0",
     "Get a symbol's tick and lot sizes", "O(1)", "symbol"},
    {"list", 2, kCmdReadonly, kAcl, 0, 0, 0, SymbolListCmd, "order", "0.3.0", "List every symbol",
     "O(N log N) where N is the number of symbols.", ""},
    {"help", 2, kCmdLoading | kCmdStale, kAcl, 0, 0, 0, SymbolHelpCmd, "order", "0.3.0",
     "Show helpful text about the different subcommands", "O(1)", ""},
};

constexpr CommandSpec kCommands[] = {
    {"order.place", -6, kWrite | kCmdFast, kAcl, 0, 0, 0, PlaceCmd, "order", "0.3.0",
     "Place an order; returns its id",
     "O(log L) where L is the number of price levels of the side.",
     "user symbol BUY|SELL price qty [TYPE LIMIT|LIMIT_MAKER] [TIF GTC|IOC|FOK|GTD] "
     "[EXPIRE unix-time-milliseconds] [CID cid] [ID id]"},
    {"order.get", 2, kCmdReadonly | kCmdFast, kAcl, 0, 0, 0, GetCmd, "order", "0.3.0",
     "Get an order (live or recently completed) by id", "O(1)", "id"},
    {"order.getcid", 3, kCmdReadonly | kCmdFast, kAcl, 0, 0, 0, GetCidCmd, "order", "0.3.0",
     "Get a user's order by client order id", "O(1)", "user cid"},
    {"order.cancel", 2, kCmdWrite | kCmdFast, kAcl, 0, 0, 0, CancelCmd, "order", "0.3.0",
     "Cancel a live order", "O(log L) where L is the number of price levels of the side.", "id"},
    {"order.cancelcid", 3, kCmdWrite | kCmdFast, kAcl, 0, 0, 0, CancelCidCmd, "order", "0.3.0",
     "Cancel a live order by client order id",
     "O(log L) where L is the number of price levels of the side.", "user cid"},
    {"order.cancelall", -2, kCmdWrite, kAcl, 0, 0, 0, CancelAllCmd, "order", "0.3.0",
     "Cancel every live order of a user, or of a user in one symbol",
     "O(N log L) where N is the number of orders canceled.", "user [SYMBOL symbol]"},
    {"order.reduce", 3, kCmdWrite | kCmdFast, kAcl, 0, 0, 0, ReduceCmd, "order", "0.3.0",
     "Reduce a live order's remaining quantity, keeping its time priority",
     "O(log L) where L is the number of price levels of the side.", "id qty"},
    {"order.amend", -4, kWrite | kCmdFast, kAcl, 0, 0, 0, AmendCmd, "order", "0.3.0",
     "Change a live order's price and/or remaining quantity",
     "O(log L) where L is the number of price levels of the side.", "id [PRICE price] [QTY qty]"},
    {"order.fill", -4, kCmdWrite | kCmdFast, kAcl, 0, 0, 0, FillCmd, "order", "0.3.0",
     "Apply a fill to a live order; idempotent per TRADE id",
     "O(log L) where L is the number of price levels of the side.",
     "id qty price [TRADE trade-id]"},
    {"order.open", -2, kCmdReadonly, kAcl, 0, 0, 0, OpenCmd, "order", "0.3.0",
     "List a user's live orders, oldest first",
     "O(N) where N is the number of orders returned (O(N log S) across S symbols).",
     "user [SYMBOL symbol] [LIMIT count]"},
    {"order.depth", -2, kCmdReadonly, kAcl, 0, 0, 0, DepthCmd, "order", "0.3.0",
     "Get the aggregated price levels of a symbol's book, best first",
     "O(log L + N) where N is the number of levels returned.", "symbol [levels]"},
    {"order.top", 2, kCmdReadonly | kCmdFast, kAcl, 0, 0, 0, TopCmd, "order", "0.3.0",
     "Get the best bid and ask of a symbol", "O(1)", "symbol"},
    {"order.symbol", -2, 0, kAcl, 0, 0, 0, nullptr, "order", "0.3.0",
     "A container for symbol commands", "Depends on subcommand.", "", kSymbolSubs},
    {"order.reset", 1, kCmdWrite, kAcl | kAclDangerous, 0, 0, 0, ResetCmd, "order", "0.3.0",
     "Delete every order and symbol", "O(N) where N is the number of orders.", ""},
};

}  // namespace

std::span<const CommandSpec> OrderCommands() {
  return kCommands;
}

}  // namespace ordis
