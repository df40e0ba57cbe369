#include "check.h"

#include <hiredis/hiredis.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <memory>
#include <unordered_map>
#include <vector>

#include "common.h"

namespace bench {
namespace {

using ReplyPtr = std::unique_ptr<redisReply, decltype(&freeReplyObject)>;

// A command argument: literal text, or an order (by creation index) that
// each side names by its own id.
struct Arg {
  std::string text;
  int order = -1;
};
using Cmd = std::vector<Arg>;  // [0] is the ordis verb: ORDER.PLACE, ORDER.SYMBOL, ...

// How to normalize a reply.
enum class Shape { kPlain, kPlace, kOrder, kOrders };

struct Server {
  const char* name;
  Target target;
  redisContext* ctx = nullptr;
  std::vector<uint64_t> ids;                // creation index -> this server's id
  std::unordered_map<uint64_t, int> index;  // this server's id -> creation index

  ~Server() {
    if (ctx != nullptr) redisFree(ctx);
  }

  std::vector<std::string> Argv(const Cmd& cmd) const {
    std::vector<std::string> v;
    size_t first = 1;
    if (target == Target::kOrdis) {
      v.push_back(cmd[0].text);
    } else {
      // ORDER.X -> FCALL order_x 0; ORDER.SYMBOL SET -> order_symbol_set.
      std::string fn = "order_" + cmd[0].text.substr(6);
      if (cmd[0].text == "ORDER.SYMBOL") fn += "_" + cmd[first++].text;
      for (char& ch : fn) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      v = {"FCALL", fn, "0"};
    }
    for (size_t i = first; i < cmd.size(); ++i) {
      const Arg& a = cmd[i];
      if (a.order < 0) {
        v.push_back(a.text);
      } else {
        v.push_back(std::to_string(ids[static_cast<size_t>(a.order)]));
      }
    }
    return v;
  }

  ReplyPtr Call(const std::vector<std::string>& argv) {
    std::vector<const char*> p;
    std::vector<size_t> len;
    for (const std::string& s : argv) {
      p.push_back(s.data());
      len.push_back(s.size());
    }
    void* r = redisCommandArgv(ctx, static_cast<int>(argv.size()), p.data(), len.data());
    if (r == nullptr) {
      fprintf(stderr, "ordis-bench --check: %s: %s\n", name, ctx->errstr);
      exit(2);
    }
    return ReplyPtr(static_cast<redisReply*>(r), freeReplyObject);
  }
};

std::string Text(const redisReply* r) {
  switch (r->type) {
    case REDIS_REPLY_INTEGER:
      return std::to_string(r->integer);
    case REDIS_REPLY_STRING:
    case REDIS_REPLY_STATUS:
      return std::string(r->str, r->len);
    case REDIS_REPLY_NIL:
      return "(nil)";
    case REDIS_REPLY_ERROR:
      return "(error)";
    default:
      return "?";
  }
}

std::string Plain(const redisReply* r) {
  if (r->type != REDIS_REPLY_ARRAY) return Text(r);
  std::string s = "[";
  for (size_t i = 0; i < r->elements; ++i) {
    if (i > 0) s += ",";
    s += Plain(r->element[i]);
  }
  return s + "]";
}

// The value of `field` in an order's flat field/value array, or "(nil)".
std::string Field(const redisReply* order, std::string_view field) {
  if (order->type != REDIS_REPLY_ARRAY) return "(nil)";
  for (size_t i = 0; i + 1 < order->elements; i += 2)
    if (Text(order->element[i]) == field) return Text(order->element[i + 1]);
  return "(nil)";
}

// An order with its id as a creation index and the clock fields left out.
std::string OrderText(const redisReply* r, const Server& s) {
  if (r->type != REDIS_REPLY_ARRAY) return Text(r);
  std::string out = "{";
  for (const char* f : {"id", "user", "symbol", "side", "type", "tif", "status", "price", "qty",
                        "filled", "remaining", "quote", "cid", "expire"}) {
    std::string v = Field(r, f);
    if (std::string_view(f) == "id") {
      auto it = s.index.find(std::strtoull(v.c_str(), nullptr, 10));
      v = it == s.index.end() ? "unknown:" + v : "#" + std::to_string(it->second);
    } else if ((std::string_view(f) == "cid" || std::string_view(f) == "expire") &&
               (v.empty() || v == "0")) {
      v = "(nil)";
    }
    out += std::string(out.size() > 1 ? " " : "") + f + "=" + v;
  }
  if (Field(r, "created") == "(nil)" || Field(r, "updated") == "(nil)") out += " no-times";
  return out + "}";
}

std::string Normalize(const redisReply* r, Shape shape, const Server& s) {
  switch (shape) {
    case Shape::kPlace:
      return r->type == REDIS_REPLY_INTEGER && r->integer > 0 ? "(id)" : Plain(r);
    case Shape::kOrder:
      return OrderText(r, s);
    case Shape::kOrders: {
      if (r->type != REDIS_REPLY_ARRAY) return Text(r);
      std::string out = "[";
      for (size_t i = 0; i < r->elements; ++i) out += OrderText(r->element[i], s) + "\n ";
      return out + "]";
    }
    case Shape::kPlain:
      break;
  }
  return Plain(r);
}

std::string CmdText(const std::vector<std::string>& argv) {
  std::string s;
  for (const std::string& a : argv) s += (s.empty() ? "" : " ") + a;
  return s;
}

struct Symbol {
  std::string name;
  int64_t mid, tick, lot;  // scaled
  bool rules;              // set with ORDER.SYMBOL SET
};

// What the check knows of an order (read back from redis after each write).
struct Known {
  uint32_t user;
  size_t symbol;
  std::string cid;
  bool live;
  int64_t price, remaining;
};

class Checker {
 public:
  explicit Checker(const CheckConfig& c) : c_(c), rng_(c.seed) {
    ordis_.name = "ordis";
    ordis_.target = Target::kOrdis;
    redis_.name = "redis";
    redis_.target = Target::kRedis;
    symbols_ = {{"CHK-A", 100 * kScale, kScale / 2, kScale / 100, true},
                {"CHK-B", 27123 * kScale, kScale / 100, kScale / 10000, false},
                {"CHK.C_1", 1234567, 1, 1000, false}};
  }

  int Run() {
    if (int rc = Connect(&ordis_, c_.ordis_port); rc != 0) return rc;
    if (int rc = Connect(&redis_, c_.redis_port); rc != 0) return rc;
    if (!c_.lua.empty()) {
      std::ifstream f(c_.lua);
      std::string code((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
      ReplyPtr r = redis_.Call({"FUNCTION", "LOAD", "REPLACE", code});
      if (code.empty() || r->type == REDIS_REPLY_ERROR) {
        fprintf(stderr, "ordis-bench --check: loading %s: %s\n", c_.lua.c_str(),
                r->type == REDIS_REPLY_ERROR ? r->str : "empty file");
        return 2;
      }
    }
    ReplyPtr o = ordis_.Call({"ORDER.RESET"});
    if (o->type == REDIS_REPLY_ERROR) {
      printf("check: ordis side unavailable: ORDER.RESET -> %s\n", o->str);
      return 3;
    }
    ReplyPtr r = redis_.Call({"FCALL", "order_reset", "0"});
    if (r->type == REDIS_REPLY_ERROR) {
      printf("check: redis side unavailable (is utils/redis-orders.lua loaded?): %s\n", r->str);
      return 2;
    }
    for (const Symbol& s : symbols_) {
      if (!s.rules) continue;
      if (!Same({{"ORDER.SYMBOL"},
                 {"SET"},
                 {s.name},
                 {"TICK"},
                 {FormatScaled(s.tick)},
                 {"LOT"},
                 {FormatScaled(s.lot)}},
                Shape::kPlain))
        return 1;
    }
    for (step_ = 1; step_ <= c_.ops; ++step_) {
      if (!Step()) return 1;
      if (step_ % 100 == 0 && !CompareAll()) return 1;
    }
    if (!CompareAll()) return 1;
    printf("check: %d operations and %llu comparisons, every reply equal (%zu orders, seed %llu)\n",
           c_.ops, static_cast<unsigned long long>(compared_), known_.size(),
           static_cast<unsigned long long>(c_.seed));
    return 0;
  }

 private:
  int Connect(Server* s, int port) {
    timeval tv{5, 0};
    s->ctx = redisConnectWithTimeout(c_.host.c_str(), port, tv);
    if (s->ctx == nullptr || s->ctx->err) {
      fprintf(stderr, "ordis-bench --check: cannot connect to %s at %s:%d: %s\n", s->name,
              c_.host.c_str(), port, s->ctx ? s->ctx->errstr : "out of memory");
      return 2;
    }
    return 0;
  }

  // Sends cmd to both servers and compares the normalized replies. On a
  // match the replies stay in last_ordis_/last_redis_.
  bool Same(const Cmd& cmd, Shape shape) {
    std::vector<std::string> oa = ordis_.Argv(cmd), ra = redis_.Argv(cmd);
    last_ordis_ = ordis_.Call(oa);
    last_redis_ = redis_.Call(ra);
    ++compared_;
    std::string on = Normalize(last_ordis_.get(), shape, ordis_);
    std::string rn = Normalize(last_redis_.get(), shape, redis_);
    if (c_.verbose) printf("%d %s -> %s\n", step_, CmdText(oa).c_str(), on.c_str());
    if (on == rn) return true;
    printf("check: MISMATCH at step %d (seed %llu)\n  ordis: %s\n    -> %s\n", step_,
           static_cast<unsigned long long>(c_.seed), CmdText(oa).c_str(), on.c_str());
    if (last_ordis_->type == REDIS_REPLY_ERROR) printf("    (%s)\n", last_ordis_->str);
    printf("  redis: %s\n    -> %s\n", CmdText(ra).c_str(), rn.c_str());
    if (last_redis_->type == REDIS_REPLY_ERROR) printf("    (%s)\n", last_redis_->str);
    return false;
  }

  // Reads an order back on both sides and refreshes what the check knows.
  bool Refresh(int order) {
    if (!Same({{"ORDER.GET"}, {"", order}}, Shape::kOrder)) return false;
    Known& k = known_[static_cast<size_t>(order)];
    std::string status = Field(last_redis_.get(), "status");
    k.live = status == "NEW" || status == "PARTIALLY_FILLED";
    ParseScaled(Field(last_redis_.get(), "price"), &k.price);
    ParseScaled(Field(last_redis_.get(), "remaining"), &k.remaining);
    return true;
  }

  // Reads back every order of a user the check believes live.
  bool RefreshUser(uint32_t user) {
    for (size_t i = 0; i < known_.size(); ++i)
      if (known_[i].user == user && known_[i].live && !Refresh(static_cast<int>(i))) return false;
    return true;
  }

  std::string Price(const Symbol& s, bool buy) {
    int64_t k = rng_.Range(1, 8);
    return FormatScaled(buy ? s.mid - k * s.tick : s.mid + k * s.tick);
  }

  int Pick(bool live_only) {
    if (known_.empty()) return -1;
    for (int tries = 0; tries < 20; ++tries) {
      int i = static_cast<int>(rng_.Below(known_.size()));
      if (!live_only || known_[static_cast<size_t>(i)].live) return i;
    }
    return -1;
  }

  bool Place() {
    uint32_t user = static_cast<uint32_t>(rng_.Range(1, 6));
    size_t si = rng_.Below(symbols_.size());
    const Symbol& s = symbols_[si];
    bool buy = rng_.Below(2) == 0;
    Cmd cmd = {{"ORDER.PLACE"}, {std::to_string(user)},
               {s.name},        {buy ? "BUY" : "SELL"},
               {Price(s, buy)}, {FormatScaled(s.lot * rng_.Range(1, 6))}};
    std::string cid;
    uint64_t r = rng_.Below(100);
    if (r < 20) {
      cid = "c" + std::to_string(rng_.Below(40));  // collisions with live CIDs happen
      cmd.insert(cmd.end(), {{"CID"}, {cid}});
    } else if (r < 25) {
      int64_t ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count() +
                   3600000 + step_;
      cmd.insert(cmd.end(), {{"TIF"}, {"GTD"}, {"EXPIRE"}, {std::to_string(ms)}});
    } else if (r < 30) {
      cmd.insert(cmd.end(), {{"TYPE"}, {"LIMIT_MAKER"}, {"TIF"}, {"IOC"}});
    } else if (r < 32) {
      cmd.insert(cmd.end(), {{"ID"}, {std::to_string(900000 + step_)}});
    } else if (r < 37) {
      // Bad input: both must refuse it.
      const char* bad[][2] = {{"0", "1"}, {"1", "-2"},    {"1.123456789", "1"},
                              {"x", "1"}, {"100.3", "1"}, {"100", "0.001"}};
      auto& b = bad[rng_.Below(6)];
      cmd[4].text = b[0];
      cmd[5].text = b[1];
      cmd[2].text = "CHK-A";
    }
    if (!Same(cmd, Shape::kPlace)) return false;
    if (last_ordis_->type != REDIS_REPLY_INTEGER) return true;
    int order = static_cast<int>(known_.size());
    ordis_.ids.push_back(static_cast<uint64_t>(last_ordis_->integer));
    ordis_.index[static_cast<uint64_t>(last_ordis_->integer)] = order;
    redis_.ids.push_back(static_cast<uint64_t>(last_redis_->integer));
    redis_.index[static_cast<uint64_t>(last_redis_->integer)] = order;
    known_.push_back({user, si, cid, true, 0, 0});
    return Refresh(order);
  }

  bool Step() {
    uint64_t r = rng_.Below(100);
    int live = Pick(true);
    int any = Pick(false);
    Arg unknown{"987654321012"};
    if (r < 30 || live < 0) return Place();
    Arg target = rng_.Below(10) < 8 ? Arg{"", live} : rng_.Below(2) ? Arg{"", any} : unknown;
    // Prices and quantities derive from the order acted on (from a live one
    // when the target is unknown).
    const Known& k = known_[static_cast<size_t>(target.order >= 0 ? target.order : live)];
    const Symbol& s = symbols_[k.symbol];
    int touched = target.order;
    bool ok = true;
    if (r < 38) {
      ok = Same({{"ORDER.GET"}, rng_.Below(8) ? Arg{"", any} : unknown}, Shape::kOrder);
    } else if (r < 41) {
      const Known& a = known_[static_cast<size_t>(any)];
      ok = Same({{"ORDER.GETCID"}, {std::to_string(a.user)}, {a.cid.empty() ? "c1" : a.cid}},
                Shape::kOrder);
    } else if (r < 47) {
      ok = Same({{"ORDER.CANCEL"}, target}, Shape::kPlain);
    } else if (r < 49) {
      const Known& a = known_[static_cast<size_t>(any)];
      ok = Same({{"ORDER.CANCELCID"}, {std::to_string(a.user)}, {a.cid.empty() ? "c2" : a.cid}},
                Shape::kPlain) &&
           RefreshUser(a.user);
    } else if (r < 50) {
      Cmd cmd = {{"ORDER.CANCELALL"}, {std::to_string(k.user)}};
      if (rng_.Below(2)) cmd.insert(cmd.end(), {{"SYMBOL"}, {s.name}});
      ok = Same(cmd, Shape::kPlain) && RefreshUser(k.user);
    } else if (r < 56) {
      int64_t lots = std::max<int64_t>(1, k.remaining / s.lot);
      int64_t q = rng_.Below(10) == 0 ? k.remaining + s.lot : s.lot * rng_.Range(1, lots);
      ok = Same({{"ORDER.REDUCE"}, target, {FormatScaled(q)}}, Shape::kPlain);
    } else if (r < 66) {
      Cmd cmd = {{"ORDER.AMEND"}, target};
      uint64_t kind = rng_.Below(5);  // 0: PRICE, 1: QTY, else both
      if (kind != 1) {
        // Sometimes its own price (no move), else a few ticks away.
        int64_t p = rng_.Below(4) == 0 ? k.price : k.price + s.tick * rng_.Range(-3, 3);
        p = std::max(p, s.tick);
        cmd.insert(cmd.end(), {{"PRICE"}, {FormatScaled(p)}});
      }
      if (kind >= 1) {
        int64_t q = k.remaining + s.lot * rng_.Range(-2, 2);
        cmd.insert(cmd.end(), {{"QTY"}, {FormatScaled(std::max(q, s.lot))}});
      }
      ok = Same(cmd, Shape::kPlain);
    } else if (r < 78) {
      int64_t lots = std::max<int64_t>(1, k.remaining / s.lot);
      int64_t q = rng_.Below(3) == 0 ? k.remaining : s.lot * rng_.Range(1, lots);
      if (rng_.Below(20) == 0) q = k.remaining + s.lot;
      int64_t p = k.price + s.tick * rng_.Range(0, 2);
      Cmd cmd = {{"ORDER.FILL"}, target, {FormatScaled(q)}, {FormatScaled(p)}};
      if (!trades_.empty() && rng_.Below(10) == 0) {
        cmd = trades_[rng_.Below(trades_.size())];  // an engine retrying a trade
        touched = cmd[1].order;
      } else if (rng_.Below(10) < 6) {
        cmd.insert(cmd.end(), {{"TRADE"}, {std::to_string(step_)}});
      }
      ok = Same(cmd, Shape::kPlain);
      if (ok && cmd.size() == 6 && cmd[1].order >= 0 && last_ordis_->type != REDIS_REPLY_ERROR)
        trades_.push_back(cmd);
    } else if (r < 86) {
      Cmd cmd = {{"ORDER.OPEN"}, {std::to_string(rng_.Range(1, 6))}};
      if (rng_.Below(3) == 0) cmd.insert(cmd.end(), {{"SYMBOL"}, {s.name}});
      if (rng_.Below(3) == 0)
        cmd.insert(cmd.end(), {{"LIMIT"}, {std::to_string(rng_.Range(1, 4))}});
      return Same(cmd, Shape::kOrders);
    } else if (r < 94) {
      Cmd cmd = {{"ORDER.DEPTH"}, {s.name}};
      if (rng_.Below(2)) cmd.push_back({std::to_string(rng_.Range(1, 5))});
      return Same(cmd, Shape::kPlain);
    } else {
      return Same({{"ORDER.TOP"}, {s.name}}, Shape::kPlain);
    }
    if (ok && touched >= 0) ok = Refresh(touched);
    return ok;
  }

  bool CompareAll() {
    for (int u = 1; u <= 6; ++u)
      if (!Same({{"ORDER.OPEN"}, {std::to_string(u)}}, Shape::kOrders)) return false;
    for (const Symbol& s : symbols_) {
      if (!Same({{"ORDER.DEPTH"}, {s.name}, {"1000"}}, Shape::kPlain)) return false;
      if (!Same({{"ORDER.TOP"}, {s.name}}, Shape::kPlain)) return false;
    }
    return true;
  }

  const CheckConfig& c_;
  Rng rng_;
  Server ordis_, redis_;
  std::vector<Symbol> symbols_;
  std::vector<Known> known_;
  std::vector<Cmd> trades_;
  ReplyPtr last_ordis_{nullptr, freeReplyObject};
  ReplyPtr last_redis_{nullptr, freeReplyObject};
  int step_ = 0;
  uint64_t compared_ = 0;
};

}  // namespace

int RunCheck(const CheckConfig& config) {
  Checker checker(config);
  return checker.Run();
}

}  // namespace bench
