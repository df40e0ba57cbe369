#include "kv/key_ops.h"

#include <climits>
#include <cstring>

#include "util/strutil.h"

namespace ordis {

namespace {

// Redis shares the integers [0, OBJ_SHARED_INTEGERS) and reports them with
// refcount INT_MAX (OBJ_SHARED_REFCOUNT).
constexpr int64_t kSharedIntegers = 10000;
constexpr int64_t kSharedRefcount = INT_MAX;

// Returns an entry holding e's value under new_key and frees e. Large
// values (out-of-line strings, objects) change owner instead of being
// copied: the new entry takes the payload pointer and e is emptied first
// so freeing it releases only its own block.
Entry* Rekey(Entry* e, std::string_view new_key) {
  Entry* n;
  if (e->enc == Encoding::kRaw || e->enc == Encoding::kObject) {
    n = NewObjectEntry(new_key, e->type, nullptr);
    std::memcpy(n->payload(), e->payload(), sizeof(void*));
    n->enc = e->enc;
    n->val_len = e->val_len;
    n->flags = e->flags & Entry::kMutated;
    e->enc = Encoding::kEmbedded;
    e->val_len = 0;
  } else {
    n = CloneEntry(e, new_key);
  }
  n->freq = e->freq;
  FreeEntry(e);
  return n;
}

}  // namespace

const char* TypeName(const Entry* e) {
  if (!e) return "none";
  switch (e->type) {
    case ValueType::kString:
      return "string";
    case ValueType::kList:
      return "list";
    case ValueType::kSet:
      return "set";
    case ValueType::kZSet:
      return "zset";
    case ValueType::kHash:
      return "hash";
    case ValueType::kStream:
      return "stream";
  }
  return "none";
}

bool ExpireTimeMs(int64_t value, bool seconds, int64_t basetime_ms, int64_t* when_ms) {
  if (seconds) {
    if (value > LLONG_MAX / 1000 || value < LLONG_MIN / 1000) return false;
    value *= 1000;
  }
  if (value > LLONG_MAX - basetime_ms) return false;
  *when_ms = value + basetime_ms;
  return true;
}

OpResult<ExpireOutcome> ExpireKey(Db& db, std::string_view key, int64_t when_ms,
                                  unsigned conditions, bool may_delete) {
  Entry* e = db.FindWrite(key);
  if (!e) return OpStatus::kNotFound;
  if (conditions) {
    int64_t current = db.GetExpire(e);
    if ((conditions & kExpireNx) && current != -1) return OpStatus::kSkipped;
    if ((conditions & kExpireXx) && current == -1) return OpStatus::kSkipped;
    // No TTL counts as infinite: never GT-exceeded, always LT-beaten.
    if ((conditions & kExpireGt) && (current == -1 || when_ms <= current))
      return OpStatus::kSkipped;
    if ((conditions & kExpireLt) && current != -1 && when_ms >= current) return OpStatus::kSkipped;
  }
  if (may_delete && when_ms <= db.context().now_ms) {
    (void)db.Delete(key);
    return ExpireOutcome::kDeleted;
  }
  db.SetExpire(e, when_ms);
  return ExpireOutcome::kSet;
}

int64_t KeyTtl(Db& db, std::string_view key, bool in_ms, bool absolute) {
  Entry* e = db.Lookup(key, Db::kNoTouch);
  if (!e) return -2;
  int64_t when = db.GetExpire(e);
  if (when == -1) return -1;
  // 128-bit so expire times near INT64_MAX round without overflow.
  __int128 ttl = absolute ? when : static_cast<__int128>(when) - db.context().now_ms;
  if (ttl < 0) ttl = 0;
  return static_cast<int64_t>(in_ms ? ttl : (ttl + 500) / 1000);
}

bool PersistKey(Db& db, std::string_view key) {
  Entry* e = db.FindWrite(key);
  return e && db.Persist(e);
}

OpStatus RenameKey(Db& db, std::string_view from, std::string_view to, bool nx) {
  if (!db.FindWrite(from)) return OpStatus::kNotFound;
  if (from == to) return nx ? OpStatus::kExists : OpStatus::kOk;
  if (db.FindWrite(to)) {
    if (nx) return OpStatus::kExists;
    (void)db.Delete(to);
  }
  int64_t expire_ms;
  Entry* e = Rekey(db.Detach(from, &expire_ms), to);
  db.Add(e);
  if (expire_ms != -1) db.SetExpire(e, expire_ms);
  return OpStatus::kOk;
}

OpStatus MoveKey(Db& src, Db& dst, std::string_view key) {
  if (!src.FindWrite(key)) return OpStatus::kNotFound;
  if (dst.FindWrite(key)) return OpStatus::kExists;
  int64_t expire_ms;
  Entry* e = src.Detach(key, &expire_ms);
  dst.Add(e);
  if (expire_ms != -1) dst.SetExpire(e, expire_ms);
  return OpStatus::kOk;
}

OpStatus CopyKey(Db& src, std::string_view from, Db& dst, std::string_view to, bool replace) {
  Entry* e = src.Find(from);
  if (!e) return OpStatus::kNotFound;
  int64_t expire_ms = src.GetExpire(e);
  bool exists = dst.FindWrite(to) != nullptr;
  if (exists && !replace) return OpStatus::kExists;
  Entry* copy = CloneEntry(e, to);
  if (exists) (void)dst.Delete(to);
  dst.Add(copy);
  if (expire_ms != -1) dst.SetExpire(copy, expire_ms);
  return OpStatus::kOk;
}

uint64_t ScanKeys(Db& db, uint64_t cursor, const ScanOptions& opts, std::vector<std::string>* out) {
  // Gather first, filter after: filtering may delete expired keys, which
  // must not happen while the table is being walked.
  std::vector<std::string> keys;
  size_t want = static_cast<size_t>(opts.count);
  int64_t max_steps = opts.count > LLONG_MAX / 10 ? LLONG_MAX : opts.count * 10;
  do {
    cursor = db.Scan(cursor, [&](const Entry* e) { keys.emplace_back(e->key()); });
  } while (cursor && max_steps-- && keys.size() < want);

  bool use_pattern = opts.pattern != "*";
  for (std::string& key : keys) {
    if (use_pattern && !GlobMatch(opts.pattern, key)) continue;
    if (opts.type && !EqualsNoCase(*opts.type, TypeName(db.Lookup(key, Db::kNoTouch)))) continue;
    if (db.ExpireIfNeeded(key)) continue;
    out->push_back(std::move(key));
  }
  return cursor;
}

std::vector<std::string_view> MatchingKeys(Db& db, std::string_view pattern) {
  std::vector<std::string_view> out;
  bool all = pattern == "*";
  db.ForEach([&](Entry* e) {
    if (!all && !GlobMatch(pattern, e->key())) return;
    if (!db.IsExpired(e)) out.push_back(e->key());
  });
  return out;
}

int64_t RefCount(const Entry* e, bool shared_integers) {
  if (shared_integers && e->enc == Encoding::kInt && e->int_value() >= 0 &&
      e->int_value() < kSharedIntegers)
    return kSharedRefcount;
  return 1;
}

int64_t IdleSeconds(const Entry* e, uint32_t lru_clock) {
  return lru_clock >= e->lru ? lru_clock - e->lru : 0;
}

}  // namespace ordis
