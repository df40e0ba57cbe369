#include "order/arena.h"

#include <numa.h>
#include <numaif.h>
#include <sys/mman.h>

#include <cassert>
#include <cerrno>
#include <cstring>
#include <fstream>

namespace ordis {
namespace {

#ifndef MAP_HUGE_2MB
#define MAP_HUGE_2MB (21 << MAP_HUGE_SHIFT)
#endif

constexpr char kThpEnabledPath[] = "/sys/kernel/mm/transparent_hugepage/enabled";
constexpr char kFreeHugePagesPath[] = "/sys/kernel/mm/hugepages/hugepages-2048kB/free_hugepages";

std::string ReadFirstLine(const char* path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  return line;
}

// THP can be asked for with madvise unless the system has it set to never.
bool ThpAvailable() {
  const std::string line = ReadFirstLine(kThpEnabledPath);
  return !line.empty() && line.find("[never]") == std::string::npos;
}

std::string ErrnoText(int err) {
  return std::strerror(err);
}

}  // namespace

Arena::~Arena() {
  if (base_ != nullptr) munmap(base_, reserved_bytes_);
}

std::string Arena::Init(size_t record_size, uint64_t capacity, HugePages hugepages, int numa_node) {
  assert(base_ == nullptr && "Arena::Init called twice");
  if (record_size < 64 || record_size > 4096 || (record_size & (record_size - 1)) != 0)
    return "order arena: record size " + std::to_string(record_size) +
           " is not a power of two in [64, 4096]";
  if (capacity == 0 || capacity >= kNoSlot)
    return "order arena: capacity " + std::to_string(capacity) + " is not in [1, " +
           std::to_string(kNoSlot - 1) + "]";

  const size_t bytes = (capacity * record_size + kChunkBytes - 1) / kChunkBytes * kChunkBytes;
  // Over-reserve by one chunk and trim, so the base is 2 MiB aligned: hugetlb
  // chunks need it, THP only maps aligned 2 MiB ranges, and it keeps every
  // record inside one chunk.
  void* raw = mmap(nullptr, bytes + kChunkBytes, PROT_NONE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (raw == MAP_FAILED)
    return "order arena: cannot reserve " + std::to_string(bytes) +
           " bytes of address space: " + ErrnoText(errno);
  char* start = static_cast<char*>(raw);
  const uintptr_t addr = reinterpret_cast<uintptr_t>(start);
  char* aligned = start + ((kChunkBytes - addr % kChunkBytes) % kChunkBytes);
  if (aligned != start) munmap(start, static_cast<size_t>(aligned - start));
  char* tail = aligned + bytes;
  const size_t tail_bytes = static_cast<size_t>(start + bytes + kChunkBytes - tail);
  if (tail_bytes != 0) munmap(tail, tail_bytes);
  base_ = aligned;
  reserved_bytes_ = bytes;

  if (numa_node >= 0) {
    if (numa_available() < 0)
      return "order-numa-node " + std::to_string(numa_node) +
             ": NUMA is not available on this machine (libnuma numa_available() < 0)";
    const int max_node = numa_max_node();
    if (numa_node > max_node || !numa_bitmask_isbitset(numa_all_nodes_ptr, numa_node))
      return "order-numa-node " + std::to_string(numa_node) + ": no such node (nodes 0.." +
             std::to_string(max_node) + ")";
    node_mask_.assign(static_cast<size_t>(numa_node) / 64 + 1, 0);
    node_mask_.back() = 1ul << (numa_node % 64);
    numa_node_ = numa_node;
    // Bound once for the whole reservation: mprotect keeps the policy of the
    // range it splits. Hugetlb chunks are new mappings and get bound each.
    std::string err = Bind(base_, reserved_bytes_);
    if (!err.empty()) return err;
  }

  hugepages_ = hugepages;
  thp_available_ = ThpAvailable();
  if (hugepages == HugePages::kOff) {
    mode_ = Mode::kRegular;
    // Normal pages even where THP is system-wide "always"; best effort.
    (void)madvise(base_, reserved_bytes_, MADV_NOHUGEPAGE);
  } else {
    mode_ = Mode::kHugeTlb;  // kAuto steps down in CommitChunk if the pool is empty
  }

  // The first chunk is committed now, so a mode that cannot work fails at
  // startup rather than on the first order.
  std::string err = CommitChunk();
  if (!err.empty()) return err;
  capacity_ = capacity;
  record_size_ = record_size;
  return "";
}

std::string Arena::Bind(void* addr, size_t len) const {
  if (node_mask_.empty()) return "";
  // maxnode is one more than the number of bits, as libnuma passes it.
  if (mbind(addr, len, MPOL_BIND, node_mask_.data(), node_mask_.size() * 64 + 1, 0) != 0)
    return "order-numa-node " + std::to_string(numa_node_) + ": mbind failed: " + ErrnoText(errno);
  return "";
}

std::string Arena::CommitHugeTlbChunk(char* chunk) {
  // MAP_FIXED|MAP_HUGETLB straight over the reservation is not safe: when the
  // pool is empty the kernel fails the call after unmapping the target,
  // leaving a hole other mmaps could take. Map the chunk anywhere (a failure
  // touches nothing), then move it into place; mremap replaces the reserved
  // range atomically.
  void* tmp = mmap(nullptr, kChunkBytes, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB | MAP_HUGE_2MB, -1, 0);
  if (tmp == MAP_FAILED) {
    const int err = errno;
    const std::string free_pages = ReadFirstLine(kFreeHugePagesPath);
    return "no explicit 2 MiB hugepage is available (vm.nr_hugepages; " +
           (free_pages.empty() ? std::string("none") : free_pages) + " free): " + ErrnoText(err);
  }
  std::string err = Bind(tmp, kChunkBytes);
  if (err.empty() &&
      mremap(tmp, kChunkBytes, kChunkBytes, MREMAP_MAYMOVE | MREMAP_FIXED, chunk) == MAP_FAILED)
    err = "cannot move a hugetlb chunk into the arena (mremap of hugetlb needs Linux 5.19+): " +
          ErrnoText(errno);
  if (!err.empty()) munmap(tmp, kChunkBytes);
  return err;
}

std::string Arena::CommitChunk() {
  if (committed_bytes_ >= reserved_bytes_) return "order arena: reservation exhausted";
  char* chunk = base_ + committed_bytes_;
  if (mode_ == Mode::kHugeTlb) {
    std::string err = CommitHugeTlbChunk(chunk);
    if (err.empty()) {
      committed_bytes_ += kChunkBytes;
      return "";
    }
    if (hugepages_ == HugePages::kOn) return "order-hugepages on: " + err;
    mode_ = Mode::kThp;  // kAuto: take the next best for this chunk and the rest
  }
  if (mprotect(chunk, kChunkBytes, PROT_READ | PROT_WRITE) != 0)
    return "order arena: cannot commit a 2 MiB chunk: " + ErrnoText(errno);
  if (mode_ == Mode::kThp && (!thp_available_ || madvise(chunk, kChunkBytes, MADV_HUGEPAGE) != 0))
    mode_ = Mode::kRegular;
  committed_bytes_ += kChunkBytes;
  return "";
}

uint32_t Arena::Alloc() {
  if (!free_.empty()) {
    const uint32_t slot = free_.back();
    free_.pop_back();
    ++live_;
    return slot;
  }
  if (high_water_ >= capacity_) return kNoSlot;  // also when Init failed (capacity_ == 0)
  const size_t end = (static_cast<size_t>(high_water_) + 1) * record_size_;
  // record_size_ divides kChunkBytes, so a record never straddles chunks.
  if (end > committed_bytes_) {
    commit_error_ = CommitChunk();
    if (!commit_error_.empty()) return kNoSlot;
  }
  ++live_;
  return high_water_++;
}

void Arena::Free(uint32_t slot) {
  assert(slot < high_water_ && live_ > 0);
  free_.push_back(slot);
  --live_;
}

void Arena::Clear() {
  // Handing slots out again from 0 is the same as freeing all of them, and
  // needs no free list as long as the table was.
  high_water_ = 0;
  live_ = 0;
  free_.clear();
  free_.shrink_to_fit();
}

size_t Arena::memory_bytes() const {
  return committed_bytes_ + free_.capacity() * sizeof(uint32_t);
}

const char* Arena::mode_name() const {
  switch (mode_) {
    case Mode::kHugeTlb:
      return "hugetlb";
    case Mode::kThp:
      return "thp";
    case Mode::kRegular:
      return "regular";
  }
  return "regular";
}

}  // namespace ordis
