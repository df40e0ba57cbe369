#include "kv/entry.h"

#include <malloc.h>

#include <algorithm>
#include <cstdlib>
#include <new>

#include "util/strutil.h"

namespace ordis {

namespace {

constexpr size_t kHeader = sizeof(Entry);

Entry* AllocEntry(std::string_view key, size_t payload) {
  size_t n = kHeader + key.size() + std::max<size_t>(payload, sizeof(void*));
  auto* e = static_cast<Entry*>(std::malloc(n));
  if (!e) throw std::bad_alloc();
  e->next = nullptr;
  e->key_len = static_cast<uint32_t>(key.size());
  e->type = ValueType::kString;
  e->enc = Encoding::kEmbedded;
  e->flags = 0;
  e->freq = 0;
  e->lru = 0;
  e->val_len = 0;
  std::memcpy(e->data, key.data(), key.size());
  return e;
}

void FreeValue(Entry* e) {
  if (e->enc == Encoding::kRaw) {
    std::free(e->raw_ptr());
  } else if (e->enc == Encoding::kObject) {
    delete e->object();
  }
}

void StoreRaw(Entry* e, std::string_view value) {
  char* p = static_cast<char*>(std::malloc(std::max<size_t>(value.size(), 1)));
  if (!p) throw std::bad_alloc();
  if (!value.empty()) std::memcpy(p, value.data(), value.size());
  std::memcpy(e->payload(), &p, sizeof p);
  e->enc = Encoding::kRaw;
  e->val_len = static_cast<uint32_t>(value.size());
}

}  // namespace

bool LooksLikeInt(std::string_view s, int64_t* v) {
  return s.size() <= 20 && ParseInt64(s, v);
}

std::string_view Entry::str(std::string* scratch) const {
  switch (enc) {
    case Encoding::kEmbedded:
      return {payload(), val_len};
    case Encoding::kRaw:
      return {raw_ptr(), val_len};
    case Encoding::kInt:
      scratch->clear();
      AppendInt64(scratch, int_value());
      return *scratch;
    case Encoding::kObject:
      break;
  }
  return {};
}

size_t Entry::inline_capacity() const {
  size_t usable = malloc_usable_size(const_cast<Entry*>(this));
  return usable - kHeader - key_len;
}

size_t Entry::MemoryUsage() const {
  size_t n = malloc_usable_size(const_cast<Entry*>(this));
  if (enc == Encoding::kRaw) n += malloc_usable_size(raw_ptr());
  if (enc == Encoding::kObject) n += object()->MemoryUsage();
  return n;
}

const char* Entry::EncodingName() const {
  switch (enc) {
    case Encoding::kInt:
      return "int";
    case Encoding::kObject:
      return object()->EncodingName();
    default:
      return (val_len > 44 || (flags & kMutated) || enc == Encoding::kRaw) ? "raw" : "embstr";
  }
}

Entry* NewStringEntry(std::string_view key, std::string_view value) {
  int64_t iv;
  if (LooksLikeInt(value, &iv)) return NewIntEntry(key, iv);
  if (value.size() > Entry::kInlineMax) {
    Entry* e = AllocEntry(key, sizeof(char*));
    StoreRaw(e, value);
    return e;
  }
  Entry* e = AllocEntry(key, value.size());
  std::memcpy(e->payload(), value.data(), value.size());
  e->val_len = static_cast<uint32_t>(value.size());
  return e;
}

Entry* NewIntEntry(std::string_view key, int64_t v) {
  Entry* e = AllocEntry(key, sizeof v);
  e->enc = Encoding::kInt;
  std::memcpy(e->payload(), &v, sizeof v);
  return e;
}

Entry* NewObjectEntry(std::string_view key, ValueType type, Object* obj) {
  Entry* e = AllocEntry(key, sizeof obj);
  e->type = type;
  e->enc = Encoding::kObject;
  std::memcpy(e->payload(), &obj, sizeof obj);
  return e;
}

Entry* CloneEntry(const Entry* src, std::string_view new_key) {
  Entry* e;
  switch (src->enc) {
    case Encoding::kInt:
      e = NewIntEntry(new_key, src->int_value());
      break;
    case Encoding::kObject:
      e = NewObjectEntry(new_key, src->type, src->object()->Clone());
      break;
    default: {
      std::string scratch;
      std::string_view v = src->str(&scratch);
      if (v.size() > Entry::kInlineMax) {
        e = AllocEntry(new_key, sizeof(char*));
        StoreRaw(e, v);
      } else {
        e = AllocEntry(new_key, v.size());
        std::memcpy(e->payload(), v.data(), v.size());
        e->val_len = static_cast<uint32_t>(v.size());
      }
      e->flags |= (src->flags & Entry::kMutated);
      break;
    }
  }
  return e;
}

void FreeEntry(Entry* e) {
  if (!e) return;
  FreeValue(e);
  std::free(e);
}

void SetStringValue(Entry* e, std::string_view value) {
  int64_t iv;
  if (LooksLikeInt(value, &iv)) {
    SetIntValue(e, iv);
    return;
  }
  // The new value may alias the old raw buffer (e.g. APPEND-like callers):
  // copy before freeing.
  if (value.size() <= Entry::kInlineMax && value.size() <= e->inline_capacity()) {
    if (e->enc == Encoding::kRaw) {
      char* old = e->raw_ptr();
      std::memmove(e->payload(), value.data(), value.size());
      std::free(old);
    } else {
      FreeValue(e);
      std::memmove(e->payload(), value.data(), value.size());
    }
    e->enc = Encoding::kEmbedded;
    e->type = ValueType::kString;
    e->val_len = static_cast<uint32_t>(value.size());
  } else {
    char* p = static_cast<char*>(std::malloc(std::max<size_t>(value.size(), 1)));
    if (!p) throw std::bad_alloc();
    if (!value.empty()) std::memcpy(p, value.data(), value.size());
    FreeValue(e);
    std::memcpy(e->payload(), &p, sizeof p);
    e->enc = Encoding::kRaw;
    e->type = ValueType::kString;
    e->val_len = static_cast<uint32_t>(value.size());
  }
  e->flags &= static_cast<uint8_t>(~Entry::kMutated);
}

void SetIntValue(Entry* e, int64_t v) {
  FreeValue(e);
  e->type = ValueType::kString;
  e->enc = Encoding::kInt;
  e->val_len = 0;
  std::memcpy(e->payload(), &v, sizeof v);
  e->flags &= static_cast<uint8_t>(~Entry::kMutated);
}

void SetObjectValue(Entry* e, ValueType type, Object* obj) {
  FreeValue(e);
  e->type = type;
  e->enc = Encoding::kObject;
  e->val_len = 0;
  std::memcpy(e->payload(), &obj, sizeof obj);
  e->flags &= static_cast<uint8_t>(~Entry::kMutated);
}

char* ResizeString(Entry* e, size_t new_len) {
  if (e->enc == Encoding::kInt) {
    std::string digits = Int64ToString(e->int_value());
    SetStringValue(e, "");  // becomes embedded empty (never int: "" is not an int)
    char* p = ResizeString(e, digits.size());
    std::memcpy(p, digits.data(), digits.size());
    return ResizeString(e, new_len);
  }
  e->flags |= Entry::kMutated;
  size_t old = e->val_len;
  if (e->enc == Encoding::kEmbedded) {
    if (new_len <= e->inline_capacity()) {
      if (new_len > old) std::memset(e->payload() + old, 0, new_len - old);
      e->val_len = static_cast<uint32_t>(new_len);
      return e->payload();
    }
    // Move out of line; grow geometrically so repeated APPENDs are O(1).
    size_t cap = std::max(new_len, old * 2);
    char* p = static_cast<char*>(std::malloc(cap));
    if (!p) throw std::bad_alloc();
    std::memcpy(p, e->payload(), old);
    std::memset(p + old, 0, new_len - old);
    std::memcpy(e->payload(), &p, sizeof p);
    e->enc = Encoding::kRaw;
    e->val_len = static_cast<uint32_t>(new_len);
    return p;
  }
  char* p = e->raw_ptr();
  size_t cap = malloc_usable_size(p);
  if (new_len > cap) {
    size_t ncap = new_len < (1u << 20) ? std::max(new_len, cap * 2) : new_len + (1u << 20);
    char* np = static_cast<char*>(std::realloc(p, ncap));
    if (!np) throw std::bad_alloc();
    p = np;
    std::memcpy(e->payload(), &p, sizeof p);
  }
  if (new_len > old) std::memset(p + old, 0, new_len - old);
  e->val_len = static_cast<uint32_t>(new_len);
  return p;
}

}  // namespace ordis
