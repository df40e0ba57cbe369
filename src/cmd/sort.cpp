// SORT and SORT_RO: sort the elements of a list, set or sorted set
// numerically or lexicographically, by the elements themselves or by the
// values of other keys ("BY weight_*", "BY obj_*->field"), fetch related
// keys with GET, and optionally STORE the result as a list.
//
// Behaviour follows Redis 7.0's sort.c:
//   - options parse left to right; errors come before the key lookup;
//   - "BY pattern" without '*' means "don't sort": lists and sorted sets
//     keep their order (DESC reverses it, LIMIT takes a range of it), sets
//     keep iteration order, except with STORE where a set is sorted ALPHA
//     so that the stored result is deterministic;
//   - numeric sorting parses with strtod, ties (and equal scores) order by
//     the element bytes; an unparsable score fails the whole command after
//     sorting, with "One or more scores can't be converted into double";
//   - sorting a sorted set converts it to the skiplist encoding (Redis does
//     so destructively, and OBJECT ENCODING shows it).
// String comparison is binary (Redis uses strcoll in the C locale, which
// is the same for strings without NUL bytes).
#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "cmd/args.h"
#include "cmd/families.h"
#include "kv/hash_type.h"
#include "kv/list_type.h"
#include "kv/set_type.h"
#include "kv/zset_type.h"
#include "server/server.h"

namespace ordis {

namespace {

constexpr std::string_view kBadScore = "ERR One or more scores can't be converted into double";

// One element to sort and the key it sorts by.
struct SortItem {
  explicit SortItem(std::string e) : elem(std::move(e)) {}
  std::string elem;
  double score = 0;                // numeric sort
  std::optional<std::string> cmp;  // ALPHA with BY: the BY value, if it exists
};

struct SortOptions {
  bool desc = false;
  bool alpha = false;
  bool dontsort = false;  // BY pattern without '*'
  int64_t limit_start = 0;
  int64_t limit_count = -1;
  std::optional<std::string_view> by;
  std::optional<std::string_view> store;
  std::vector<std::string_view> gets;
};

// Parses argv[2..]. On failure replies and returns false.
bool ParseOptions(CommandContext& ctx, bool readonly, SortOptions* o) {
  for (size_t j = 2; j < ctx.argc(); ++j) {
    size_t left = ctx.argc() - j - 1;
    if (ArgIs(ctx, j, "asc")) {
      o->desc = false;
    } else if (ArgIs(ctx, j, "desc")) {
      o->desc = true;
    } else if (ArgIs(ctx, j, "alpha")) {
      o->alpha = true;
    } else if (ArgIs(ctx, j, "limit") && left >= 2) {
      if (!ArgInt(ctx, j + 1, &o->limit_start) || !ArgInt(ctx, j + 2, &o->limit_count))
        return false;
      j += 2;
    } else if (!readonly && ArgIs(ctx, j, "store") && left >= 1) {
      o->store = ctx.arg(++j);
    } else if (ArgIs(ctx, j, "by") && left >= 1) {
      o->by = ctx.arg(++j);
      // Each BY decides anew (the last one wins, as in Redis).
      o->dontsort = o->by->find('*') == std::string_view::npos;
    } else if (ArgIs(ctx, j, "get") && left >= 1) {
      o->gets.push_back(ctx.arg(++j));
    } else {
      ctx.reply.Error(err::kSyntax);
      return false;
    }
  }
  return true;
}

// Redis's lookupKeyByPattern: "#" is the element itself; otherwise the
// first '*' is replaced by the element and the key read; "key->field"
// (field not empty, "->" after the '*') reads a hash field. Yields nothing
// without a '*', for a missing key or field, or a key of the wrong type.
// The view may point into *scratch or the Db; valid until the Db changes.
std::optional<std::string_view> LookupByPattern(Db& db, std::string_view pattern,
                                                std::string_view elem, std::string* scratch) {
  if (pattern == "#") return elem;
  size_t star = pattern.find('*');
  if (star == std::string_view::npos) return std::nullopt;
  size_t arrow = pattern.find("->", star + 1);
  std::string_view field;
  std::string_view suffix = pattern.substr(star + 1);
  if (arrow != std::string_view::npos && arrow + 2 < pattern.size()) {
    field = pattern.substr(arrow + 2);
    suffix = pattern.substr(star + 1, arrow - star - 1);
  }
  std::string key;
  key.reserve(star + elem.size() + suffix.size());
  key.append(pattern.substr(0, star)).append(elem).append(suffix);
  Entry* e = db.Find(key);
  if (!e) return std::nullopt;
  if (!field.empty()) {
    if (e->type != ValueType::kHash) return std::nullopt;
    const std::string* v = static_cast<HashObject*>(e->object())->Get(field);
    if (!v) return std::nullopt;
    return std::string_view(*v);
  }
  if (e->type != ValueType::kString) return std::nullopt;
  return e->str(scratch);
}

// strtod over the whole string, as Redis parses sort weights: leading
// spaces, hex, "inf" are accepted; NaN, overflow and trailing garbage are
// not. Like Redis, parsing stops at an embedded NUL.
bool ParseWeight(std::string_view s, double* out) {
  std::string buf(s);
  char* end = nullptr;
  errno = 0;
  double v = std::strtod(buf.c_str(), &end);
  *out = v;
  return *end == '\0' && errno != ERANGE && !std::isnan(v);
}

// Three-way comparison of two items under the options (Redis's sortCompare).
int Compare(const SortItem& a, const SortItem& b, const SortOptions& o) {
  int cmp;
  if (!o.alpha) {
    if (a.score > b.score) {
      cmp = 1;
    } else if (a.score < b.score) {
      cmp = -1;
    } else {
      cmp = a.elem.compare(b.elem);
    }
  } else if (o.by) {
    if (!a.cmp || !b.cmp) {
      cmp = (a.cmp.has_value() == b.cmp.has_value()) ? 0 : (!a.cmp ? -1 : 1);
    } else {
      cmp = a.cmp->compare(*b.cmp);
    }
  } else {
    cmp = a.elem.compare(b.elem);
  }
  cmp = cmp < 0 ? -1 : (cmp > 0 ? 1 : 0);
  return o.desc ? -cmp : cmp;
}

void SortGeneric(CommandContext& ctx, bool readonly) {
  SortOptions o;
  if (!ParseOptions(ctx, readonly, &o)) return;
  Db& db = ctx.db();

  Entry* src = db.Find(ctx.arg(1));
  if (src && src->type != ValueType::kList && src->type != ValueType::kSet &&
      src->type != ValueType::kZSet)
    return ctx.reply.Error(err::kWrongType);
  ValueType type = src ? src->type : ValueType::kList;  // a missing key sorts as an empty list

  // Without sorting, a set's order is its iteration order, which a stored
  // result must not depend on: sort it ALPHA instead.
  if (o.dontsort && type == ValueType::kSet && o.store) {
    o.dontsort = false;
    o.alpha = true;
    o.by.reset();
  }

  ZSetObject* zset = nullptr;
  if (type == ValueType::kZSet) {
    zset = static_cast<ZSetObject*>(src->object());
    zset->ConvertToSkiplist();
  }
  int64_t len = 0;
  if (src) {
    if (type == ValueType::kList)
      len = static_cast<int64_t>(static_cast<ListObject*>(src->object())->items.size());
    if (type == ValueType::kSet)
      len = static_cast<int64_t>(static_cast<SetObject*>(src->object())->size());
    if (zset) len = static_cast<int64_t>(zset->size());
  }

  // LIMIT clipping, as Redis does it: [start, end] inclusive over len.
  int64_t start = std::min(std::max(o.limit_start, int64_t{0}), len);
  int64_t count = std::min(std::max(o.limit_count, int64_t{-1}), len);
  int64_t end = count < 0 ? len - 1 : start + count - 1;
  if (start >= len) {
    start = len - 1;
    end = len - 2;
  }
  if (end >= len) end = len - 1;

  std::vector<SortItem> items;
  bool ordered = o.dontsort && type != ValueType::kSet;
  if (ordered) {
    // Lists and sorted sets in their own order (reversed by DESC): load
    // just the requested range, then output all of it.
    if (end >= start && src) {
      int64_t n = end - start + 1;
      items.reserve(static_cast<size_t>(n));
      if (type == ValueType::kList) {
        const auto& l = static_cast<ListObject*>(src->object())->items;
        for (int64_t i = 0; i < n; ++i) {
          int64_t idx = o.desc ? len - start - 1 - i : start + i;
          items.emplace_back(l[static_cast<size_t>(idx)]);
        }
      } else {
        std::vector<ZRangeItem> range;
        zset->RangeByRank(static_cast<uint64_t>(start), static_cast<uint64_t>(end), o.desc, &range);
        for (const ZRangeItem& it : range) items.emplace_back(std::string(it.member));
      }
      end -= start;
      start = 0;
    }
  } else if (src) {
    items.reserve(static_cast<size_t>(len));
    if (type == ValueType::kList) {
      for (const std::string& s : static_cast<ListObject*>(src->object())->items)
        items.emplace_back(s);
    } else if (type == ValueType::kSet) {
      static_cast<SetObject*>(src->object())->ForEach([&](std::string_view m) {
        items.emplace_back(std::string(m));
      });
    } else {
      zset->ForEach([&](std::string_view m, double) { items.emplace_back(std::string(m)); });
    }
  }

  bool bad_score = false;
  if (!o.dontsort) {
    std::string scratch;
    for (SortItem& it : items) {
      std::optional<std::string_view> v;
      if (o.by) {
        v = LookupByPattern(db, *o.by, it.elem, &scratch);
        if (!v) continue;  // a missing weight sorts as 0 (numeric) or first (ALPHA)
      } else {
        v = it.elem;
      }
      if (o.alpha) {
        if (o.by) it.cmp = std::string(*v);
      } else if (!ParseWeight(*v, &it.score)) {
        bad_score = true;
      }
    }
    // Stable, as glibc's qsort (a merge sort) is in practice.
    if (!bad_score)
      std::stable_sort(items.begin(), items.end(),
                       [&](const SortItem& a, const SortItem& b) { return Compare(a, b, o) < 0; });
  }
  if (bad_score) return ctx.reply.Error(kBadScore);

  int64_t rows = end - start + 1;
  int64_t outlen = o.gets.empty() ? rows : rows * static_cast<int64_t>(o.gets.size());
  std::string scratch;
  if (!o.store) {
    ctx.reply.ArrayHeader(outlen);
    for (int64_t j = start; j <= end; ++j) {
      const std::string& elem = items[static_cast<size_t>(j)].elem;
      if (o.gets.empty()) ctx.reply.Bulk(elem);
      for (std::string_view pattern : o.gets) {
        std::optional<std::string_view> v = LookupByPattern(db, pattern, elem, &scratch);
        if (v) {
          ctx.reply.Bulk(*v);
        } else {
          ctx.reply.Null();
        }
      }
    }
    return;
  }

  auto* list = new ListObject;
  for (int64_t j = start; j <= end; ++j) {
    std::string& elem = items[static_cast<size_t>(j)].elem;
    if (o.gets.empty()) list->items.push_back(std::move(elem));
    for (std::string_view pattern : o.gets) {
      std::optional<std::string_view> v = LookupByPattern(db, pattern, elem, &scratch);
      list->items.emplace_back(v ? *v : std::string_view());
    }
  }
  if (outlen > 0) {
    db.Set(NewObjectEntry(*o.store, ValueType::kList, list));
    ctx.dirty += static_cast<uint64_t>(outlen);
  } else {
    delete list;
    if (db.Delete(*o.store)) ++ctx.dirty;
  }
  ctx.reply.Integer(outlen);
}

void SortCmd(CommandContext& ctx) {
  SortGeneric(ctx, false);
}
void SortRoCmd(CommandContext& ctx) {
  SortGeneric(ctx, true);
}

// SORT's keys: the source, then the destination of the last STORE. Scans
// options as Redis's sortGetKeys does: LIMIT skips two arguments, GET and
// BY one, anything else none.
std::vector<KeyRef> SortKeys(ArgList args) {
  std::vector<KeyRef> keys{{1, "RO access"}};
  std::optional<size_t> store;
  for (size_t i = 2; i < args.size(); ++i) {
    if (EqualsNoCase(args[i], "limit")) {
      i += 2;
    } else if (EqualsNoCase(args[i], "get") || EqualsNoCase(args[i], "by")) {
      i += 1;
    } else if (EqualsNoCase(args[i], "store") && i + 1 < args.size()) {
      store = i + 1;  // not skipped: "STORE STORE k" stores to k, as in Redis
    }
  }
  if (store) keys.push_back({*store, "OW update"});
  return keys;
}

std::vector<KeyRef> SortRoKeys(ArgList) {
  return {{1, "RO access"}};
}

constexpr const char* kComplexity =
    "O(N+M*log(M)) where N is the number of elements in the list or set to sort, and M the number "
    "of returned elements. When the elements are not sorted, complexity is O(N).";

const CommandSpec kCommands[] = {
    {"sort",
     -2,
     kCmdWrite | kCmdDenyOom,
     kAclSet | kAclSortedSet | kAclList | kAclDangerous,
     1,
     1,
     1,
     SortCmd,
     "generic",
     "1.0.0",
     "Sort the elements in a list, set or sorted set",
     kComplexity,
     "key [BY pattern] [LIMIT offset count] [GET pattern [GET pattern ...]] [ASC|DESC] [ALPHA] "
     "[STORE destination]",
     {},
     "RO access",
     SortKeys},
    {"sort_ro",
     -2,
     kCmdReadonly,
     kAclSet | kAclSortedSet | kAclList | kAclDangerous,
     1,
     1,
     1,
     SortRoCmd,
     "generic",
     "7.0.0",
     "Sort the elements in a list, set or sorted set. Read-only variant of SORT.",
     kComplexity,
     "key [BY pattern] [LIMIT offset count] [GET pattern [GET pattern ...]] [ASC|DESC] [ALPHA]",
     {},
     "RO access",
     SortRoKeys},
};

}  // namespace

std::span<const CommandSpec> SortCommands() {
  return kCommands;
}

}  // namespace ordis
