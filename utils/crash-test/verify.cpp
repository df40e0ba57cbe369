#include "verify.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>

namespace crash {

void VerifyResult::Note(const std::string& category, std::string m) {
  Tally& t = tally[category];
  ++t.items;
  if (t.items <= 4 && messages.size() < 40) messages.push_back(std::move(m));
}

void VerifyResult::Lost(const std::string& category, int64_t writes, std::string m) {
  lost += writes;
  tally[category].lost += writes;
  Note(category, std::move(m));
}

void VerifyResult::Mismatch(const std::string& category, std::string m) {
  ++mismatched;
  Note(category, std::move(m));
}

std::string VerifyResult::Summary() const {
  std::string s;
  for (const auto& [category, t] : tally) {
    if (!s.empty()) s += ", ";
    s += std::to_string(t.items) + " " + category + (t.items == 1 ? "" : "s");
    if (t.lost) s += " (" + std::to_string(t.lost) + " writes lost)";
  }
  return s;
}

std::string PreloadKey(int64_t i) {
  return "ct:pre:" + std::to_string(i);
}

std::string PreloadValue(uint64_t seed, int64_t i) {
  Rng rng(seed * 1000003 + static_cast<uint64_t>(i) + 1);
  std::string v(100, ' ');
  for (char& c : v) c = static_cast<char>('!' + rng.Below(94));
  return v;
}

namespace {

// Unsigned decimal text with at most `digits` fractional digits, scaled.
template <typename T>
bool ParseFixed(std::string_view s, int digits, T* out) {
  T v = 0;
  size_t i = 0;
  bool any = false;
  for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i, any = true) v = v * 10 + (s[i] - '0');
  int frac = 0;
  if (i < s.size() && s[i] == '.') {
    for (++i; i < s.size() && s[i] >= '0' && s[i] <= '9' && frac < digits; ++i, ++frac)
      v = v * 10 + (s[i] - '0');
    if (frac == 0) return false;
  }
  if (!any || i != s.size()) return false;
  for (; frac < digits; ++frac) v *= 10;
  *out = v;
  return true;
}

std::string Str(const redisReply* r) {
  return r && r->type == REDIS_REPLY_STRING ? std::string(r->str, r->len) : std::string();
}

struct ServerOrder {
  OrderState state;
  int64_t created_us = 0;
  int64_t updated_us = 0;
};

// An ORDER.GET / GETCID reply (RESP2: flat field/value array). "" or why
// it is not a well-formed order.
std::string ParseOrder(const redisReply* r, ServerOrder* out) {
  *out = ServerOrder{};
  if (!r) return "connection lost";
  if (r->type == REDIS_REPLY_NIL) return "";
  if (r->type != REDIS_REPLY_ARRAY || r->elements % 2 != 0) return "not an order: " + ReplyText(r);
  std::map<std::string, const redisReply*> f;
  for (size_t i = 0; i + 1 < r->elements; i += 2) f[Str(r->element[i])] = r->element[i + 1];
  auto integer = [&](const char* name, int64_t* v) {
    auto it = f.find(name);
    if (it == f.end() || it->second->type != REDIS_REPLY_INTEGER) return false;
    *v = it->second->integer;
    return true;
  };
  OrderState& s = out->state;
  s.exists = true;
  int64_t id = 0, user = 0;
  if (!integer("id", &id) || !integer("user", &user) || !integer("created", &out->created_us) ||
      !integer("updated", &out->updated_us))
    return "order reply without id/user/created/updated: " + ReplyText(r);
  s.id = static_cast<uint64_t>(id);
  s.user = static_cast<uint64_t>(user);
  s.symbol = Str(f["symbol"]);
  s.side = Str(f["side"]);
  s.type = Str(f["type"]);
  s.tif = Str(f["tif"]);
  std::string status = Str(f["status"]);
  if (status == "NEW") {
    s.status = Status::kNew;
  } else if (status == "PARTIALLY_FILLED") {
    s.status = Status::kPartiallyFilled;
  } else if (status == "FILLED") {
    s.status = Status::kFilled;
  } else if (status == "CANCELED") {
    s.status = Status::kCanceled;
  } else {
    return "order " + std::to_string(id) + " has status '" + status + "'";
  }
  if (!ParseFixed(Str(f["price"]), 8, &s.price) || !ParseFixed(Str(f["filled"]), 8, &s.filled) ||
      !ParseFixed(Str(f["remaining"]), 8, &s.remaining) ||
      !ParseFixed(Str(f["quote"]), 16, &s.quote))
    return "order " + std::to_string(id) + " has a malformed amount";
  int64_t qty = 0;
  if (!ParseFixed(Str(f["qty"]), 8, &qty) || qty != s.filled + s.remaining)
    return "order " + std::to_string(id) + ": qty is not filled + remaining";
  if (f.count("cid") && f["cid"]->type == REDIS_REPLY_STRING) s.cid = Str(f["cid"]);
  if (f.count("expire") && f["expire"]->type == REDIS_REPLY_INTEGER)
    s.expire_ms = f["expire"]->integer;
  return "";
}

// Whether the in-doubt operation's effect on one item is visible.
enum class Vote { kApplied, kNotApplied, kAmbiguous, kNeither };

template <typename T>
Vote VoteOn(const T& server, const T& current, const T& if_applied) {
  if (server == if_applied && server == current) return Vote::kAmbiguous;
  if (server == if_applied) return Vote::kApplied;
  if (server == current) return Vote::kNotApplied;
  return Vote::kNeither;
}

// Compares an item with its history (applied in-doubt effect included).
// Returns true when the server shows the latest state.
template <typename T, typename Describe>
bool CompareItem(const std::string& category, const std::string& what, const T& server,
                 const std::vector<T>& history, bool server_absent, Describe describe,
                 VerifyResult* res) {
  int64_t last = static_cast<int64_t>(history.size()) - 1;
  int64_t match = -1;
  for (int64_t i = last; i >= 0; --i) {
    if (history[static_cast<size_t>(i)] == server) {
      match = i;
      break;
    }
  }
  if (match == last) return true;
  const T& want = history.back();
  if (match >= 0) {
    res->Lost(category, last - match,
              what + ": lost " + std::to_string(last - match) + " of " + std::to_string(last) +
                  " acknowledged writes since the last check; expected " + describe(want) +
                  ", server has " + describe(server));
  } else if (server_absent) {
    res->Lost(category, std::max<int64_t>(1, last), what + ": missing; expected " + describe(want));
  } else {
    res->Mismatch(category, what + ": expected " + describe(want) + ", server has " +
                                describe(server) + " (no acknowledged state of it)");
  }
  return false;
}

std::string DescribeValue(const std::optional<std::string>& v) {
  if (!v) return "(absent)";
  std::string s;
  for (size_t i = 0; i < v->size() && i < 24; ++i) {
    unsigned char c = static_cast<unsigned char>((*v)[i]);
    if (c >= 0x20 && c < 0x7f) {
      s += static_cast<char>(c);
    } else {
      char b[8];
      snprintf(b, sizeof b, "\\x%02x", c);
      s += b;
    }
  }
  if (v->size() > 24) s += "...";
  return "\"" + s + "\" (" + std::to_string(v->size()) + " bytes)";
}

using Levels = std::vector<std::string>;  // "price qty count" per level, best first

Levels ParseLevels(const redisReply* r) {
  Levels out;
  if (!r || r->type != REDIS_REPLY_ARRAY) return {"(malformed)"};
  for (size_t i = 0; i < r->elements; ++i) {
    const redisReply* l = r->element[i];
    if (l->type != REDIS_REPLY_ARRAY || l->elements != 3) return {"(malformed)"};
    out.push_back(Str(l->element[0]) + " " + Str(l->element[1]) + " " +
                  std::to_string(l->element[2]->integer));
  }
  return out;
}

Levels ModelLevels(const std::vector<ModelOrder>& orders, const std::string& symbol, bool buy) {
  std::map<int64_t, std::pair<int64_t, int64_t>> by_price;  // price -> (qty, count)
  for (const ModelOrder& o : orders) {
    if (!o.cur.live() || o.cur.symbol != symbol || (o.cur.side == "BUY") != buy) continue;
    auto& l = by_price[o.cur.price];
    l.first += o.cur.remaining;
    ++l.second;
  }
  Levels out;
  for (const auto& [price, l] : by_price)
    out.push_back(FormatScaled(price) + " " + FormatScaled(l.first) + " " +
                  std::to_string(l.second));
  if (buy) std::reverse(out.begin(), out.end());
  return out;
}

std::string Join(const Levels& l) {
  std::string s = "[";
  for (const std::string& x : l) s += (s.size() > 1 ? ", " : "") + x;
  return s + "]";
}

void VerifyClient(Conn& c, ClientModel& m, const VerifyOptions& o, VerifyResult* res) {
  std::vector<KeyModel>& keys = m.keys();
  const std::string who = "client " + std::to_string(m.index());
  const Operation* p = m.pending ? &*m.pending : nullptr;
  int64_t before = res->lost + res->mismatched;

  std::vector<std::string> mget = {"MGET"};
  for (const KeyModel& k : keys) mget.push_back(k.name);
  c.Append(mget);
  size_t norders = m.orders().size();
  if (o.orders) {
    if (p && p->place) c.Append({"ORDER.GETCID", std::to_string(p->placed.user), p->placed.cid});
    for (const ModelOrder& mo : m.orders()) c.Append({"ORDER.GET", std::to_string(mo.cur.id)});
  }

  // Read every reply before judging any, so the connection stays in step.
  Reply keys_reply = c.Get();
  Reply placed_reply;
  if (o.orders && p && p->place) placed_reply = c.Get();
  std::vector<Reply> order_replies;
  if (o.orders)
    for (size_t i = 0; i < norders; ++i) order_replies.push_back(c.Get());

  if (!keys_reply || keys_reply->type != REDIS_REPLY_ARRAY || keys_reply->elements != keys.size()) {
    res->Mismatch("reply", who + ": MGET answered " + ReplyText(keys_reply.get()));
    return;
  }
  std::vector<std::optional<std::string>> sk;
  for (size_t i = 0; i < keys.size(); ++i) {
    const redisReply* e = keys_reply->element[i];
    if (e->type == REDIS_REPLY_STRING) {
      sk.emplace_back(std::string(e->str, e->len));
    } else {
      sk.emplace_back(std::nullopt);
    }
  }
  ServerOrder placed;
  std::vector<ServerOrder> so(norders);
  bool orders_ok = true;
  if (placed_reply) {
    std::string err = ParseOrder(placed_reply.get(), &placed);
    if (!err.empty()) {
      res->Mismatch("reply", who + ": ORDER.GETCID: " + err);
      orders_ok = false;
    }
  }
  for (size_t i = 0; i < order_replies.size(); ++i) {
    std::string err = ParseOrder(order_replies[i].get(), &so[i]);
    if (!err.empty()) {
      res->Mismatch("reply", who + ": ORDER.GET: " + err);
      orders_ok = false;
    }
  }
  if (!orders_ok) return;

  // Settle the in-doubt operation: all of its effects or none.
  if (p) {
    ++res->in_doubt;
    bool yes = false, no = false;
    for (const auto& [k, v] : p->keys) {
      Vote vote = VoteOn(sk[k], keys[k].cur, v);
      yes |= vote == Vote::kApplied;
      no |= vote == Vote::kNotApplied;
    }
    for (const auto& [i, s] : p->orders) {
      Vote vote = VoteOn(so[i].state, m.orders()[i].cur, s);
      yes |= vote == Vote::kApplied;
      no |= vote == Vote::kNotApplied;
    }
    if (p->place) {
      if (placed.state.exists) {
        OrderState want = p->placed;
        want.id = placed.state.id;
        if (!(placed.state == want)) {
          res->Mismatch("in-doubt operation", who + ": in-doubt " + p->Text() + ": server has " +
                                                  placed.state.Describe() + ", expected " +
                                                  want.Describe());
          return;
        }
        yes = true;
      } else {
        no = true;
      }
    }
    if (yes && no) {
      res->Mismatch("in-doubt operation", who + ": in-doubt " + p->Text() + " applied in part");
      return;
    }
    res->doubts.push_back(who + ": " + p->Text() + ": " +
                          (yes  ? "applied"
                           : no ? "not applied"
                                : "no visible effect"));
    if (yes) {
      ++res->in_doubt_applied;
      m.Apply(*p, placed.state.id);
      if (p->place) so.push_back(placed);
    }
    m.pending.reset();
  }

  for (size_t i = 0; i < keys.size(); ++i)
    CompareItem("key", who + " key " + keys[i].name, sk[i], keys[i].history, !sk[i].has_value(),
                DescribeValue, res);
  if (!o.orders) return;

  std::vector<ModelOrder>& orders = m.orders();
  std::set<uint64_t> ids;
  for (size_t i = 0; i < orders.size(); ++i) {
    ModelOrder& mo = orders[i];
    const ServerOrder& s = so[i];
    std::string what = who + " order " + std::to_string(mo.cur.id);
    if (!ids.insert(mo.cur.id).second) {
      res->Mismatch("order id", what + ": the server gave this id twice");
    }
    if (!mo.history.front().exists && mo.cur.id <= o.max_id_before) {
      res->Mismatch("order id", what + ": a new order got an id not above " +
                                    std::to_string(o.max_id_before) +
                                    " (ids reused after recovery)");
    }
    res->max_id = std::max(res->max_id, mo.cur.id);
    if (!CompareItem(
            "order", what, s.state, mo.history, !s.state.exists,
            [](const OrderState& x) { return x.Describe(); }, res))
      continue;
    if (!s.state.exists || !o.check_times) continue;
    bool changed = mo.history.size() > 1;
    if (mo.created_us != 0 && (s.created_us != mo.created_us || s.updated_us < mo.updated_us ||
                               (!changed && s.updated_us != mo.updated_us))) {
      res->Mismatch("order time",
                    what + ": times changed across the restart: created " +
                        std::to_string(mo.created_us) + " -> " + std::to_string(s.created_us) +
                        ", updated " + std::to_string(mo.updated_us) + " -> " +
                        std::to_string(s.updated_us) + (changed ? "" : " (no write since)"));
    } else if (s.updated_us < s.created_us) {
      res->Mismatch("order time", what + ": updated before created");
    }
    mo.created_us = s.created_us;
    mo.updated_us = s.updated_us;
  }
  // The indexes: OPEN and DEPTH must agree with the orders (only when the
  // orders themselves did, so one lost write is not counted three times).
  if (res->lost + res->mismatched != before) return;
  for (uint64_t user : m.users()) {
    c.Append({"ORDER.OPEN", std::to_string(user)});
  }
  for (const std::string& sym : m.symbols()) c.Append({"ORDER.DEPTH", sym, "1000"});
  for (uint64_t user : m.users()) {
    Reply r = c.Get();
    std::vector<uint64_t> got, want;
    if (!r || r->type != REDIS_REPLY_ARRAY) {
      res->Mismatch("reply",
                    who + ": ORDER.OPEN " + std::to_string(user) + ": " + ReplyText(r.get()));
      continue;
    }
    for (size_t i = 0; i < r->elements; ++i) {
      ServerOrder x;
      if (ParseOrder(r->element[i], &x).empty()) got.push_back(x.state.id);
    }
    for (const ModelOrder& mo : orders)
      if (mo.cur.live() && mo.cur.user == user) want.push_back(mo.cur.id);
    std::sort(want.begin(), want.end());  // ids grow with creation time: oldest first
    if (got != want) {
      std::string g, w;
      for (uint64_t x : got) g += " " + std::to_string(x);
      for (uint64_t x : want) w += " " + std::to_string(x);
      res->Mismatch("OPEN list", who + ": ORDER.OPEN " + std::to_string(user) + " lists [" + g +
                                     " ], expected [" + w + " ]");
    }
  }
  for (const std::string& sym : m.symbols()) {
    Reply r = c.Get();
    if (!r || r->type != REDIS_REPLY_ARRAY || r->elements != 2) {
      res->Mismatch("reply", who + ": ORDER.DEPTH " + sym + ": " + ReplyText(r.get()));
      continue;
    }
    for (int side = 0; side < 2; ++side) {
      Levels got = ParseLevels(r->element[side]);
      Levels want = ModelLevels(orders, sym, side == 0);
      if (got != want) {
        res->Mismatch("DEPTH side", who + ": ORDER.DEPTH " + sym +
                                        (side == 0 ? " bids " : " asks ") + Join(got) +
                                        ", expected " + Join(want));
      }
    }
  }
}

}  // namespace

VerifyResult Verify(Conn& c, std::vector<ClientModel>& clients, const VerifyOptions& o) {
  VerifyResult res;
  for (ClientModel& m : clients) {
    if (!m.desync.empty()) continue;  // counted when it happened; reset follows
    VerifyClient(c, m, o, &res);
    if (!c.ok()) {
      res.Mismatch("reply", "connection lost during verification: " + c.error());
      return res;
    }
  }
  // Order ids are global: no two clients may hold the same one.
  std::map<uint64_t, int> owner;
  for (ClientModel& m : clients) {
    for (const ModelOrder& mo : m.orders()) {
      auto [it, fresh] = owner.emplace(mo.cur.id, m.index());
      if (!fresh && it->second != m.index()) {
        res.Mismatch("order id", "order id " + std::to_string(mo.cur.id) +
                                     " was given to clients " + std::to_string(it->second) +
                                     " and " + std::to_string(m.index()));
      }
    }
  }
  // Preloaded keys, then the key count (no key from nowhere).
  for (int64_t base = 0; base < o.preload; base += 1000) {
    std::vector<std::string> argv = {"MGET"};
    int64_t end = std::min(o.preload, base + 1000);
    for (int64_t i = base; i < end; ++i) argv.push_back(PreloadKey(i));
    Reply r = c.Command(argv);
    if (!r || r->type != REDIS_REPLY_ARRAY || r->elements != static_cast<size_t>(end - base)) {
      res.Mismatch("reply", "MGET of preloaded keys: " + ReplyText(r.get()));
      return res;
    }
    for (int64_t i = base; i < end; ++i) {
      const redisReply* e = r->element[i - base];
      if (e->type != REDIS_REPLY_STRING) {
        res.Lost("preloaded key", 1, "preloaded key " + PreloadKey(i) + " is missing");
      } else if (std::string_view(e->str, e->len) != PreloadValue(o.seed, i)) {
        res.Mismatch("preloaded key", "preloaded key " + PreloadKey(i) + " has a different value");
      }
    }
  }
  int64_t want = o.preload;
  for (ClientModel& m : clients)
    for (const KeyModel& k : m.keys()) want += k.cur ? 1 : 0;
  Reply r = c.Command({"DBSIZE"});
  bool desync = false;
  for (ClientModel& m : clients) desync |= !m.desync.empty();
  if (!desync && res.lost + res.mismatched == 0 &&
      (!r || r->type != REDIS_REPLY_INTEGER || r->integer != want)) {
    res.Mismatch("key count",
                 "DBSIZE is " + ReplyText(r.get()) + ", expected " + std::to_string(want));
  }
  if (res.lost + res.mismatched == 0 && !desync)
    for (ClientModel& m : clients) m.Settle();
  return res;
}

}  // namespace crash
