// Lists: ListObject (the value) and ListOps (the storage operations behind
// LPUSH, LPOP, LRANGE, ...). Common rules in kv/types.h.
//
// Encoding: Redis 7.0 reports every list as "quicklist" whatever its size,
// so there is one encoding here: a deque of strings (O(1) at both ends and
// by index).
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "kv/types.h"

namespace ordis {

class ListObject final : public Object {
 public:
  Object* Clone() const override { return new ListObject(*this); }
  size_t MemoryUsage() const override;
  const char* EncodingName() const override { return "quicklist"; }

  std::deque<std::string> items;
};

enum class ListEnd { kHead, kTail };

class ListOps {
 public:
  explicit ListOps(Db& db) : db_(db) {}

  // LPUSH/RPUSH (only_if_exists=false) and LPUSHX/RPUSHX (true): pushes the
  // elements one by one at `where`. Returns the new length, or 0 when
  // only_if_exists and the key is absent (no error).
  OpResult<int64_t> Push(std::string_view key, std::span<const std::string_view> elements,
                         ListEnd where, bool only_if_exists);

  // LPOP/RPOP: removes up to count elements from `where`, returned in
  // removal order. kNotFound when the key is absent. count 0 removes
  // nothing (the caller still needs the key checked).
  OpResult<std::vector<std::string>> Pop(std::string_view key, ListEnd where, int64_t count);

  // LRANGE with Redis's index rules; empty when absent.
  OpResult<std::vector<std::string_view>> Range(std::string_view key, int64_t start, int64_t end);

  // LLEN: 0 when absent.
  OpResult<int64_t> Len(std::string_view key);

  // LINDEX: kNotFound when the key is absent, nullopt when the index is
  // out of range. The index is parsed here, after the key and type checks,
  // to give Redis's errors in Redis's order (kNotInteger).
  OpResult<std::optional<std::string_view>> Index(std::string_view key, std::string_view index);

  // LSET: kNotFound when absent, kNotInteger for an index that is not an
  // integer (checked after the key, as in Redis), kOutOfRange when the index
  // is out of range.
  OpStatus Set(std::string_view key, std::string_view index, std::string_view value);

  // LREM: removes up to |count| elements equal to value (all when 0), from
  // the head when count >= 0, from the tail otherwise. Returns how many
  // were removed; 0 when absent.
  OpResult<int64_t> Remove(std::string_view key, int64_t count, std::string_view value);

  // LTRIM: keeps only [start, end]. Returns how many elements were
  // removed; 0 when absent.
  OpResult<int64_t> Trim(std::string_view key, int64_t start, int64_t end);

  // LINSERT: inserts value before (or after) the first element equal to
  // pivot. Returns the new length, -1 when no element equals pivot, 0 when
  // the key is absent.
  OpResult<int64_t> Insert(std::string_view key, bool after, std::string_view pivot,
                           std::string_view value);

  // LPOS: indexes of the elements equal to `element`, skipping the first
  // |rank|-1 matches; from the tail when rank < 0 (indexes still count from
  // the head). At most `limit` of them (0: all); only the first `maxlen`
  // elements scanned (0: all). kNotFound when the key is absent.
  // REQUIRES: rank != 0.
  OpResult<std::vector<int64_t>> Positions(std::string_view key, std::string_view element,
                                           int64_t rank, uint64_t limit, uint64_t maxlen);

  // LMOVE/RPOPLPUSH: pops an element at `from` of src and pushes it at `to`
  // of dst (src and dst may be the same list); returns it. kNotFound when
  // src is absent (dst is then not looked at); kWrongType when src, or
  // then dst, holds another type (nothing moved).
  OpResult<std::string> Move(std::string_view src, std::string_view dst, ListEnd from, ListEnd to);

  // True if key holds a list (no keyspace hit/miss counted).
  bool IsList(std::string_view key);

 private:
  Db& db_;
};

}  // namespace ordis
