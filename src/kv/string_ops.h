// StringOps: the storage operations behind the string commands (GET, SET,
// APPEND, SETRANGE, INCR*, ...). Each returns OpStatus / OpResult and never
// builds a reply; cmd/strings.cpp turns results into RESP.
//
// Lookups follow Redis: read commands count keyspace hits/misses (Db::Find),
// write commands do not but still refresh the key's access time.
//
// Lifetime: a string_view returned by an operation points into the entry
// (or into the caller's scratch string for integer-encoded values) and is
// valid until the next operation that modifies the Db.
//
// Errors common to all operations: kWrongType when the key holds a
// non-string value. kTooBig when a result would exceed max_len
// (proto-max-bulk-len) or the 4 GiB an Entry can hold.
//
// Thread safety: none; loop thread only.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "kv/db.h"
#include "util/status.h"

namespace ordis {

struct SetOptions {
  enum Cond : uint8_t { kAlways, kIfMissing /* NX */, kIfExists /* XX */ };
  Cond cond = kAlways;
  bool get = false;           // return the old value (fails on a non-string old value)
  bool keep_ttl = false;      // KEEPTTL
  int64_t expire_at_ms = -1;  // absolute expire time; -1 for none
};

struct SetOutcome {
  bool applied = false;            // false when NX/XX refused the write
  std::optional<std::string> old;  // old value, when SetOptions::get
};

struct LcsOptions {
  bool want_string = true;    // compute the LCS string itself
  bool want_matches = false;  // IDX: collect matching ranges
  int64_t min_match_len = 0;
};

struct LcsMatch {
  uint32_t a_start, a_end, b_start, b_end;  // inclusive ranges in a and b
  uint32_t len;
};

struct LcsResult {
  uint32_t len = 0;
  std::string lcs;                // when want_string
  std::vector<LcsMatch> matches;  // when want_matches; from the end backwards, as Redis emits
};

// Computes the longest common subsequence of a and b with Redis's dynamic
// programming table and backtracking (ties resolve identically, so IDX
// ranges equal Redis's). Errors: kTooBig when the table would exceed
// max_table_bytes; kOutOfRange when a string is too long to index with
// 32 bits; kOverflow when the table cannot be allocated.
OpResult<LcsResult> ComputeLcs(std::string_view a, std::string_view b, const LcsOptions& opt,
                               int64_t max_table_bytes);

class StringOps {
 public:
  // max_len bounds values grown by APPEND/SETRANGE/SETBIT; pass INT64_MAX
  // for log replay (Redis exempts its master and AOF clients).
  StringOps(Db& db, const KeyspaceContext& kctx, int64_t max_len)
      : db_(db), kctx_(kctx), max_len_(max_len) {}

  Db& db() { return db_; }
  int64_t now_ms() const { return kctx_.now_ms; }
  int64_t max_len() const { return max_len_; }

  // Live entry for a write command: no hit/miss stats, refreshes access
  // time. nullptr when absent (an expired key is deleted first).
  Entry* FindWrite(std::string_view key);

  // The value for a read command. kNotFound when absent.
  OpResult<std::string_view> Get(std::string_view key, std::string* scratch);

  // SET and its variants. kWrongType only when opt.get and the old value
  // is not a string (without GET any old value is replaced).
  OpResult<SetOutcome> Set(std::string_view key, std::string_view value, const SetOptions& opt);

  // MSET (nx=false) / MSETNX (nx=true). kv holds key, value pairs.
  // kExists when nx and any key exists; nothing is written then.
  OpStatus MSet(std::span<const std::string_view> kv, bool nx);

  // GETDEL: returns the value and deletes the key. kNotFound when absent.
  OpResult<std::string> GetDel(std::string_view key);

  // The TTL half of GETEX, applied after the value was read. when_ms is
  // absolute; a time not after now deletes the key. Returns true if the
  // dataset changed (PERSIST on a key without TTL changes nothing).
  enum class TtlAction { kNone, kPersist, kExpireAt };
  bool ApplyTtl(std::string_view key, TtlAction action, int64_t when_ms);

  // APPEND: returns the new length. Creates the key when absent.
  OpResult<int64_t> Append(std::string_view key, std::string_view value);

  // STRLEN: 0 when absent.
  OpResult<int64_t> Strlen(std::string_view key);

  // GETRANGE with Redis's index rules; empty when absent.
  OpResult<std::string_view> GetRange(std::string_view key, int64_t start, int64_t end,
                                      std::string* scratch);

  // SETRANGE: returns the resulting length. REQUIRES: offset >= 0.
  // *changed is set when the dataset was modified.
  OpResult<int64_t> SetRange(std::string_view key, int64_t offset, std::string_view value,
                             bool* changed);

  // INCRBY/DECRBY: returns the new value. kNotInteger when the value is
  // not an integer, kOverflow when the result would not fit in int64.
  OpResult<int64_t> IncrBy(std::string_view key, int64_t delta);

  // INCRBYFLOAT: returns the new value as stored. The increment is parsed
  // here, after the type check, so errors come in Redis's order.
  // kNotFloat (value or increment), kNanOrInf.
  OpResult<std::string> IncrByFloat(std::string_view key, std::string_view delta);

  // The value of key as a writable buffer of at least min_len bytes,
  // creating the key (zero-filled) or zero-padding the value as SETBIT and
  // BITFIELD require; the value becomes "raw" as in Redis. *grown is set
  // when the key was created or its length changed. The span is valid
  // until the next Db modification.
  OpResult<std::span<char>> WritableBuffer(std::string_view key, uint64_t min_len, bool* grown);

 private:
  Db& db_;
  const KeyspaceContext& kctx_;
  int64_t max_len_;
};

}  // namespace ordis
