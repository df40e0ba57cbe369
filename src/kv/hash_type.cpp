#include "kv/hash_type.h"

#include <algorithm>
#include <cmath>

#include "util/strutil.h"

namespace ordis {

// --- HashObject ------------------------------------------------------------

HashObject::HashObject(const HashObject& o) : Object(), pairs_(o.pairs_) {
  if (!o.table_) return;
  table_ = new HashTable<Node>;
  o.table_->ForEach([&](const Node* n) { table_->Insert(new Node{nullptr, n->field, n->value}); });
}

HashObject::~HashObject() {
  if (!table_) return;
  table_->Clear([](Node* n) { delete n; });
  delete table_;
}

size_t HashObject::MemoryUsage() const {
  size_t n = sizeof(*this) + pairs_.capacity() * sizeof(pairs_[0]);
  for (const auto& [f, v] : pairs_) n += StringHeapBytes(f) + StringHeapBytes(v);
  if (table_) {
    n += sizeof(*table_) + table_->overhead_bytes();
    table_->ForEach([&](const Node* node) {
      n += sizeof(Node) + StringHeapBytes(node->field) + StringHeapBytes(node->value);
    });
  }
  return n;
}

std::vector<std::pair<std::string, std::string>>::iterator HashObject::FindPair(
    std::string_view field) {
  return std::find_if(pairs_.begin(), pairs_.end(),
                      [&](const auto& p) { return p.first == field; });
}

void HashObject::ConvertToHashtable() {
  if (table_) return;
  table_ = new HashTable<Node>;
  for (auto& [f, v] : pairs_) table_->Insert(new Node{nullptr, std::move(f), std::move(v)});
  pairs_.clear();
  pairs_.shrink_to_fit();
}

const std::string* HashObject::Get(std::string_view field) {
  if (table_) {
    Node* n = table_->Find(field);
    return n ? &n->value : nullptr;
  }
  auto it = FindPair(field);
  return it == pairs_.end() ? nullptr : &it->second;
}

bool HashObject::Set(std::string_view field, std::string_view value, int64_t max_entries,
                     int64_t max_value) {
  if (!table_ && (static_cast<int64_t>(field.size()) > max_value ||
                  static_cast<int64_t>(value.size()) > max_value)) {
    ConvertToHashtable();
  }
  if (table_) {
    if (Node* n = table_->Find(field)) {
      n->value.assign(value);
      return false;
    }
    table_->Insert(new Node{nullptr, std::string(field), std::string(value)});
    return true;
  }
  auto it = FindPair(field);
  if (it != pairs_.end()) {
    it->second.assign(value);
    return false;
  }
  pairs_.emplace_back(field, value);
  if (static_cast<int64_t>(pairs_.size()) > max_entries) ConvertToHashtable();
  return true;
}

bool HashObject::Remove(std::string_view field) {
  if (table_) {
    Node* n = table_->Remove(field);
    delete n;
    return n != nullptr;
  }
  auto it = FindPair(field);
  if (it == pairs_.end()) return false;
  pairs_.erase(it);  // keeps the order of the others, as a listpack does
  return true;
}

// --- HashOps ---------------------------------------------------------------

namespace {

OpResult<HashObject*> FindHash(Db& db, std::string_view key, bool write) {
  return FindObject<HashObject>(db, key, ValueType::kHash, write);
}

}  // namespace

OpResult<HashObject*> HashOps::FindOrCreate(std::string_view key) {
  auto found = FindHash(db_, key, true);
  if (found.status() != OpStatus::kNotFound) return found;
  auto* h = new HashObject;
  AddObject(db_, key, ValueType::kHash, h);
  return h;
}

void HashOps::DropIfEmpty(std::string_view key, HashObject* h) {
  if (h->size() == 0) db_.Delete(key);
}

OpResult<int64_t> HashOps::Set(std::string_view key, std::span<const std::string_view> pairs) {
  auto found = FindOrCreate(key);
  if (!found.ok()) return found.status();
  HashObject* h = *found;
  int64_t max_value = limits_.hash_max_listpack_value();
  if (h->is_listpack()) {
    // Redis looks at every argument before writing any (hashTypeTryConversion).
    for (std::string_view s : pairs) {
      if (static_cast<int64_t>(s.size()) > max_value) {
        h->ConvertToHashtable();
        break;
      }
    }
  }
  int64_t max_entries = h->is_listpack() ? limits_.hash_max_listpack_entries() : 0;
  int64_t created = 0;
  for (size_t i = 0; i + 1 < pairs.size(); i += 2)
    created += h->Set(pairs[i], pairs[i + 1], max_entries, max_value);
  return created;
}

OpResult<bool> HashOps::SetIfMissing(std::string_view key, std::string_view field,
                                     std::string_view value) {
  auto found = FindOrCreate(key);
  if (!found.ok()) return found.status();
  HashObject* h = *found;
  if (h->Get(field)) return false;
  int64_t max_entries = h->is_listpack() ? limits_.hash_max_listpack_entries() : 0;
  int64_t max_value = h->is_listpack() ? limits_.hash_max_listpack_value() : 0;
  (void)h->Set(field, value, max_entries, max_value);
  return true;
}

OpResult<std::optional<std::string_view>> HashOps::Get(std::string_view key,
                                                       std::string_view field) {
  auto found = FindHash(db_, key, false);
  if (!found.ok()) return found.status();
  const std::string* v = (*found)->Get(field);
  if (!v) return std::optional<std::string_view>();
  return std::optional<std::string_view>(*v);
}

OpResult<std::vector<std::optional<std::string_view>>> HashOps::MGet(
    std::string_view key, std::span<const std::string_view> fields) {
  auto found = FindHash(db_, key, false);
  std::vector<std::optional<std::string_view>> out(fields.size());
  if (found.status() == OpStatus::kNotFound) return out;
  if (!found.ok()) return found.status();
  for (size_t i = 0; i < fields.size(); ++i) {
    if (const std::string* v = (*found)->Get(fields[i])) out[i] = *v;
  }
  return out;
}

OpResult<int64_t> HashOps::Delete(std::string_view key, std::span<const std::string_view> fields) {
  auto found = FindHash(db_, key, true);
  if (found.status() == OpStatus::kNotFound) return int64_t{0};
  if (!found.ok()) return found.status();
  HashObject* h = *found;
  int64_t removed = 0;
  for (std::string_view f : fields) {
    if (!h->Remove(f)) continue;
    ++removed;
    if (h->size() == 0) {
      db_.Delete(key);
      break;
    }
  }
  return removed;
}

OpResult<int64_t> HashOps::Len(std::string_view key) {
  auto found = FindHash(db_, key, false);
  if (found.status() == OpStatus::kNotFound) return int64_t{0};
  if (!found.ok()) return found.status();
  return static_cast<int64_t>((*found)->size());
}

OpResult<bool> HashOps::Exists(std::string_view key, std::string_view field) {
  auto found = FindHash(db_, key, false);
  if (found.status() == OpStatus::kNotFound) return false;
  if (!found.ok()) return found.status();
  return (*found)->Get(field) != nullptr;
}

OpResult<int64_t> HashOps::StrLen(std::string_view key, std::string_view field) {
  auto found = FindHash(db_, key, false);
  if (found.status() == OpStatus::kNotFound) return int64_t{0};
  if (!found.ok()) return found.status();
  const std::string* v = (*found)->Get(field);
  return static_cast<int64_t>(v ? v->size() : 0);
}

OpResult<std::vector<std::pair<std::string_view, std::string_view>>> HashOps::GetAll(
    std::string_view key) {
  using Pairs = std::vector<std::pair<std::string_view, std::string_view>>;
  auto found = FindHash(db_, key, false);
  if (found.status() == OpStatus::kNotFound) return Pairs{};
  if (!found.ok()) return found.status();
  Pairs out;
  out.reserve((*found)->size());
  (*found)->ForEach([&](std::string_view f, std::string_view v) { out.emplace_back(f, v); });
  return out;
}

OpResult<int64_t> HashOps::IncrBy(std::string_view key, std::string_view field, int64_t delta) {
  auto found = FindOrCreate(key);
  if (!found.ok()) return found.status();
  HashObject* h = *found;
  int64_t value = 0;
  if (const std::string* cur = h->Get(field)) {
    if (!ParseInt64(*cur, &value)) return OpStatus::kNotInteger;
  }
  int64_t result;
  if (__builtin_add_overflow(value, delta, &result)) {
    DropIfEmpty(key, h);
    return OpStatus::kOverflow;
  }
  int64_t max_entries = h->is_listpack() ? limits_.hash_max_listpack_entries() : 0;
  int64_t max_value = h->is_listpack() ? limits_.hash_max_listpack_value() : 0;
  (void)h->Set(field, Int64ToString(result), max_entries, max_value);
  return result;
}

OpResult<std::string> HashOps::IncrByFloat(std::string_view key, std::string_view field,
                                           long double delta) {
  auto found = FindOrCreate(key);
  if (!found.ok()) return found.status();
  HashObject* h = *found;
  long double value = 0;
  if (const std::string* cur = h->Get(field)) {
    if (!ParseLongDouble(*cur, &value)) return OpStatus::kNotFloat;
  }
  value += delta;
  if (std::isnan(value) || std::isinf(value)) {
    DropIfEmpty(key, h);
    return OpStatus::kNanOrInf;
  }
  std::string text = LongDoubleToString(value);
  int64_t max_entries = h->is_listpack() ? limits_.hash_max_listpack_entries() : 0;
  int64_t max_value = h->is_listpack() ? limits_.hash_max_listpack_value() : 0;
  (void)h->Set(field, text, max_entries, max_value);
  return text;
}

}  // namespace ordis
