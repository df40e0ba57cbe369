// What the collection types (lists, sets, hashes, sorted sets) share:
// the encoding thresholds, typed lookup, Redis's index rules and an element
// visitor for code that must see every value whatever its type (DEBUG
// DIGEST, later snapshots).
//
// Each type lives in its own pair of files: kv/list_type, kv/set_type,
// kv/hash_type, kv/zset_type. There, an Object subclass holds the data in
// one of the encodings Redis 7.0 reports through OBJECT ENCODING, and an
// XxxOps class holds the storage operations behind the commands (they
// return OpStatus/OpResult and never build replies).
//
// Rules common to every XxxOps:
//   - kWrongType when the key holds another type; kNotFound when absent
//     (each operation documents when absence is not an error).
//   - Read operations count keyspace hits/misses (Db::Find); write
//     operations do not (Db::FindWrite), as in Redis.
//   - A collection that becomes empty is deleted from the Db: no
//     operation leaves an empty collection behind.
//   - string_views returned point into the object and stay valid until the
//     next modification of the Db.
//
// Thread safety: none; loop thread only.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "kv/db.h"
#include "kv/entry.h"
#include "util/status.h"

namespace ordis {

// The thresholds that decide between a compact and a general encoding,
// under Redis's option names. Values are read on first use through a
// lookup function, so commands that never need one never pay for the
// config lookup.
class EncodingLimits {
 public:
  // Returns an option's current value as text (CONFIG GET form).
  using Lookup = std::function<std::optional<std::string>(std::string_view name)>;

  EncodingLimits() = default;  // Redis's defaults
  explicit EncodingLimits(Lookup lookup) : lookup_(std::move(lookup)) {}

  int64_t set_max_intset_entries() const;     // set-max-intset-entries (512)
  int64_t hash_max_listpack_entries() const;  // hash-max-listpack-entries (128)
  int64_t hash_max_listpack_value() const;    // hash-max-listpack-value (64)
  int64_t zset_max_listpack_entries() const;  // zset-max-listpack-entries (128)
  int64_t zset_max_listpack_value() const;    // zset-max-listpack-value (64)

  // Fixed values, for storage tests.
  struct Values {
    int64_t set_max_intset_entries = 512;
    int64_t hash_max_listpack_entries = 128;
    int64_t hash_max_listpack_value = 64;
    int64_t zset_max_listpack_entries = 128;
    int64_t zset_max_listpack_value = 64;
  };
  explicit EncodingLimits(const Values& v);

 private:
  enum Index { kSetIntset, kHashEntries, kHashValue, kZsetEntries, kZsetValue, kCount };
  int64_t Get(Index i) const;

  Lookup lookup_;
  mutable int64_t cache_[kCount] = {};
  mutable uint8_t loaded_ = 0;  // bit i: cache_[i] is valid
};

// The object at key if it holds `type`. `write` selects the lookup
// flavour (see above). kNotFound / kWrongType otherwise.
template <typename T>
OpResult<T*> FindObject(Db& db, std::string_view key, ValueType type, bool write) {
  Entry* e = write ? db.FindWrite(key) : db.Find(key);
  if (!e) return OpStatus::kNotFound;
  if (e->type != type) return OpStatus::kWrongType;
  return static_cast<T*>(e->object());
}

// Creates key holding obj (which the Db then owns). REQUIRES: key absent.
void AddObject(Db& db, std::string_view key, ValueType type, Object* obj);

// Redis's rule for an inclusive [start, end] range over len elements with
// negative indexes counting from the end. Returns false when the range is
// empty; otherwise 0 <= *start <= *end < len.
bool ClampRange(int64_t len, int64_t* start, int64_t* end);

// Redis's rule for a single index: negative counts from the end. Returns
// false when out of range; otherwise 0 <= *index < len.
bool NormalizeIndex(int64_t len, int64_t* index);

// Calls fn(a, b) for every element of a collection value, in the order
// Redis's DEBUG DIGEST expects to combine them:
//   list: (element, "") in order           -> mix each element
//   set:  (member, "")  in any order       -> xor each member
//   hash: (field, value) in any order      -> xor digest(field, value)
//   zset: (member, score as "%.17g")       -> xor digest(member, score)
// Does nothing for strings.
using ElementVisitor = std::function<void(std::string_view a, std::string_view b)>;
void VisitElements(const Entry* e, const ElementVisitor& fn);

// Bytes a std::string owns besides itself (its heap buffer, if any).
size_t StringHeapBytes(const std::string& s);

}  // namespace ordis
