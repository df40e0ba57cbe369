#include "kv/set_type.h"

#include <malloc.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <new>
#include <unordered_set>

#include "util/strutil.h"

namespace ordis {

// --- SetObject -------------------------------------------------------------

SetObject::Node* SetObject::NewNode(std::string_view member) {
  auto* n = static_cast<Node*>(std::malloc(sizeof(Node) + member.size()));
  if (!n) throw std::bad_alloc();
  n->next = nullptr;
  n->len = static_cast<uint32_t>(member.size());
  if (!member.empty()) std::memcpy(n->data, member.data(), member.size());
  return n;
}

std::string_view SetObject::FormatInt(int64_t v, char (&buf)[24]) {
  char* end = buf + sizeof(buf);
  char* p = end;
  uint64_t u = v < 0 ? 0 - static_cast<uint64_t>(v) : static_cast<uint64_t>(v);
  do {
    *--p = static_cast<char>('0' + u % 10);
    u /= 10;
  } while (u);
  if (v < 0) *--p = '-';
  return {p, static_cast<size_t>(end - p)};
}

SetObject::SetObject(const SetObject& o) : Object(), ints_(o.ints_) {
  if (!o.table_) return;
  table_ = new HashTable<Node>;
  o.table_->ForEach([&](const Node* n) { table_->Insert(NewNode(n->key())); });
}

SetObject::~SetObject() {
  if (!table_) return;
  table_->Clear([](Node* n) { std::free(n); });
  delete table_;
}

size_t SetObject::MemoryUsage() const {
  size_t n = sizeof(*this) + ints_.capacity() * sizeof(int64_t);
  if (table_) {
    n += sizeof(*table_) + table_->overhead_bytes();
    table_->ForEach([&](Node* node) { n += malloc_usable_size(node); });
  }
  return n;
}

void SetObject::InsertNode(std::string_view member) {
  table_->Insert(NewNode(member));
}

void SetObject::ConvertToHashtable() {
  if (table_) return;
  table_ = new HashTable<Node>;
  char buf[24];
  for (int64_t v : ints_) InsertNode(FormatInt(v, buf));
  ints_.clear();
  ints_.shrink_to_fit();
}

bool SetObject::Contains(std::string_view member) {
  if (table_) return table_->Find(member) != nullptr;
  int64_t v;
  return LooksLikeInt(member, &v) && std::binary_search(ints_.begin(), ints_.end(), v);
}

bool SetObject::Add(std::string_view member, int64_t max_intset_entries) {
  if (!table_) {
    int64_t v;
    if (LooksLikeInt(member, &v)) {
      auto it = std::lower_bound(ints_.begin(), ints_.end(), v);
      if (it != ints_.end() && *it == v) return false;
      ints_.insert(it, v);
      // Redis caps the intset at 2^30 entries whatever the option says.
      int64_t cap = std::min<int64_t>(max_intset_entries, int64_t{1} << 30);
      if (static_cast<int64_t>(ints_.size()) > cap) ConvertToHashtable();
      return true;
    }
    ConvertToHashtable();
  }
  if (table_->Find(member)) return false;
  InsertNode(member);
  return true;
}

bool SetObject::Remove(std::string_view member) {
  if (table_) {
    Node* n = table_->Remove(member);
    std::free(n);
    return n != nullptr;
  }
  int64_t v;
  if (!LooksLikeInt(member, &v)) return false;
  auto it = std::lower_bound(ints_.begin(), ints_.end(), v);
  if (it == ints_.end() || *it != v) return false;
  ints_.erase(it);
  return true;
}

std::string_view SetObject::Random(std::mt19937_64& rng, std::string* scratch) {
  if (table_) return table_->Random(rng)->key();
  char buf[24];
  *scratch = FormatInt(ints_[rng() % ints_.size()], buf);
  return *scratch;
}

// --- SetOps ----------------------------------------------------------------

namespace {

OpResult<SetObject*> FindSet(Db& db, std::string_view key, bool write) {
  return FindObject<SetObject>(db, key, ValueType::kSet, write);
}

std::vector<std::string> AllMembers(const SetObject& set) {
  std::vector<std::string> out;
  out.reserve(set.size());
  set.ForEach([&](std::string_view m) { out.emplace_back(m); });
  return out;
}

}  // namespace

OpResult<int64_t> SetOps::Add(std::string_view key, std::span<const std::string_view> members) {
  auto found = FindSet(db_, key, true);
  SetObject* set;
  if (found.ok()) {
    set = *found;
  } else if (found.status() != OpStatus::kNotFound) {
    return found.status();
  } else {
    set = new SetObject;
    AddObject(db_, key, ValueType::kSet, set);
  }
  int64_t added = 0;
  for (std::string_view m : members) added += set->Add(m, limits_.set_max_intset_entries());
  return added;
}

OpResult<int64_t> SetOps::Remove(std::string_view key, std::span<const std::string_view> members) {
  auto found = FindSet(db_, key, true);
  if (found.status() == OpStatus::kNotFound) return int64_t{0};
  if (!found.ok()) return found.status();
  SetObject* set = *found;
  int64_t removed = 0;
  for (std::string_view m : members) {
    if (!set->Remove(m)) continue;
    ++removed;
    if (set->size() == 0) {
      db_.Delete(key);
      break;
    }
  }
  return removed;
}

OpResult<int64_t> SetOps::Card(std::string_view key) {
  auto found = FindSet(db_, key, false);
  if (found.status() == OpStatus::kNotFound) return int64_t{0};
  if (!found.ok()) return found.status();
  return static_cast<int64_t>((*found)->size());
}

OpResult<std::vector<bool>> SetOps::Contains(std::string_view key,
                                             std::span<const std::string_view> members) {
  auto found = FindSet(db_, key, false);
  std::vector<bool> out(members.size(), false);
  if (found.status() == OpStatus::kNotFound) return out;
  if (!found.ok()) return found.status();
  for (size_t i = 0; i < members.size(); ++i) out[i] = (*found)->Contains(members[i]);
  return out;
}

OpResult<std::vector<std::string>> SetOps::Members(std::string_view key) {
  auto found = FindSet(db_, key, false);
  if (found.status() == OpStatus::kNotFound) return std::vector<std::string>{};
  if (!found.ok()) return found.status();
  return AllMembers(**found);
}

OpResult<std::string> SetOps::RandomMember(std::string_view key) {
  auto found = FindSet(db_, key, false);
  if (!found.ok()) return found.status();
  std::string scratch;
  return std::string((*found)->Random(db_.context().rng, &scratch));
}

OpResult<std::vector<std::string>> SetOps::RandomMembers(std::string_view key, int64_t count) {
  auto found = FindSet(db_, key, false);
  if (found.status() == OpStatus::kNotFound) return std::vector<std::string>{};
  if (!found.ok()) return found.status();
  SetObject* set = *found;
  auto& rng = db_.context().rng;
  std::vector<std::string> out;
  std::string scratch;
  if (count < 0 || count == 1) {
    // Independent draws: members may repeat.
    uint64_t n = count < 0 ? 0 - static_cast<uint64_t>(count) : 1;
    out.reserve(std::min<uint64_t>(n, 1 << 20));
    for (uint64_t i = 0; i < n; ++i) out.emplace_back(set->Random(rng, &scratch));
    return out;
  }
  uint64_t size = set->size();
  if (count == 0) return out;
  if (static_cast<uint64_t>(count) >= size) return AllMembers(*set);
  if (static_cast<uint64_t>(count) * 3 > size) {
    // Close to the whole set: take everything and drop random members.
    out = AllMembers(*set);
    while (out.size() > static_cast<uint64_t>(count)) {
      size_t i = rng() % out.size();
      std::swap(out[i], out.back());
      out.pop_back();
    }
    return out;
  }
  // Small sample of a big set: draw until enough distinct members.
  std::unordered_set<std::string> seen;
  while (out.size() < static_cast<uint64_t>(count)) {
    std::string_view m = set->Random(rng, &scratch);
    if (seen.emplace(m).second) out.emplace_back(m);
  }
  return out;
}

OpResult<std::string> SetOps::Pop(std::string_view key) {
  auto found = FindSet(db_, key, true);
  if (!found.ok()) return found.status();
  SetObject* set = *found;
  std::string scratch;
  std::string member(set->Random(db_.context().rng, &scratch));
  (void)set->Remove(member);
  if (set->size() == 0) db_.Delete(key);
  return member;
}

OpResult<std::vector<std::string>> SetOps::PopMany(std::string_view key, int64_t count) {
  auto found = FindSet(db_, key, true);
  if (!found.ok()) return found.status();
  SetObject* set = *found;
  std::vector<std::string> out;
  uint64_t size = set->size();
  if (count <= 0) return out;
  if (static_cast<uint64_t>(count) >= size) {
    out = AllMembers(*set);
    db_.Delete(key);
    return out;
  }
  auto& rng = db_.context().rng;
  std::string scratch;
  uint64_t remaining = size - static_cast<uint64_t>(count);
  if (remaining * 5 > static_cast<uint64_t>(count)) {
    // Few members leave: draw and remove them one by one.
    out.reserve(static_cast<size_t>(count));
    for (int64_t i = 0; i < count; ++i) {
      out.emplace_back(set->Random(rng, &scratch));
      (void)set->Remove(out.back());
    }
    return out;
  }
  // Most members leave: move the few that stay into a new set and hand
  // back the old one, as Redis does (the new set starts as an intset).
  auto* kept = new SetObject;
  int64_t max_intset = limits_.set_max_intset_entries();
  for (uint64_t i = 0; i < remaining; ++i) {
    std::string m(set->Random(rng, &scratch));
    kept->Add(m, max_intset);
    (void)set->Remove(m);
  }
  out = AllMembers(*set);
  Entry* e = db_.FindQuiet(key);
  SetObjectValue(e, ValueType::kSet, kept);  // frees the old set
  return out;
}

}  // namespace ordis
