#include "kv/string_ops.h"

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <memory>

#include "util/strutil.h"

namespace ordis {

namespace {

// Redis's embstr/raw boundary: OBJECT ENCODING reports "embstr" up to here.
constexpr size_t kEmbstrMax = 44;

size_t DecimalLength(int64_t v) {
  uint64_t u = v < 0 ? 0 - static_cast<uint64_t>(v) : static_cast<uint64_t>(v);
  size_t n = v < 0 ? 2 : 1;
  while (u >= 10) {
    u /= 10;
    ++n;
  }
  return n;
}

size_t ValueLength(const Entry* e) {
  return e->enc == Encoding::kInt ? DecimalLength(e->int_value()) : e->val_len;
}

// True if a value of `size` + `add` bytes is not allowed. Entries store
// lengths in 32 bits, so that is a hard cap even when max_len is larger.
bool TooLong(uint64_t size, uint64_t add, int64_t max_len) {
  unsigned __int128 total = static_cast<unsigned __int128>(size) + add;
  return total > static_cast<unsigned __int128>(max_len) || total > UINT32_MAX;
}

// Overwriting in place keeps OBJECT ENCODING right unless a short value
// would land out of line (Redis reports such values as "embstr").
bool CanOverwriteInPlace(const Entry* e, std::string_view value) {
  int64_t iv;
  if (LooksLikeInt(value, &iv)) return true;
  return value.size() > kEmbstrMax || value.size() <= e->inline_capacity();
}

}  // namespace

Entry* StringOps::FindWrite(std::string_view key) {
  return db_.FindWrite(key);
}

OpResult<std::string_view> StringOps::Get(std::string_view key, std::string* scratch) {
  Entry* e = db_.Find(key);
  if (!e) return OpStatus::kNotFound;
  if (!e->is_string()) return OpStatus::kWrongType;
  return e->str(scratch);
}

OpResult<SetOutcome> StringOps::Set(std::string_view key, std::string_view value,
                                    const SetOptions& opt) {
  SetOutcome out;
  if (opt.get) {
    // SET ... GET reads the old value the way GET does (a read lookup).
    std::string scratch;
    auto old = Get(key, &scratch);
    if (old.status() == OpStatus::kWrongType) return OpStatus::kWrongType;
    if (old.ok()) out.old.emplace(*old);
  }
  Entry* e = FindWrite(key);
  if ((opt.cond == SetOptions::kIfMissing && e) || (opt.cond == SetOptions::kIfExists && !e))
    return out;
  if (e && CanOverwriteInPlace(e, value)) {
    SetStringValue(e, value);
    if (!opt.keep_ttl) db_.Persist(e);
  } else {
    e = NewStringEntry(key, value);
    db_.Set(e, opt.keep_ttl);
  }
  if (opt.expire_at_ms >= 0) db_.SetExpire(e, opt.expire_at_ms);
  out.applied = true;
  return out;
}

OpStatus StringOps::MSet(std::span<const std::string_view> kv, bool nx) {
  if (nx) {
    for (size_t i = 0; i + 1 < kv.size(); i += 2)
      if (FindWrite(kv[i])) return OpStatus::kExists;
  }
  for (size_t i = 0; i + 1 < kv.size(); i += 2) {
    auto r = Set(kv[i], kv[i + 1], SetOptions{});
    (void)r;  // cannot fail without GET
  }
  return OpStatus::kOk;
}

OpResult<std::string> StringOps::GetDel(std::string_view key) {
  std::string scratch;
  auto v = Get(key, &scratch);
  if (!v.ok()) return v.status();
  std::string copy(*v);
  bool deleted = db_.Delete(key);
  (void)deleted;  // just found, so present
  return copy;
}

bool StringOps::ApplyTtl(std::string_view key, TtlAction action, int64_t when_ms) {
  Entry* e = db_.FindQuiet(key);
  if (!e) return false;
  switch (action) {
    case TtlAction::kNone:
      return false;
    case TtlAction::kPersist:
      return db_.Persist(e);
    case TtlAction::kExpireAt:
      if (when_ms <= kctx_.now_ms) return db_.Delete(key);
      db_.SetExpire(e, when_ms);
      return true;
  }
  return false;
}

OpResult<int64_t> StringOps::Append(std::string_view key, std::string_view value) {
  Entry* e = FindWrite(key);
  if (!e) {
    db_.Add(NewStringEntry(key, value));
    return static_cast<int64_t>(value.size());
  }
  if (!e->is_string()) return OpStatus::kWrongType;
  size_t old = ValueLength(e);
  if (TooLong(old, value.size(), max_len_)) return OpStatus::kTooBig;
  char* p = ResizeString(e, old + value.size());
  if (!value.empty()) std::memcpy(p + old, value.data(), value.size());
  return static_cast<int64_t>(old + value.size());
}

OpResult<int64_t> StringOps::Strlen(std::string_view key) {
  Entry* e = db_.Find(key);
  if (!e) return int64_t{0};
  if (!e->is_string()) return OpStatus::kWrongType;
  return static_cast<int64_t>(ValueLength(e));
}

OpResult<std::string_view> StringOps::GetRange(std::string_view key, int64_t start, int64_t end,
                                               std::string* scratch) {
  auto v = Get(key, scratch);
  if (v.status() == OpStatus::kNotFound) return std::string_view();
  if (!v.ok()) return v.status();
  std::string_view s = *v;
  auto n = static_cast<int64_t>(s.size());
  if (start < 0 && end < 0 && start > end) return std::string_view();
  if (start < 0) start += n;
  if (end < 0) end += n;
  if (start < 0) start = 0;
  if (end < 0) end = 0;
  if (end >= n) end = n - 1;
  if (start > end || n == 0) return std::string_view();
  return s.substr(static_cast<size_t>(start), static_cast<size_t>(end - start + 1));
}

OpResult<int64_t> StringOps::SetRange(std::string_view key, int64_t offset, std::string_view value,
                                      bool* changed) {
  *changed = false;
  auto off = static_cast<uint64_t>(offset);
  Entry* e = FindWrite(key);
  if (!e) {
    if (value.empty()) return int64_t{0};
    if (TooLong(off, value.size(), max_len_)) return OpStatus::kTooBig;
    e = NewStringEntry(key, "");
    char* p = ResizeString(e, off + value.size());
    std::memcpy(p + off, value.data(), value.size());
    db_.Add(e);
    *changed = true;
    return static_cast<int64_t>(off + value.size());
  }
  if (!e->is_string()) return OpStatus::kWrongType;
  size_t len = ValueLength(e);
  if (value.empty()) return static_cast<int64_t>(len);
  if (TooLong(off, value.size(), max_len_)) return OpStatus::kTooBig;
  size_t new_len = std::max<size_t>(len, off + value.size());
  char* p = ResizeString(e, new_len);
  std::memcpy(p + off, value.data(), value.size());
  *changed = true;
  return static_cast<int64_t>(new_len);
}

OpResult<int64_t> StringOps::IncrBy(std::string_view key, int64_t delta) {
  Entry* e = FindWrite(key);
  int64_t v = 0;
  if (e) {
    if (!e->is_string()) return OpStatus::kWrongType;
    if (e->enc == Encoding::kInt) {
      v = e->int_value();
    } else {
      std::string scratch;
      if (!ParseInt64(e->str(&scratch), &v)) return OpStatus::kNotInteger;
    }
  }
  int64_t result;
  if (__builtin_add_overflow(v, delta, &result)) return OpStatus::kOverflow;
  // In place: the entry keeps its address (DEBUG OBJECT shows the same
  // "at:" across INCRs, as Redis's unshared integers do).
  if (e) {
    SetIntValue(e, result);
  } else {
    db_.Add(NewIntEntry(key, result));
  }
  return result;
}

OpResult<std::string> StringOps::IncrByFloat(std::string_view key, std::string_view delta) {
  Entry* e = FindWrite(key);
  long double v = 0;
  if (e) {
    if (!e->is_string()) return OpStatus::kWrongType;
    if (e->enc == Encoding::kInt) {
      v = static_cast<long double>(e->int_value());
    } else {
      std::string scratch;
      if (!ParseLongDouble(e->str(&scratch), &v)) return OpStatus::kNotFloat;
    }
  }
  long double incr;
  if (!ParseLongDouble(delta, &incr)) return OpStatus::kNotFloat;
  v += incr;
  if (std::isnan(v) || std::isinf(v)) return OpStatus::kNanOrInf;
  std::string s = LongDoubleToString(v);
  if (e) {
    SetStringValue(e, s);
  } else {
    db_.Add(NewStringEntry(key, s));
  }
  return s;
}

OpResult<std::span<char>> StringOps::WritableBuffer(std::string_view key, uint64_t min_len,
                                                    bool* grown) {
  *grown = false;
  Entry* e = FindWrite(key);
  if (e && !e->is_string()) return OpStatus::kWrongType;
  if (min_len > UINT32_MAX) return OpStatus::kTooBig;
  if (!e) {
    e = NewStringEntry(key, "");
    char* p = ResizeString(e, min_len);
    db_.Add(e);
    *grown = true;
    return std::span<char>(p, min_len);
  }
  size_t len = ValueLength(e);
  size_t new_len = std::max<size_t>(len, min_len);
  // Resizing to the same length still converts int/embedded values to a
  // private raw buffer, as Redis's dbUnshareStringValue does.
  char* p = ResizeString(e, new_len);
  *grown = new_len != len;
  return std::span<char>(p, new_len);
}

OpResult<LcsResult> ComputeLcs(std::string_view a, std::string_view b, const LcsOptions& opt,
                               int64_t max_table_bytes) {
  if (a.size() >= UINT32_MAX - 1 || b.size() >= UINT32_MAX - 1) return OpStatus::kOutOfRange;
  auto alen = static_cast<uint32_t>(a.size());
  auto blen = static_cast<uint32_t>(b.size());
  uint64_t cells = (uint64_t{alen} + 1) * (uint64_t{blen} + 1);
  uint64_t bytes = cells * sizeof(uint32_t);
  if (bytes > static_cast<uint64_t>(max_table_bytes)) return OpStatus::kTooBig;
  std::unique_ptr<uint32_t, decltype(&std::free)> table(static_cast<uint32_t*>(std::malloc(bytes)),
                                                        &std::free);
  if (!table) return OpStatus::kOverflow;
  uint32_t* t = table.get();
  const uint64_t row = uint64_t{blen} + 1;
  auto at = [&](uint32_t i, uint32_t j) -> uint32_t& { return t[j + i * row]; };

  // at(i, j) = LCS length of a[0..i) and b[0..j).
  for (uint32_t i = 0; i <= alen; ++i) {
    for (uint32_t j = 0; j <= blen; ++j) {
      if (i == 0 || j == 0) {
        at(i, j) = 0;
      } else if (a[i - 1] == b[j - 1]) {
        at(i, j) = at(i - 1, j - 1) + 1;
      } else {
        at(i, j) = std::max(at(i - 1, j), at(i, j - 1));
      }
    }
  }

  LcsResult r;
  r.len = at(alen, blen);
  if (!opt.want_string && !opt.want_matches) return r;
  if (opt.want_string) r.lcs.assign(r.len, '\0');

  // Walk back from the end, collecting the LCS and contiguous ranges; a
  // range closes at a mismatch step or when it reaches either string's
  // first byte. Tie-breaking must match Redis for identical IDX output.
  uint32_t idx = r.len;
  uint32_t i = alen, j = blen;
  bool active = false;
  uint32_t as = 0, ae = 0, bs = 0, be = 0;
  while (i > 0 && j > 0) {
    bool emit = false;
    if (a[i - 1] == b[j - 1]) {
      if (opt.want_string) r.lcs[idx - 1] = a[i - 1];
      if (!active) {
        active = true;
        as = ae = i - 1;
        bs = be = j - 1;
      } else if (as == i && bs == j) {
        --as;
        --bs;
      } else {
        emit = true;
      }
      if (as == 0 || bs == 0) emit = true;
      --idx;
      --i;
      --j;
    } else {
      if (at(i - 1, j) > at(i, j - 1)) {
        --i;
      } else {
        --j;
      }
      if (active) emit = true;
    }
    if (emit) {
      uint32_t match_len = ae - as + 1;
      if (opt.want_matches &&
          (opt.min_match_len == 0 || static_cast<int64_t>(match_len) >= opt.min_match_len))
        r.matches.push_back({as, ae, bs, be, match_len});
      active = false;
    }
  }
  return r;
}

}  // namespace ordis
