// Sets: SetObject (the value) and SetOps (the storage operations behind
// SADD, SREM, SMEMBERS, SPOP, ...). Common rules in kv/types.h.
//
// Encodings, as Redis 7.0 reports them:
//   "intset":    a sorted vector of int64, while every member is a
//                canonical integer and there are at most
//                set-max-intset-entries of them;
//   "hashtable": a HashTable of members otherwise.
// A set never converts back from hashtable to intset, except that SPOP
// with a large count rebuilds the set (as Redis does) and the rebuilt set
// starts over as an intset when its first member is an integer.
#pragma once

#include <cstdint>
#include <random>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "kv/hash_table.h"
#include "kv/types.h"

namespace ordis {

class SetObject final : public Object {
 public:
  SetObject() = default;  // an empty intset
  SetObject(const SetObject& o);
  SetObject& operator=(const SetObject&) = delete;
  ~SetObject() override;

  Object* Clone() const override { return new SetObject(*this); }
  size_t MemoryUsage() const override;
  const char* EncodingName() const override { return table_ ? "hashtable" : "intset"; }

  bool is_intset() const { return table_ == nullptr; }
  size_t size() const { return table_ ? table_->size() : ints_.size(); }

  bool Contains(std::string_view member);
  // Adds member; returns false if it was already there. Converts to a
  // hashtable when member is not an integer or the intset would exceed
  // max_intset_entries.
  bool Add(std::string_view member, int64_t max_intset_entries);
  // Removes member; returns false if it was not there.
  bool Remove(std::string_view member);
  // A random member (uniform for intsets; bucket-then-chain for tables).
  // REQUIRES: size() > 0. The view may point into *scratch.
  std::string_view Random(std::mt19937_64& rng, std::string* scratch);

  // Calls fn(member) for each member: ascending for intsets, table order
  // otherwise. fn must not modify the set.
  template <typename Fn>
  void ForEach(Fn&& fn) const {
    if (table_) {
      table_->ForEach([&](const Node* n) { fn(n->key()); });
      return;
    }
    char buf[24];
    for (int64_t v : ints_) fn(FormatInt(v, buf));
  }

  void ConvertToHashtable();

 private:
  struct Node {
    Node* next;
    uint32_t len;
    char data[];
    std::string_view key() const { return {data, len}; }
  };
  static Node* NewNode(std::string_view member);
  static std::string_view FormatInt(int64_t v, char (&buf)[24]);
  void InsertNode(std::string_view member);

  std::vector<int64_t> ints_;         // the intset, sorted; unused once a table
  HashTable<Node>* table_ = nullptr;  // the hashtable encoding, when not null
};

class SetOps {
 public:
  SetOps(Db& db, const EncodingLimits& limits) : db_(db), limits_(limits) {}

  // SADD: returns how many members were new. Creates the key.
  OpResult<int64_t> Add(std::string_view key, std::span<const std::string_view> members);
  // SREM: returns how many members were removed; 0 when absent.
  OpResult<int64_t> Remove(std::string_view key, std::span<const std::string_view> members);
  // SCARD: 0 when absent.
  OpResult<int64_t> Card(std::string_view key);
  // SISMEMBER / SMISMEMBER: one flag per member; all false when absent.
  OpResult<std::vector<bool>> Contains(std::string_view key,
                                       std::span<const std::string_view> members);
  // SMEMBERS: all members (intset: ascending); empty when absent.
  OpResult<std::vector<std::string>> Members(std::string_view key);

  // SRANDMEMBER without count: kNotFound when absent.
  OpResult<std::string> RandomMember(std::string_view key);
  // SRANDMEMBER with count: count >= 0 returns up to count distinct
  // members; a negative count returns |count| members that may repeat.
  // Empty when absent. REQUIRES: count != INT64_MIN.
  OpResult<std::vector<std::string>> RandomMembers(std::string_view key, int64_t count);

  // SPOP without count: kNotFound when absent.
  OpResult<std::string> Pop(std::string_view key);
  // SPOP with count: removes and returns up to count random members.
  // kNotFound when absent. REQUIRES: count >= 0.
  OpResult<std::vector<std::string>> PopMany(std::string_view key, int64_t count);

 private:
  Db& db_;
  const EncodingLimits& limits_;
};

}  // namespace ordis
