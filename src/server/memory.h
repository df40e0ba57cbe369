// Process memory as the allocator sees it: what INFO memory, MEMORY STATS
// and MEMORY MALLOC-STATS report.
//
// The release build links jemalloc (ORDIS_JEMALLOC) and reads its own
// counters through mallctl ("epoch" refresh, then stats.allocated /
// active / resident / mapped / retained). Builds without it fall back to
// glibc's mallinfo2(), or under ASan to the sanitizer allocator's counters;
// there active == allocated and resident is the process RSS. used_memory
// is always the allocator's count of bytes handed out, never an estimate
// of our own.
//
// Thread safety: the readers may be called from any thread; the peak is a
// relaxed atomic maximum.
#pragma once

#include <cstddef>
#include <string>

namespace ordis {

struct AllocatorStats {
  size_t allocated = 0;  // bytes in live allocations (used_memory)
  size_t active = 0;     // bytes in pages holding live allocations
  size_t resident = 0;   // bytes the allocator keeps resident
  size_t mapped = 0;     // bytes mapped by the allocator
  size_t retained = 0;   // bytes retained but unmapped-able
  size_t rss = 0;        // process resident set size (/proc/self/statm)
};

// Reads fresh allocator counters and updates the peak.
AllocatorStats ReadAllocatorStats();
// Shorthand for ReadAllocatorStats().allocated.
size_t UsedMemory();
// Highest allocated value seen by ReadAllocatorStats/UsedMemory.
size_t PeakMemory();
// Allocated bytes when this module was initialized (before any data):
// INFO's used_memory_startup.
size_t StartupMemory();
// Process RSS in bytes, 0 if unknown.
size_t ProcessRss();
// Physical memory of the machine in bytes, 0 if unknown.
size_t TotalSystemMemory();
// "jemalloc-5.3.0" or "libc".
const char* AllocatorName();
// The allocator's full statistics report (MEMORY MALLOC-STATS).
std::string AllocatorReport();
// Returns dirty pages to the OS (MEMORY PURGE). False if unsupported.
bool AllocatorPurge();

}  // namespace ordis
