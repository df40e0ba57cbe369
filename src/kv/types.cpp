#include "kv/types.h"

#include <cstdio>

#include "kv/hash_type.h"
#include "kv/list_type.h"
#include "kv/set_type.h"
#include "kv/zset_type.h"
#include "util/strutil.h"

namespace ordis {

namespace {

struct LimitSpec {
  const char* name;
  const char* legacy;  // the pre-7.0 alias, e.g. hash-max-ziplist-entries
  int64_t fallback;    // Redis's default
};

constexpr LimitSpec kLimitSpecs[] = {
    {"set-max-intset-entries", nullptr, 512},
    {"hash-max-listpack-entries", "hash-max-ziplist-entries", 128},
    {"hash-max-listpack-value", "hash-max-ziplist-value", 64},
    {"zset-max-listpack-entries", "zset-max-ziplist-entries", 128},
    {"zset-max-listpack-value", "zset-max-ziplist-value", 64},
};

int64_t ParseLimit(const std::optional<std::string>& text, int64_t fallback) {
  int64_t v;
  if (!text || !ParseInt64(*text, &v) || v < 0) return fallback;
  return v;
}

}  // namespace

EncodingLimits::EncodingLimits(const Values& v) {
  cache_[kSetIntset] = v.set_max_intset_entries;
  cache_[kHashEntries] = v.hash_max_listpack_entries;
  cache_[kHashValue] = v.hash_max_listpack_value;
  cache_[kZsetEntries] = v.zset_max_listpack_entries;
  cache_[kZsetValue] = v.zset_max_listpack_value;
  loaded_ = (1u << kCount) - 1;
}

int64_t EncodingLimits::Get(Index i) const {
  if (loaded_ & (1u << i)) return cache_[i];
  const LimitSpec& spec = kLimitSpecs[i];
  int64_t v = spec.fallback;
  if (lookup_) {
    v = ParseLimit(lookup_(spec.name), spec.fallback);
    // The 7.0 name and its ziplist alias are one option in Redis. Should the
    // config layer keep them apart, a value changed under either name counts
    // (the 7.0 name first); once aliased both read the same.
    if (spec.legacy && v == spec.fallback) v = ParseLimit(lookup_(spec.legacy), spec.fallback);
  }
  cache_[i] = v;
  loaded_ = static_cast<uint8_t>(loaded_ | (1u << i));
  return v;
}

int64_t EncodingLimits::set_max_intset_entries() const {
  return Get(kSetIntset);
}
int64_t EncodingLimits::hash_max_listpack_entries() const {
  return Get(kHashEntries);
}
int64_t EncodingLimits::hash_max_listpack_value() const {
  return Get(kHashValue);
}
int64_t EncodingLimits::zset_max_listpack_entries() const {
  return Get(kZsetEntries);
}
int64_t EncodingLimits::zset_max_listpack_value() const {
  return Get(kZsetValue);
}

void AddObject(Db& db, std::string_view key, ValueType type, Object* obj) {
  db.Add(NewObjectEntry(key, type, obj));
}

bool ClampRange(int64_t len, int64_t* start, int64_t* end) {
  // Negative indexes count from the end; the range is empty when start is
  // past the end or after end.
  if (*start < 0) *start = len + *start;
  if (*end < 0) *end = len + *end;
  if (*start < 0) *start = 0;
  if (*start > *end || *start >= len) return false;
  if (*end >= len) *end = len - 1;
  return true;
}

bool NormalizeIndex(int64_t len, int64_t* index) {
  if (*index < 0) *index = len + *index;
  return *index >= 0 && *index < len;
}

size_t StringHeapBytes(const std::string& s) {
  // Short strings live inside the std::string object (SSO).
  return s.capacity() > 15 ? s.capacity() + 1 : 0;
}

void VisitElements(const Entry* e, const ElementVisitor& fn) {
  if (e->enc != Encoding::kObject) return;
  const Object* o = e->object();
  switch (e->type) {
    case ValueType::kList:
      for (const std::string& s : static_cast<const ListObject*>(o)->items) fn(s, {});
      break;
    case ValueType::kSet:
      static_cast<const SetObject*>(o)->ForEach([&](std::string_view m) { fn(m, {}); });
      break;
    case ValueType::kHash:
      static_cast<const HashObject*>(o)->ForEach(
          [&](std::string_view f, std::string_view v) { fn(f, v); });
      break;
    case ValueType::kZSet:
      static_cast<const ZSetObject*>(o)->ForEach([&](std::string_view m, double score) {
        char buf[64];
        int n = std::snprintf(buf, sizeof(buf), "%.17g", score);
        fn(m, std::string_view(buf, static_cast<size_t>(n)));
      });
      break;
    default:
      break;
  }
}

}  // namespace ordis
