#include "order/arena.h"

#include <numa.h>
#include <numaif.h>

#include <catch2/catch.hpp>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>

using ordis::Arena;

namespace {

constexpr size_t kChunk = Arena::kChunkBytes;

// The mapping of /proc/self/smaps that contains an address.
struct Vma {
  uintptr_t start = 0, end = 0;
  std::string flags;  // VmFlags: "hg" = MADV_HUGEPAGE, "nh" = MADV_NOHUGEPAGE, "ht" = hugetlb
  size_t kernel_page_kb = 0;
  bool found = false;
  bool Has(const std::string& flag) const {
    return (" " + flags + " ").find(" " + flag + " ") != std::string::npos;
  }
};

Vma FindVma(const void* p) {
  const uintptr_t a = reinterpret_cast<uintptr_t>(p);
  std::ifstream in("/proc/self/smaps");
  std::string line;
  Vma v;
  bool in_it = false;
  while (std::getline(in, line)) {
    uintptr_t s, e;
    char dash;
    std::istringstream ls(line);
    if (line.find(':') == std::string::npos || line.find('-') < line.find(':')) {
      if ((ls >> std::hex >> s >> dash >> e) && dash == '-') {
        if (v.found) break;
        in_it = a >= s && a < e;
        if (in_it) v.start = s, v.end = e, v.found = true;
        continue;
      }
    }
    if (!in_it) continue;
    if (line.rfind("VmFlags:", 0) == 0) v.flags = line.substr(9);
    if (line.rfind("KernelPageSize:", 0) == 0) v.kernel_page_kb = std::stoul(line.substr(15));
  }
  return v;
}

long ReadLong(const char* path) {
  std::ifstream in(path);
  long v = -1;
  in >> v;
  return v;
}

long FreeHugePages() {
  return ReadLong("/sys/kernel/mm/hugepages/hugepages-2048kB/free_hugepages");
}
long OvercommitHugePages() {
  return ReadLong("/proc/sys/vm/nr_overcommit_hugepages");
}

bool ThpNever() {
  std::ifstream in("/sys/kernel/mm/transparent_hugepage/enabled");
  std::string line;
  std::getline(in, line);
  return line.empty() || line.find("[never]") != std::string::npos;
}

// Writes a slot-specific pattern over every byte of slots [0, n), then
// checks it all: the committed memory is really there and records overlap
// nowhere.
void WriteAndCheck(Arena& a, uint32_t n) {
  for (uint32_t s = 0; s < n; ++s)
    std::memset(a.Get(s), static_cast<int>(s * 31 + 7) & 0xff, a.record_size());
  uint32_t bad = 0;
  for (uint32_t s = 0; s < n; ++s) {
    const auto* p = static_cast<const unsigned char*>(a.Get(s));
    for (size_t k = 0; k < a.record_size(); ++k)
      if (p[k] != (static_cast<unsigned>(s * 31 + 7) & 0xff)) ++bad;
  }
  CHECK(bad == 0);
}

}  // namespace

TEST_CASE("arena Init rejects bad parameters and then allocates nothing", "[arena]") {
  struct Bad {
    size_t record_size;
    uint64_t capacity;
  };
  for (Bad b : {Bad{0, 10}, Bad{32, 10}, Bad{48, 10}, Bad{96, 10}, Bad{8192, 10}, Bad{128, 0},
                Bad{128, Arena::kNoSlot}, Bad{128, uint64_t{1} << 40}}) {
    Arena a;
    CHECK_FALSE(a.Init(b.record_size, b.capacity, Arena::HugePages::kOff, -1).empty());
    CHECK(a.Alloc() == Arena::kNoSlot);
    CHECK(a.live() == 0);
  }
}

TEST_CASE("arena hands out slots in order and reuses freed ones LIFO", "[arena]") {
  Arena a;
  REQUIRE(a.Init(128, 100, Arena::HugePages::kOff, -1) == "");
  CHECK(a.capacity() == 100);
  CHECK(a.record_size() == 128);
  for (uint32_t s = 0; s < 10; ++s) CHECK(a.Alloc() == s);
  CHECK(a.live() == 10);
  a.Free(5);
  a.Free(2);
  a.Free(7);
  CHECK(a.live() == 7);
  CHECK(a.Alloc() == 7);
  CHECK(a.Alloc() == 2);
  CHECK(a.Alloc() == 5);
  CHECK(a.Alloc() == 10);  // free list empty: grow
  CHECK(a.live() == 11);
}

TEST_CASE("arena at capacity returns kNoSlot and changes nothing", "[arena]") {
  // 16385 records of 128 bytes need a second chunk for the last one.
  for (uint64_t capacity : {uint64_t{1}, uint64_t{10}, uint64_t{16384}, uint64_t{16385}}) {
    Arena a;
    REQUIRE(a.Init(128, capacity, Arena::HugePages::kOff, -1) == "");
    std::set<uint32_t> slots;
    for (uint64_t k = 0; k < capacity; ++k) slots.insert(a.Alloc());
    CHECK(slots.size() == capacity);
    CHECK(slots.count(Arena::kNoSlot) == 0);
    CHECK(*slots.rbegin() == capacity - 1);
    const size_t memory = a.memory_bytes();
    CHECK(a.Alloc() == Arena::kNoSlot);
    CHECK(a.Alloc() == Arena::kNoSlot);
    CHECK(a.live() == capacity);
    CHECK(a.memory_bytes() == memory);
    CHECK(a.commit_error() == "");  // full, not failing
    a.Free(0);
    CHECK(a.Alloc() == 0);
    CHECK(a.Alloc() == Arena::kNoSlot);
    CHECK(a.live() == capacity);
  }
}

TEST_CASE("arena records are 64-byte aligned, distinct and each within one chunk", "[arena]") {
  for (size_t record_size : {size_t{64}, size_t{128}, size_t{256}, size_t{4096}}) {
    const uint32_t n = static_cast<uint32_t>(3 * kChunk / record_size + 5);
    Arena a;
    REQUIRE(a.Init(record_size, n, Arena::HugePages::kOff, -1) == "");
    CHECK(reinterpret_cast<uintptr_t>(a.Get(0)) % kChunk == 0);
    const auto base = reinterpret_cast<uintptr_t>(a.Get(0));
    uint32_t misaligned = 0, straddling = 0, spacing = 0;
    for (uint32_t k = 0; k < n; ++k) {
      const uint32_t s = a.Alloc();
      REQUIRE(s == k);
      const auto p = reinterpret_cast<uintptr_t>(a.Get(s));
      if (p % 64 != 0) ++misaligned;
      if ((p - base) / kChunk != (p + record_size - 1 - base) / kChunk) ++straddling;
      if (k > 0 && p - reinterpret_cast<uintptr_t>(a.Get(s - 1)) != record_size) ++spacing;
    }
    CHECK(misaligned == 0);
    CHECK(straddling == 0);
    CHECK(spacing == 0);
    WriteAndCheck(a, n);
  }
}

TEST_CASE("arena commits 2 MiB chunks only when an allocation reaches them", "[arena]") {
  constexpr uint32_t kPerChunk = kChunk / 128;
  Arena a;
  REQUIRE(a.Init(128, 10 * kPerChunk, Arena::HugePages::kOff, -1) == "");
  CHECK(a.memory_bytes() == kChunk);  // the first chunk at Init
  // Only the committed part of the reservation is readable and writable.
  Vma rw = FindVma(a.Get(0));
  REQUIRE(rw.found);
  CHECK(rw.end - rw.start == kChunk);
  for (uint32_t k = 0; k < kPerChunk; ++k) REQUIRE(a.Alloc() == k);
  CHECK(a.memory_bytes() == kChunk);
  CHECK(a.Alloc() == kPerChunk);  // first record of the second chunk
  CHECK(a.memory_bytes() == 2 * kChunk);
  CHECK(FindVma(a.Get(0)).end - FindVma(a.Get(0)).start == 2 * kChunk);
  for (uint32_t k = kPerChunk + 1; k < 2 * kPerChunk; ++k) REQUIRE(a.Alloc() == k);
  CHECK(a.memory_bytes() == 2 * kChunk);
  // The rest of the reservation is still PROT_NONE (a separate mapping).
  const Vma rest = FindVma(a.Get(2 * kPerChunk));
  REQUIRE(rest.found);
  CHECK(rest.start == reinterpret_cast<uintptr_t>(a.Get(2 * kPerChunk)));

  // Freed slots are reused before the arena grows; the free list is counted.
  for (uint32_t k = 0; k < 1000; ++k) a.Free(k);
  CHECK(a.memory_bytes() >= 2 * kChunk + 1000 * sizeof(uint32_t));
  CHECK(a.memory_bytes() < 3 * kChunk);
  for (uint32_t k = 0; k < 1000; ++k) REQUIRE(a.Alloc() < 1000);
  CHECK(a.memory_bytes() < 3 * kChunk);
  CHECK(a.Alloc() == 2 * kPerChunk);
  CHECK(a.memory_bytes() >= 3 * kChunk);
}

TEST_CASE("arena Clear frees every slot and keeps the memory", "[arena]") {
  Arena a;
  REQUIRE(a.Init(128, 50000, Arena::HugePages::kOff, -1) == "");
  for (uint32_t k = 0; k < 20000; ++k) REQUIRE(a.Alloc() == k);
  for (uint32_t k = 0; k < 20000; k += 2) a.Free(k);
  CHECK(a.live() == 10000);
  a.Clear();
  CHECK(a.live() == 0);
  CHECK(a.memory_bytes() == 2 * kChunk);  // both chunks, no free list left
  for (uint32_t k = 0; k < 50000; ++k) REQUIRE(a.Alloc() == k);
  CHECK(a.Alloc() == Arena::kNoSlot);
  CHECK(a.live() == 50000);
  CHECK(a.memory_bytes() == 4 * kChunk);  // 50000 * 128 B -> 4 chunks
  WriteAndCheck(a, 50000);
}

TEST_CASE("arena kOff uses normal pages", "[arena]") {
  Arena a;
  REQUIRE(a.Init(128, 100000, Arena::HugePages::kOff, -1) == "");
  CHECK(a.mode() == Arena::Mode::kRegular);
  CHECK(std::string(a.mode_name()) == "regular");
  const Vma v = FindVma(a.Get(0));
  REQUIRE(v.found);
  CHECK(v.Has("nh"));
  CHECK_FALSE(v.Has("hg"));
  CHECK_FALSE(v.Has("ht"));
  CHECK(v.kernel_page_kb == 4);
  for (uint32_t k = 0; k < 3 * kChunk / 128; ++k) REQUIRE(a.Alloc() == k);
  WriteAndCheck(a, 3 * kChunk / 128);
}

TEST_CASE("arena kAuto takes the best memory this machine has", "[arena]") {
  const long free_huge = FreeHugePages();
  Arena a;
  REQUIRE(a.Init(128, 100000, Arena::HugePages::kAuto, -1) == "");
  const Vma v = FindVma(a.Get(0));
  REQUIRE(v.found);
  if (free_huge > 0) {
    WARN("this machine has " << free_huge << " free hugepages: expecting hugetlb");
    CHECK(a.mode() == Arena::Mode::kHugeTlb);
    CHECK(std::string(a.mode_name()) == "hugetlb");
    CHECK(v.Has("ht"));
    CHECK(v.kernel_page_kb == 2048);
  } else if (!ThpNever()) {
    CHECK(a.mode() == Arena::Mode::kThp);
    CHECK(std::string(a.mode_name()) == "thp");
    CHECK(v.Has("hg"));
    CHECK_FALSE(v.Has("ht"));
  } else {
    CHECK(a.mode() == Arena::Mode::kRegular);
    CHECK_FALSE(v.Has("hg"));
  }
  for (uint32_t k = 0; k < 3 * kChunk / 128; ++k) REQUIRE(a.Alloc() == k);
  WriteAndCheck(a, 3 * kChunk / 128);
}

TEST_CASE("arena kOn refuses to start without explicit hugepages", "[arena]") {
  const long free_huge = FreeHugePages();
  Arena a;
  const std::string err = a.Init(128, 100000, Arena::HugePages::kOn, -1);
  if (free_huge <= 0 && OvercommitHugePages() <= 0) {
    CHECK_THAT(err, Catch::Contains("order-hugepages on") && Catch::Contains("vm.nr_hugepages"));
    CHECK(a.Alloc() == Arena::kNoSlot);
    return;
  }
  WARN("this machine has " << free_huge << " free hugepages (overcommit " << OvercommitHugePages()
                           << "): checking that kOn gets them");
  REQUIRE(err == "");
  CHECK(a.mode() == Arena::Mode::kHugeTlb);
  const Vma v = FindVma(a.Get(0));
  CHECK(v.Has("ht"));
  CHECK(v.kernel_page_kb == 2048);
  CHECK(a.Alloc() == 0);
  WriteAndCheck(a, 1);
}

TEST_CASE("arena binds to a NUMA node only when asked", "[arena]") {
  {
    Arena a;
    REQUIRE(a.Init(128, 1000, Arena::HugePages::kOff, -1) == "");
    CHECK(a.numa_node() == -1);
    REQUIRE(a.Alloc() == 0);
    WriteAndCheck(a, 1);
    int policy = -1;
    unsigned long mask[16] = {};
    REQUIRE(get_mempolicy(&policy, mask, sizeof(mask) * 8, a.Get(0), MPOL_F_ADDR) == 0);
    CHECK(policy == MPOL_DEFAULT);
  }
  if (numa_available() < 0) {
    Arena a;
    CHECK_THAT(a.Init(128, 1000, Arena::HugePages::kOff, 0), Catch::Contains("not available"));
    return;
  }
  {
    Arena a;
    REQUIRE(a.Init(128, 3 * kChunk / 128, Arena::HugePages::kAuto, 0) == "");
    CHECK(a.numa_node() == 0);
    for (uint32_t k = 0; k < 3 * kChunk / 128; ++k) REQUIRE(a.Alloc() == k);
    WriteAndCheck(a, 3 * kChunk / 128);
    for (uint32_t s : {0u, static_cast<uint32_t>(3 * kChunk / 128 - 1)}) {
      int policy = -1;
      unsigned long mask[16] = {};
      REQUIRE(get_mempolicy(&policy, mask, sizeof(mask) * 8, a.Get(s), MPOL_F_ADDR) == 0);
      CHECK(policy == MPOL_BIND);
      CHECK(mask[0] == 1);
      int node = -1;
      REQUIRE(get_mempolicy(&node, nullptr, 0, a.Get(s), MPOL_F_NODE | MPOL_F_ADDR) == 0);
      CHECK(node == 0);
    }
  }
  for (int bad : {numa_max_node() + 1, 100000}) {
    Arena a;
    CHECK_THAT(a.Init(128, 1000, Arena::HugePages::kOff, bad),
               Catch::Contains("order-numa-node " + std::to_string(bad)) &&
                   Catch::Contains("no such node"));
    CHECK(a.Alloc() == Arena::kNoSlot);
  }
}

// Hidden: needs a small explicit pool, which only root can set up. Run by
// hand: sysctl vm.nr_hugepages=4; unit-tests "[.arena-hugetlb]";
// sysctl vm.nr_hugepages=0.
TEST_CASE("arena hugetlb pool exhaustion: kAuto steps down, kOn fills", "[.arena-hugetlb]") {
  const long free_huge = FreeHugePages();
  REQUIRE(free_huge > 0);
  REQUIRE(free_huge <= 64);
  const uint32_t per_chunk = kChunk / 128;
  const uint32_t n = static_cast<uint32_t>(free_huge + 2) * per_chunk;
  {
    Arena a;
    REQUIRE(a.Init(128, n, Arena::HugePages::kAuto, 0) == "");
    CHECK(a.mode() == Arena::Mode::kHugeTlb);
    for (uint32_t k = 0; k < n; ++k) REQUIRE(a.Alloc() == k);
    CHECK(a.memory_bytes() == (free_huge + 2) * kChunk);
    CHECK(a.mode() == (ThpNever() ? Arena::Mode::kRegular : Arena::Mode::kThp));
    for (long c = 0; c < free_huge + 2; ++c) {
      const Vma v = FindVma(a.Get(static_cast<uint32_t>(c) * per_chunk));
      CHECK(v.Has("ht") == (c < free_huge));
    }
    WriteAndCheck(a, n);
    CHECK(FreeHugePages() == 0);
  }
  CHECK(FreeHugePages() == free_huge);  // the destructor gave them back
  {
    Arena a;
    REQUIRE(a.Init(128, n, Arena::HugePages::kOn, -1) == "");
    const uint32_t fit = static_cast<uint32_t>(free_huge) * per_chunk;
    for (uint32_t k = 0; k < fit; ++k) REQUIRE(a.Alloc() == k);
    CHECK(a.Alloc() == Arena::kNoSlot);
    CHECK_THAT(a.commit_error(), Catch::Contains("vm.nr_hugepages"));
    CHECK(a.live() == fit);
    CHECK(a.memory_bytes() == static_cast<size_t>(free_huge) * kChunk);
    // The reservation has no hole: the failed chunk is still PROT_NONE.
    const Vma next = FindVma(a.Get(fit));
    REQUIRE(next.found);
    CHECK_FALSE(next.Has("rd"));
    WriteAndCheck(a, fit);
  }
}
