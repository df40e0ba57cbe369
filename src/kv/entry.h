// Entry: one key and its value in a single allocation.
//
// Layout: a 24-byte header, the key bytes, then the payload:
//   kEmbedded: the string value inline (capacity fixed at allocation)
//   kInt:      an int64 (string that is a canonical integer)
//   kRaw:      a pointer to a malloc'd buffer holding a large string
//   kObject:   a pointer to a heap Object (lists, hashes, ... in later issues)
// An Entry never moves once allocated: the expire index and iterators may
// hold pointers to it. Replacing a value that no longer fits changes the
// encoding, not the address.
//
// Thread safety: none; owned by the Db on the loop thread.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace ordis {

enum class ValueType : uint8_t { kString = 0, kList, kSet, kZSet, kHash, kStream };
enum class Encoding : uint8_t { kEmbedded = 0, kInt, kRaw, kObject };

// Base of non-string values; owned by the Entry.
struct Object {
  virtual ~Object() = default;
  virtual Object* Clone() const = 0;
  virtual size_t MemoryUsage() const = 0;
  virtual const char* EncodingName() const = 0;
};

struct Entry {
  static constexpr uint8_t kHasExpire = 1;   // an expire-index node exists
  static constexpr uint8_t kMutated = 2;     // modified in place: reports "raw"
  static constexpr size_t kInlineMax = 512;  // larger strings go to kRaw
  // Bits 2..7 of flags: the snapshot epoch (snapshot/). Db::Add and Db::Set
  // stamp the keyspace's current epoch; a snapshot in progress stamps the
  // entries it has copied. Equal to KeyspaceContext::snapshot_epoch means
  // "not to be copied by the snapshot in progress".
  static constexpr int kEpochShift = 2;
  static constexpr uint8_t kEpochMax = 63;

  Entry* next;  // hash chain
  uint32_t key_len;
  ValueType type;
  Encoding enc;
  uint8_t flags;
  uint8_t freq;      // LFU-style access counter (OBJECT FREQ)
  uint32_t lru;      // last access, seconds of the server clock (OBJECT IDLETIME)
  uint32_t val_len;  // kEmbedded/kRaw: string length
  char data[];       // key bytes, then payload

  std::string_view key() const { return {data, key_len}; }
  char* payload() { return data + key_len; }
  const char* payload() const { return data + key_len; }

  bool is_string() const { return type == ValueType::kString; }
  bool has_expire() const { return flags & kHasExpire; }
  uint8_t snapshot_epoch() const { return static_cast<uint8_t>(flags >> kEpochShift); }
  void set_snapshot_epoch(uint8_t epoch) {
    flags = static_cast<uint8_t>((flags & ((1u << kEpochShift) - 1)) | (epoch << kEpochShift));
  }

  // REQUIRES: is_string(). For kInt, scratch receives the digits.
  std::string_view str(std::string* scratch) const;
  int64_t int_value() const {
    int64_t v;
    std::memcpy(&v, payload(), sizeof v);
    return v;
  }
  Object* object() const {
    Object* o;
    std::memcpy(&o, payload(), sizeof o);
    return o;
  }
  char* raw_ptr() const {
    char* p;
    std::memcpy(&p, payload(), sizeof p);
    return p;
  }
  // Bytes available inline for an embedded value.
  size_t inline_capacity() const;
  // Bytes used by this entry and what it owns (MEMORY USAGE, stats).
  size_t MemoryUsage() const;
  const char* EncodingName() const;
};

static_assert(sizeof(Entry) == 24, "Entry header is 24 bytes");

// Creation and destruction. All return/accept owning raw pointers because
// entries live in intrusive chains; the Db is the owner.
Entry* NewStringEntry(std::string_view key, std::string_view value);
Entry* NewIntEntry(std::string_view key, int64_t v);
Entry* NewObjectEntry(std::string_view key, ValueType type, Object* obj);
// Copies key from src into a fresh entry with a deep copy of its value.
Entry* CloneEntry(const Entry* src, std::string_view new_key);
void FreeEntry(Entry* e);

// Replaces e's value with a string / integer / object, in place.
// The old value is freed. Clears kMutated.
void SetStringValue(Entry* e, std::string_view value);
void SetIntValue(Entry* e, int64_t v);
void SetObjectValue(Entry* e, ValueType type, Object* obj);

// Makes room for a string of new_len bytes, keeping the first
// min(old,new_len) bytes, zero-filling growth; converts kInt to a string
// first. Returns a writable pointer to the value. Sets kMutated.
char* ResizeString(Entry* e, size_t new_len);

// True if s is a canonical integer Redis would store with "int" encoding.
bool LooksLikeInt(std::string_view s, int64_t* v);

}  // namespace ordis
