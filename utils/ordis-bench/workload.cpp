#include "workload.h"

#include <hiredis/hiredis.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace bench {
namespace {

int64_t Pow10(int e) {
  int64_t v = 1;
  while (e-- > 0) v *= 10;
  return v;
}

// A reply error that says the order is not live (or not known at all).
bool IsNotLive(std::string_view text) {
  for (std::string_view s : {"not live", "no such order", "unknown order", "not found"})
    if (text.find(s) != std::string_view::npos) return true;
  return false;
}

bool ReplyScaled(const ReplyShape& r, int64_t* v) {
  if (r.type == REDIS_REPLY_INTEGER && r.integer >= 0) {
    *v = r.integer * kScale;
    return true;
  }
  return r.type == REDIS_REPLY_STRING && ParseScaled(r.text(), v);
}

}  // namespace

bool ParseMix(std::string_view text, std::array<uint32_t, kOpCount>* mix, std::string* error) {
  mix->fill(0);
  while (!text.empty()) {
    size_t comma = text.find(',');
    std::string_view item = text.substr(0, comma);
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
    size_t eq = item.find('=');
    std::string_view name = item.substr(0, eq);
    auto it = std::find(kOpNames.begin(), kOpNames.end(), name);
    if (eq == std::string_view::npos || it == kOpNames.end()) {
      *error = "unknown operation in --mix: " + std::string(item);
      return false;
    }
    std::string num(item.substr(eq + 1));
    char* end = nullptr;
    unsigned long w = std::strtoul(num.c_str(), &end, 10);
    if (num.empty() || *end != '\0' || w > 1000000) {
      *error = "bad weight in --mix: " + std::string(item);
      return false;
    }
    (*mix)[static_cast<size_t>(it - kOpNames.begin())] = static_cast<uint32_t>(w);
  }
  uint64_t total = 0;
  for (uint32_t w : *mix) total += w;
  if (total == 0) {
    *error = "--mix has no operation with a weight";
    return false;
  }
  return true;
}

Workload::Workload(const WorkloadConfig& config) : c_(config), rng_(config.seed) {
  for (uint32_t w : c_.mix) mix_total_ += w;
  // Symbols come from their own generator: the same for a seed whatever
  // the mix or the number of users.
  Rng srng(c_.seed + 7919);
  symbols_.reserve(c_.symbols);
  for (uint32_t i = 0; i < c_.symbols; ++i) {
    char name[16];
    snprintf(name, sizeof name, "SYM%04u", i + 1);
    int digits = static_cast<int>(srng.Range(7, 13));  // of the scaled mid: 0.1 .. 99999
    int64_t tick = Pow10(digits - 5);
    int64_t mid = srng.Range(Pow10(4), Pow10(5) - 1) * tick;
    int64_t lot = Pow10(std::clamp(17 - digits, 0, 8));
    symbols_.push_back({name, mid, tick, lot});
  }
  level_offsets_.resize(1024);
  for (size_t i = 0; i < level_offsets_.size(); ++i) {
    double u = (static_cast<double>(i) + 0.5) / static_cast<double>(level_offsets_.size());
    double k = 1 + std::floor(-std::log(1 - u) * 8);
    level_offsets_[i] = static_cast<uint8_t>(std::min(k, 60.0));
  }
  if (c_.track_live) {
    live_.reserve(1 << 20);
    index_.reserve(1 << 20);
  }
}

int64_t Workload::RandomPrice(const Symbol& s, uint8_t side) {
  int64_t k = level_offsets_[rng_.Below(level_offsets_.size())];
  return side == 0 ? s.mid - k * s.tick : s.mid + k * s.tick;
}

void Workload::Place(uint32_t user, uint16_t symbol, Target target, Pending* p, std::string* out) {
  const Symbol& s = symbols_[symbol];
  p->op = Op::kPlace;
  p->user = user;
  p->symbol = symbol;
  p->side = static_cast<uint8_t>(rng_.Below(2));
  p->a = RandomPrice(s, p->side);
  p->b = s.lot * rng_.Range(1, 1000);
  Request req(Op::kPlace);
  req.AddInt(user);
  req.Add(s.name);
  req.Add(p->side == 0 ? "BUY" : "SELL");
  req.AddScaled(p->a);
  req.AddScaled(p->b);
  if (c_.cid_percent > 0 && rng_.Below(100) < static_cast<uint64_t>(c_.cid_percent)) {
    req.Add("CID");
    req.AddInt(next_cid_++);
  }
  req.Encode(target, out);
}

void Workload::NextPrefill(uint64_t i, Target target, Pending* p, std::string* out) {
  Place(static_cast<uint32_t>(i % c_.users + 1), static_cast<uint16_t>(i % c_.symbols), target, p,
        out);
}

Workload::Live* Workload::PickLive() {
  if (live_.empty()) return nullptr;
  for (int tries = 0; tries < 8; ++tries) {
    Live& o = live_[rng_.Below(live_.size())];
    if (!o.busy) return &o;
  }
  return nullptr;
}

Workload::Live* Workload::Find(uint64_t id) {
  auto it = index_.find(id);
  return it == index_.end() ? nullptr : &live_[it->second];
}

void Workload::Remove(uint64_t id) {
  auto it = index_.find(id);
  if (it == index_.end()) return;
  uint32_t pos = it->second;
  index_.erase(it);
  if (pos + 1 != live_.size()) {
    live_[pos] = live_.back();
    index_[live_[pos].id] = pos;
  }
  live_.pop_back();
}

void Workload::Next(Target target, Pending* p, std::string* out) {
  uint64_t r = rng_.Below(mix_total_);
  size_t op = 0;
  while (r >= c_.mix[op]) r -= c_.mix[op++];
  *p = Pending{};
  p->op = static_cast<Op>(op);
  switch (p->op) {
    case Op::kOpen: {
      Request req(Op::kOpen);
      req.AddInt(rng_.Range(1, c_.users));
      if (c_.open_limit > 0) {
        req.Add("LIMIT");
        req.AddInt(static_cast<uint64_t>(c_.open_limit));
      }
      req.Encode(target, out);
      return;
    }
    case Op::kDepth:
    case Op::kTop: {
      Request req(p->op);
      req.Add(symbols_[rng_.Below(symbols_.size())].name);
      if (p->op == Op::kDepth) req.AddInt(static_cast<uint64_t>(c_.depth_levels));
      req.Encode(target, out);
      return;
    }
    case Op::kPlace:
      break;
    default: {
      Live* o = PickLive();
      if (o == nullptr) break;  // nothing to act on yet: place instead
      const Symbol& s = symbols_[o->symbol];
      p->id = o->id;
      Request req(p->op);
      req.AddInt(o->id);
      if (p->op == Op::kGet) {
        req.Encode(target, out);
        return;  // reads do not make the order busy
      }
      o->busy = true;
      int64_t lots = o->remaining / s.lot;
      if (p->op == Op::kAmend) {
        uint64_t kind = rng_.Below(4);
        if (kind < 2) {
          p->a = RandomPrice(s, o->side);
          p->b = o->remaining;
          req.Add("PRICE");
          req.AddScaled(p->a);
        } else {
          p->a = o->price;
          p->b = kind == 2 && lots > 1 ? s.lot * rng_.Range(1, lots - 1)
                                       : o->remaining + s.lot * rng_.Range(1, 100);
          req.Add("QTY");
          req.AddScaled(p->b);
        }
      } else if (p->op == Op::kFill || p->op == Op::kReduce) {
        p->a = rng_.Below(2) == 0 ? o->remaining : s.lot * rng_.Range(1, lots);
        req.AddScaled(p->a);
        if (p->op == Op::kFill) {
          req.AddScaled(o->price);
          if (c_.trade_ids) {
            req.Add("TRADE");
            req.AddInt(next_trade_++);
          }
        }
      }
      req.Encode(target, out);
      return;
    }
  }
  Place(static_cast<uint32_t>(rng_.Range(1, c_.users)),
        static_cast<uint16_t>(rng_.Below(symbols_.size())), target, p, out);
}

void Workload::NoteError(const Pending& p, const ReplyShape& r) {
  if (!first_error_.empty()) return;
  first_error_ = std::string(kOpNames[static_cast<size_t>(p.op)]) + " of order " +
                 std::to_string(p.id) + ": " + std::string(r.text());
}

void Workload::OnReply(const Pending& p, const ReplyShape& r, OpStats* st) {
  if (r.type == REDIS_REPLY_ERROR) {
    if (p.op != Op::kPlace && p.id != 0 && IsNotLive(r.text())) {
      ++st->not_live;
      Remove(p.id);
      return;
    }
    ++st->errors;
    NoteError(p, r);
    if (Live* o = p.id != 0 ? Find(p.id) : nullptr) o->busy = false;
    return;
  }
  switch (p.op) {
    case Op::kPlace: {
      uint64_t id = 0;
      if (r.type == REDIS_REPLY_INTEGER && r.integer > 0) {
        id = static_cast<uint64_t>(r.integer);
      } else if (r.type == REDIS_REPLY_STRING) {
        id = std::strtoull(std::string(r.text()).c_str(), nullptr, 10);
      }
      if (id == 0 || index_.count(id) != 0) {
        ++st->mismatch;
        return;
      }
      ++st->ok;
      if (!c_.track_live) {
        ++untracked_;
        return;
      }
      index_.emplace(id, static_cast<uint32_t>(live_.size()));
      live_.push_back({id, p.a, p.b, p.user, p.symbol, p.side, false});
      return;
    }
    case Op::kOpen:
    case Op::kDepth:
    case Op::kTop:
      if (r.type != REDIS_REPLY_ARRAY) {
        ++st->mismatch;
        return;
      }
      ++st->ok;
      st->elements += static_cast<uint64_t>(p.op == Op::kOpen ? r.elements : r.inner_elements);
      return;
    case Op::kGet:
      // A live order is readable; it may have left the model meanwhile.
      if (r.type == REDIS_REPLY_ARRAY && r.elements >= 2) {
        ++st->ok;
      } else if (Find(p.id) == nullptr) {
        ++st->not_live;
      } else {
        ++st->mismatch;
      }
      return;
    case Op::kCancel:
      if (r.type == REDIS_REPLY_INTEGER && r.integer == 1) {
        ++st->ok;
      } else if (r.type == REDIS_REPLY_INTEGER && r.integer == 0) {
        ++st->not_live;
      } else {
        ++st->mismatch;
      }
      Remove(p.id);
      return;
    case Op::kAmend: {
      Live* o = Find(p.id);
      if (o == nullptr) return;
      o->busy = false;
      if (r.type != REDIS_REPLY_STATUS) {
        ++st->mismatch;
        return;
      }
      ++st->ok;
      o->price = p.a;
      o->remaining = p.b;
      return;
    }
    case Op::kFill:
    case Op::kReduce: {
      Live* o = Find(p.id);
      if (o == nullptr) return;
      o->busy = false;
      int64_t expect = o->remaining - p.a, got = -1;
      if (!ReplyScaled(r, &got) || got != expect) {
        ++st->mismatch;
        if (first_error_.empty())
          first_error_ = std::string(kOpNames[static_cast<size_t>(p.op)]) + " of order " +
                         std::to_string(p.id) + ": remaining " + std::string(r.text()) +
                         ", expected " + FormatScaled(expect);
        return;
      }
      ++st->ok;
      if (got == 0) {
        Remove(p.id);
      } else {
        o->remaining = got;
      }
      return;
    }
  }
}

}  // namespace bench
