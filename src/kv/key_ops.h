// Key-space operations behind the generic key commands (cmd/keys.cpp):
// rename, copy, move, expire with NX/XX/GT/LT, TTL queries, SCAN, KEYS and
// the OBJECT introspection values.
//
// Like every kv/ operation these return OpStatus / OpResult and never build
// replies. Lookups follow Redis's lookupKeyRead/lookupKeyWrite rules (see
// Db::Lookup): an expired key met on the way is deleted and counts as
// absent.
//
// Thread safety: none; loop thread only.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kv/db.h"
#include "util/status.h"

namespace ordis {

// TYPE / SCAN TYPE name of a value: "string", "list", "set", "zset",
// "hash", "stream"; "none" for nullptr.
const char* TypeName(const Entry* e);

// ---- Expiry ---------------------------------------------------------------

// EXPIRE-family conditions. Valid combinations: at most one of NX/XX/GT/LT,
// except XX may go with GT or LT (the command layer rejects the rest).
enum ExpireCondition : unsigned {
  kExpireNx = 1,  // only if the key has no TTL
  kExpireXx = 2,  // only if the key has a TTL
  kExpireGt = 4,  // only if the new time is later (no TTL = infinite: fails)
  kExpireLt = 8,  // only if the new time is earlier (no TTL = infinite: passes)
};

// Converts an EXPIRE/PEXPIRE/EXPIREAT/PEXPIREAT argument to an absolute
// time in ms: value (seconds if `seconds`) plus basetime_ms (the current
// time for relative commands, 0 for *AT). Returns false when the unit
// conversion or the addition would overflow ("invalid expire time").
[[nodiscard]] bool ExpireTimeMs(int64_t value, bool seconds, int64_t basetime_ms, int64_t* when_ms);

enum class ExpireOutcome { kSet, kDeleted };

// Sets key's absolute expire time when the conditions hold. A time not in
// the future (when_ms <= now) deletes the key instead (returned as
// kDeleted; Redis treats it as a DEL, not as an expiry: expired_keys is
// not incremented), unless !may_delete (log replay), which stores the past
// time as is.
// Errors: kNotFound (no such key), kSkipped (a condition failed).
OpResult<ExpireOutcome> ExpireKey(Db& db, std::string_view key, int64_t when_ms,
                                  unsigned conditions, bool may_delete);

// TTL / PTTL / EXPIRETIME / PEXPIRETIME: -2 if the key is absent, -1 if it
// has no TTL, else the remaining time (or the absolute time when
// `absolute`) in ms or seconds (rounded to nearest), never below 0.
// Does not touch the key; counts a keyspace hit or miss.
int64_t KeyTtl(Db& db, std::string_view key, bool in_ms, bool absolute);

// PERSIST: true if the key existed and had a TTL, which is now removed.
bool PersistKey(Db& db, std::string_view key);

// ---- Moving values --------------------------------------------------------

// RENAME / RENAMENX: moves from's value and TTL to `to`, replacing `to`
// (and dropping its TTL) unless nx. The value is not copied: RENAME is
// O(1) whatever its size.
// Errors: kNotFound (from absent), kExists (nx and `to` exists; also when
// from == to and nx, as Redis replies 0 there).
OpStatus RenameKey(Db& db, std::string_view from, std::string_view to, bool nx);

// MOVE: moves key with its TTL from src to dst.
// REQUIRES: &src != &dst.
// Errors: kNotFound (absent in src), kExists (present in dst).
OpStatus MoveKey(Db& src, Db& dst, std::string_view key);

// COPY: deep-copies from (in src) to `to` (in dst) with its TTL.
// REQUIRES: not (same db and from == to).
// Errors: kNotFound (from absent), kExists (`to` exists and !replace).
OpStatus CopyKey(Db& src, std::string_view from, Db& dst, std::string_view to, bool replace);

// ---- Iteration ------------------------------------------------------------

struct ScanOptions {
  int64_t count = 10;                    // keys wanted per call, >= 1
  std::string_view pattern = "*";        // glob ("*" skips matching)
  std::optional<std::string_view> type;  // type name, case-insensitive
};

// One SCAN call: visits buckets from cursor until count keys were gathered
// (at most 10*count bucket steps, so a sparse table cannot stall the
// loop), then filters by pattern, type and expiry (expired keys found are
// deleted). Appends keys to *out and returns the next cursor (0 = done).
// Every key present for the whole iteration is returned at least once.
uint64_t ScanKeys(Db& db, uint64_t cursor, const ScanOptions& opts, std::vector<std::string>* out);

// KEYS: live keys matching pattern. Logically expired keys are skipped but
// not deleted (as Redis). The views point into the entries and are valid
// until the db is next modified.
std::vector<std::string_view> MatchingKeys(Db& db, std::string_view pattern);

// ---- OBJECT ---------------------------------------------------------------

// OBJECT REFCOUNT. Values are never shared here, but Redis shares the
// integers 0..9999 (refcount INT_MAX) unless maxmemory is set with an LRU
// or LFU policy, and tests assert on that; we report what Redis would for
// an int-encoded value in that range, judged by the current policy.
int64_t RefCount(const Entry* e, bool shared_integers);

// OBJECT IDLETIME: whole seconds since the last touching access.
int64_t IdleSeconds(const Entry* e, uint32_t lru_clock);

}  // namespace ordis
