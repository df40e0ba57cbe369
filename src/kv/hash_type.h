// Hashes: HashObject (the value) and HashOps (the storage operations
// behind HSET, HGET, HDEL, HINCRBY, ...). Common rules in kv/types.h.
//
// Encodings, as Redis 7.0 reports them:
//   "listpack":  a vector of (field, value) pairs in insertion order, while
//                there are at most hash-max-listpack-entries pairs and no
//                field or value written was longer than
//                hash-max-listpack-value bytes;
//   "hashtable": a HashTable of fields otherwise (never converts back).
// Like Redis, HSET/HMSET/HSETNX check the length of every argument before
// writing, so a long value converts the hash even if its field exists.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "kv/hash_table.h"
#include "kv/types.h"

namespace ordis {

class HashObject final : public Object {
 public:
  HashObject() = default;  // an empty listpack
  HashObject(const HashObject& o);
  HashObject& operator=(const HashObject&) = delete;
  ~HashObject() override;

  Object* Clone() const override { return new HashObject(*this); }
  size_t MemoryUsage() const override;
  const char* EncodingName() const override { return table_ ? "hashtable" : "listpack"; }

  bool is_listpack() const { return table_ == nullptr; }
  size_t size() const { return table_ ? table_->size() : pairs_.size(); }

  // The value of field, or nullptr.
  const std::string* Get(std::string_view field);
  // Sets field to value; returns true if the field is new. Converts to a
  // hashtable when either string is longer than max_value or the hash
  // grows past max_entries.
  bool Set(std::string_view field, std::string_view value, int64_t max_entries, int64_t max_value);
  // Removes field; returns false if it was not there.
  bool Remove(std::string_view field);

  // Calls fn(field, value) for each pair: insertion order for listpacks,
  // table order otherwise. fn must not modify the hash.
  template <typename Fn>
  void ForEach(Fn&& fn) const {
    if (table_) {
      table_->ForEach(
          [&](const Node* n) { fn(std::string_view(n->field), std::string_view(n->value)); });
      return;
    }
    for (const auto& [f, v] : pairs_) fn(std::string_view(f), std::string_view(v));
  }

  void ConvertToHashtable();

 private:
  struct Node {
    Node* next;
    std::string field;
    std::string value;
    std::string_view key() const { return field; }
  };
  std::vector<std::pair<std::string, std::string>>::iterator FindPair(std::string_view field);

  std::vector<std::pair<std::string, std::string>> pairs_;  // listpack encoding
  HashTable<Node>* table_ = nullptr;                        // hashtable encoding, when not null
};

class HashOps {
 public:
  HashOps(Db& db, const EncodingLimits& limits) : db_(db), limits_(limits) {}

  // HSET/HMSET: pairs holds field, value, field, value...; returns how many
  // fields were new. Creates the key.
  OpResult<int64_t> Set(std::string_view key, std::span<const std::string_view> pairs);
  // HSETNX: true if the field was set (it did not exist). Creates the key.
  OpResult<bool> SetIfMissing(std::string_view key, std::string_view field, std::string_view value);
  // HGET: kNotFound when the key is absent; nullopt when the field is.
  OpResult<std::optional<std::string_view>> Get(std::string_view key, std::string_view field);
  // HMGET: one entry per field; all nullopt when the key is absent.
  OpResult<std::vector<std::optional<std::string_view>>> MGet(
      std::string_view key, std::span<const std::string_view> fields);
  // HDEL: returns how many fields were removed; 0 when absent.
  OpResult<int64_t> Delete(std::string_view key, std::span<const std::string_view> fields);
  // HLEN: 0 when absent.
  OpResult<int64_t> Len(std::string_view key);
  // HEXISTS: false when absent.
  OpResult<bool> Exists(std::string_view key, std::string_view field);
  // HSTRLEN: 0 when the key or field is absent.
  OpResult<int64_t> StrLen(std::string_view key, std::string_view field);
  // HGETALL/HKEYS/HVALS: (field, value) pairs; empty when absent.
  OpResult<std::vector<std::pair<std::string_view, std::string_view>>> GetAll(std::string_view key);

  // HINCRBY: returns the new value. kNotInteger when the value is not an
  // integer ("hash value is not an integer"), kOverflow. Creates the key.
  OpResult<int64_t> IncrBy(std::string_view key, std::string_view field, int64_t delta);
  // HINCRBYFLOAT: returns the new value as stored (INCRBYFLOAT format).
  // kNotFloat when the value is not a number, kNanOrInf when the result
  // is not finite. REQUIRES: delta is finite. Creates the key.
  OpResult<std::string> IncrByFloat(std::string_view key, std::string_view field,
                                    long double delta);

 private:
  // The hash at key for a write, created (empty) when absent.
  OpResult<HashObject*> FindOrCreate(std::string_view key);
  // Deletes key if the hash at it is empty (after a failed write).
  void DropIfEmpty(std::string_view key, HashObject* h);

  Db& db_;
  const EncodingLimits& limits_;
};

}  // namespace ordis
