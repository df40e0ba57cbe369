// Arena: fixed-size records in one reserved range of address space.
//
// The arena reserves address space for `capacity` records once (PROT_NONE,
// no memory committed; the size rounded up to 2 MiB, the base 2 MiB
// aligned) and commits it in 2 MiB chunks as records are allocated: the
// first chunk in Init, each next one when an allocation first reaches it.
// Records never move, so indexes refer to them by 32-bit slot number. Freed
// slots go on a LIFO free list and are reused before the arena grows.
//
// Memory comes, depending on the mode:
//   kOn    explicit hugepages (MAP_HUGETLB, 2 MiB); Init fails with a message
//          naming vm.nr_hugepages when no free hugepage is there for the
//          first chunk; a later chunk that cannot be had makes Alloc fail.
//   kAuto  explicit hugepages if available, else transparent hugepages
//          (madvise(MADV_HUGEPAGE), unless THP is "never"), else normal
//          pages. When the hugepage pool runs out later, the next chunks
//          step down to THP (or normal pages) rather than fill the table.
//   kOff   normal pages (MADV_NOHUGEPAGE, even where THP is "always").
// mode() reports what the newest chunk obtained. Hugetlb chunks are mapped
// anywhere and moved into the reservation with mremap (Linux 5.19+): a
// failing MAP_FIXED|MAP_HUGETLB would leave a hole in the reservation.
// With numa_node >= 0 all memory is bound to that node (mbind MPOL_BIND;
// called directly so errors are returned, not printed by libnuma); Init
// fails when libnuma reports NUMA unavailable or the node does not exist.
// -1 leaves placement alone.
//
// Errors: Init returns "" or a message for the log (never throws); after a
// failed Init, Alloc always returns kNoSlot. Alloc returns kNoSlot when
// `capacity` records are live or committing a chunk fails (out of memory,
// hugepages exhausted; commit_error() says which): the caller reports
// "table full" and nothing changes.
//
// Thread safety: none; the owning loop thread only. Not copyable; the
// destructor unmaps everything.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace ordis {

class Arena {
 public:
  enum class HugePages { kAuto, kOn, kOff };
  enum class Mode { kHugeTlb, kThp, kRegular };  // INFO: hugetlb | thp | regular
  static constexpr uint32_t kNoSlot = UINT32_MAX;
  static constexpr size_t kChunkBytes = 2u << 20;

  Arena() = default;
  ~Arena();
  Arena(const Arena&) = delete;
  Arena& operator=(const Arena&) = delete;

  // Every record is 64-byte aligned and lies within one chunk.
  // REQUIRES: called once. A record_size that is not a power of two in
  // [64, 4096], or a capacity not in (0, kNoSlot), is an Init error.
  [[nodiscard]] std::string Init(size_t record_size, uint64_t capacity, HugePages hugepages,
                                 int numa_node);

  // A free slot (its record's bytes are unspecified), or kNoSlot.
  [[nodiscard]] uint32_t Alloc();
  // REQUIRES: slot came from Alloc() and is not already free.
  void Free(uint32_t slot);
  // Frees every slot (ORDER.RESET); committed memory stays committed and
  // slots are handed out again from 0.
  void Clear();

  void* Get(uint32_t slot) const { return base_ + static_cast<size_t>(slot) * record_size_; }

  uint64_t capacity() const { return capacity_; }
  uint64_t live() const { return live_; }
  // Slots [0, high_water()) have been handed out since Init or the last
  // Clear; every other slot has never been (snapshot walks stop here).
  uint32_t high_water() const { return high_water_; }
  size_t record_size() const { return record_size_; }
  // Bytes committed so far (chunks * kChunkBytes) plus the free list.
  size_t memory_bytes() const;
  // Bytes of committed chunks only (mapped outside the allocator).
  size_t committed_bytes() const { return committed_bytes_; }
  Mode mode() const { return mode_; }
  const char* mode_name() const;
  int numa_node() const { return numa_node_; }  // -1 when not bound
  // Why the last Alloc that needed a new chunk failed ("" if it did not).
  const std::string& commit_error() const { return commit_error_; }

 private:
  std::string CommitChunk();  // the next kChunkBytes after committed_bytes_
  std::string CommitHugeTlbChunk(char* chunk);
  std::string Bind(void* addr, size_t len) const;

  char* base_ = nullptr;
  size_t reserved_bytes_ = 0;
  size_t committed_bytes_ = 0;
  size_t record_size_ = 0;
  uint64_t capacity_ = 0;
  uint64_t live_ = 0;
  uint32_t high_water_ = 0;  // slots [0, high_water_) have been handed out at least once
  std::vector<uint32_t> free_;
  Mode mode_ = Mode::kRegular;
  HugePages hugepages_ = HugePages::kAuto;
  bool thp_available_ = false;
  int numa_node_ = -1;
  std::vector<unsigned long> node_mask_;  // for mbind; empty when not bound
  std::string commit_error_;
};

}  // namespace ordis
