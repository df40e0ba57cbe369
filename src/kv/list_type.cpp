#include "kv/list_type.h"

#include <algorithm>

#include "util/strutil.h"

namespace ordis {

size_t ListObject::MemoryUsage() const {
  size_t n = sizeof(*this) + items.size() * sizeof(std::string);
  for (const std::string& s : items) n += StringHeapBytes(s);
  return n;
}

namespace {

OpResult<ListObject*> FindList(Db& db, std::string_view key, bool write) {
  return FindObject<ListObject>(db, key, ValueType::kList, write);
}

}  // namespace

OpResult<int64_t> ListOps::Push(std::string_view key, std::span<const std::string_view> elements,
                                ListEnd where, bool only_if_exists) {
  auto found = FindList(db_, key, true);
  ListObject* list;
  if (found.ok()) {
    list = *found;
  } else if (found.status() != OpStatus::kNotFound) {
    return found.status();
  } else {
    if (only_if_exists) return int64_t{0};
    list = new ListObject;
    AddObject(db_, key, ValueType::kList, list);
  }
  for (std::string_view v : elements) {
    if (where == ListEnd::kHead) {
      list->items.emplace_front(v);
    } else {
      list->items.emplace_back(v);
    }
  }
  return static_cast<int64_t>(list->items.size());
}

OpResult<std::vector<std::string>> ListOps::Pop(std::string_view key, ListEnd where,
                                                int64_t count) {
  auto found = FindList(db_, key, true);
  if (!found.ok()) return found.status();
  auto& items = (*found)->items;
  size_t n = std::min<uint64_t>(static_cast<uint64_t>(std::max<int64_t>(count, 0)), items.size());
  std::vector<std::string> out;
  out.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    if (where == ListEnd::kHead) {
      out.push_back(std::move(items.front()));
      items.pop_front();
    } else {
      out.push_back(std::move(items.back()));
      items.pop_back();
    }
  }
  if (items.empty()) db_.Delete(key);
  return out;
}

OpResult<std::vector<std::string_view>> ListOps::Range(std::string_view key, int64_t start,
                                                       int64_t end) {
  auto found = FindList(db_, key, false);
  if (found.status() == OpStatus::kNotFound) return std::vector<std::string_view>{};
  if (!found.ok()) return found.status();
  const auto& items = (*found)->items;
  std::vector<std::string_view> out;
  if (!ClampRange(static_cast<int64_t>(items.size()), &start, &end)) return out;
  out.reserve(static_cast<size_t>(end - start + 1));
  for (auto it = items.begin() + start, last = items.begin() + end + 1; it != last; ++it)
    out.emplace_back(*it);
  return out;
}

OpResult<int64_t> ListOps::Len(std::string_view key) {
  auto found = FindList(db_, key, false);
  if (found.status() == OpStatus::kNotFound) return int64_t{0};
  if (!found.ok()) return found.status();
  return static_cast<int64_t>((*found)->items.size());
}

OpResult<std::optional<std::string_view>> ListOps::Index(std::string_view key,
                                                         std::string_view index_arg) {
  auto found = FindList(db_, key, false);
  if (!found.ok()) return found.status();
  int64_t index;
  if (!ParseInt64(index_arg, &index)) return OpStatus::kNotInteger;
  const auto& items = (*found)->items;
  if (!NormalizeIndex(static_cast<int64_t>(items.size()), &index))
    return std::optional<std::string_view>();
  return std::optional<std::string_view>(items[static_cast<size_t>(index)]);
}

OpStatus ListOps::Set(std::string_view key, std::string_view index_arg, std::string_view value) {
  auto found = FindList(db_, key, true);
  if (!found.ok()) return found.status();
  int64_t index;
  if (!ParseInt64(index_arg, &index)) return OpStatus::kNotInteger;
  auto& items = (*found)->items;
  if (!NormalizeIndex(static_cast<int64_t>(items.size()), &index)) return OpStatus::kOutOfRange;
  items[static_cast<size_t>(index)].assign(value);
  return OpStatus::kOk;
}

OpResult<int64_t> ListOps::Remove(std::string_view key, int64_t count, std::string_view value) {
  auto found = FindList(db_, key, true);
  if (found.status() == OpStatus::kNotFound) return int64_t{0};
  if (!found.ok()) return found.status();
  auto& items = (*found)->items;
  // |count| without overflow for INT64_MIN; 0 means no limit.
  uint64_t limit = count < 0 ? 0 - static_cast<uint64_t>(count) : static_cast<uint64_t>(count);
  uint64_t removed = 0;
  auto matches = [&](const std::string& s) {
    if ((limit == 0 || removed < limit) && s == value) {
      ++removed;
      return true;
    }
    return false;
  };
  // One compaction pass instead of erasing one by one (O(n) not O(n*m)).
  if (count >= 0) {
    items.erase(std::remove_if(items.begin(), items.end(), matches), items.end());
  } else {
    auto rfirst = std::remove_if(items.rbegin(), items.rend(), matches);
    items.erase(items.begin(), rfirst.base());
  }
  if (items.empty()) db_.Delete(key);
  return static_cast<int64_t>(removed);
}

OpResult<int64_t> ListOps::Trim(std::string_view key, int64_t start, int64_t end) {
  auto found = FindList(db_, key, true);
  if (found.status() == OpStatus::kNotFound) return int64_t{0};
  if (!found.ok()) return found.status();
  auto& items = (*found)->items;
  int64_t len = static_cast<int64_t>(items.size());
  int64_t ltrim = len, rtrim = 0;
  if (ClampRange(len, &start, &end)) {
    ltrim = start;
    rtrim = len - end - 1;
  }
  items.erase(items.end() - rtrim, items.end());
  items.erase(items.begin(), items.begin() + ltrim);
  if (items.empty()) db_.Delete(key);
  return ltrim + rtrim;
}

OpResult<int64_t> ListOps::Insert(std::string_view key, bool after, std::string_view pivot,
                                  std::string_view value) {
  auto found = FindList(db_, key, true);
  if (found.status() == OpStatus::kNotFound) return int64_t{0};
  if (!found.ok()) return found.status();
  auto& items = (*found)->items;
  auto it = std::find(items.begin(), items.end(), pivot);
  if (it == items.end()) return int64_t{-1};
  if (after) ++it;
  items.emplace(it, value);
  return static_cast<int64_t>(items.size());
}

OpResult<std::vector<int64_t>> ListOps::Positions(std::string_view key, std::string_view element,
                                                  int64_t rank, uint64_t limit, uint64_t maxlen) {
  auto found = FindList(db_, key, false);
  if (!found.ok()) return found.status();
  const auto& items = (*found)->items;
  bool from_tail = rank < 0;
  // Matches to skip: |rank|-1. Redis negates INT64_MIN to itself, which
  // then accepts the first match: do the same.
  uint64_t skip = rank == INT64_MIN ? 0 : static_cast<uint64_t>(from_tail ? -rank : rank) - 1;
  uint64_t len = items.size();
  uint64_t scan = maxlen == 0 ? len : std::min(len, maxlen);
  std::vector<int64_t> out;
  for (uint64_t i = 0; i < scan; ++i) {
    uint64_t index = from_tail ? len - 1 - i : i;
    if (items[index] != element) continue;
    if (skip > 0) {
      --skip;
      continue;
    }
    out.push_back(static_cast<int64_t>(index));
    if (limit != 0 && out.size() >= limit) break;
  }
  return out;
}

OpResult<std::string> ListOps::Move(std::string_view src, std::string_view dst, ListEnd from,
                                    ListEnd to) {
  auto s = FindList(db_, src, true);
  if (!s.ok()) return s.status();
  auto d = FindList(db_, dst, true);
  if (!d.ok() && d.status() != OpStatus::kNotFound) return d.status();
  auto& src_items = (*s)->items;
  std::string value;
  if (from == ListEnd::kHead) {
    value = std::move(src_items.front());
    src_items.pop_front();
  } else {
    value = std::move(src_items.back());
    src_items.pop_back();
  }
  // When src is dst, the element goes straight back: keep the key.
  bool same = d.ok() && *d == *s;
  if (src_items.empty() && !same) db_.Delete(src);
  ListObject* list;
  if (d.ok()) {
    list = *d;
  } else {
    list = new ListObject;
    AddObject(db_, dst, ValueType::kList, list);
  }
  if (to == ListEnd::kHead) {
    list->items.push_front(value);
  } else {
    list->items.push_back(value);
  }
  return value;
}

bool ListOps::IsList(std::string_view key) {
  return FindList(db_, key, true).ok();
}

}  // namespace ordis
