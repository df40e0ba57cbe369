#include "kv/hash_table.h"

#include <cstring>

namespace ordis {

// wyhash-style mixing of 8-byte words: fast, well distributed, seeded per
// process so attackers cannot precompute colliding keys.
static inline uint64_t Mix(uint64_t a, uint64_t b) {
  __uint128_t r = static_cast<__uint128_t>(a) * b;
  return static_cast<uint64_t>(r) ^ static_cast<uint64_t>(r >> 64);
}

static const uint64_t kSeed = [] {
  std::random_device rd;
  return (static_cast<uint64_t>(rd()) << 32) ^ rd();
}();

uint64_t HashKey(std::string_view key) {
  const uint64_t k1 = 0xa0761d6478bd642fULL, k2 = 0xe7037ed1a0b428dbULL;
  const unsigned char* p = reinterpret_cast<const unsigned char*>(key.data());
  size_t n = key.size();
  uint64_t h = kSeed ^ (n * k1);
  while (n >= 8) {
    uint64_t w;
    std::memcpy(&w, p, 8);
    h = Mix(h ^ w, k2);
    p += 8;
    n -= 8;
  }
  uint64_t w = 0;
  if (n) std::memcpy(&w, p, n);
  h = Mix(h ^ w ^ (static_cast<uint64_t>(n) << 56), k1);
  return Mix(h, k2 ^ key.size());
}

}  // namespace ordis
