#include "server/memory.h"

#include <malloc.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>

#include "server/version.h"

#ifdef ORDIS_JEMALLOC
#include <jemalloc/jemalloc.h>
#elif defined(__SANITIZE_ADDRESS__)
// ASan replaces malloc and mallinfo2() then reports nothing; its own
// allocator statistics are the truth in sanitizer builds.
extern "C" size_t __sanitizer_get_current_allocated_bytes();
extern "C" size_t __sanitizer_get_heap_size();
#endif

namespace ordis {

namespace {

std::atomic<size_t> g_peak{0};

#ifdef ORDIS_JEMALLOC
size_t ReadSizeStat(const char* name) {
  size_t v = 0;
  size_t len = sizeof v;
  if (mallctl(name, &v, &len, nullptr, 0) != 0) return 0;
  return v;
}

void RefreshEpoch() {
  // jemalloc caches its statistics; bumping the epoch refreshes them.
  uint64_t epoch = 1;
  size_t len = sizeof epoch;
  (void)mallctl("epoch", &epoch, &len, &epoch, len);
}
#endif

void UpdatePeak(size_t allocated) {
  size_t cur = g_peak.load(std::memory_order_relaxed);
  while (allocated > cur &&
         !g_peak.compare_exchange_weak(cur, allocated, std::memory_order_relaxed)) {
  }
}

// Sampled once at static initialization, before the keyspace holds data.
const size_t g_startup = UsedMemory();

}  // namespace

size_t ProcessRss() {
  FILE* f = fopen("/proc/self/statm", "r");
  if (!f) return 0;
  unsigned long long size = 0, resident = 0;
  int n = fscanf(f, "%llu %llu", &size, &resident);
  fclose(f);
  if (n != 2) return 0;
  return static_cast<size_t>(resident) * static_cast<size_t>(sysconf(_SC_PAGESIZE));
}

size_t TotalSystemMemory() {
  long pages = sysconf(_SC_PHYS_PAGES);
  long page = sysconf(_SC_PAGESIZE);
  if (pages <= 0 || page <= 0) return 0;
  return static_cast<size_t>(pages) * static_cast<size_t>(page);
}

AllocatorStats ReadAllocatorStats() {
  AllocatorStats s;
#ifdef ORDIS_JEMALLOC
  RefreshEpoch();
  s.allocated = ReadSizeStat("stats.allocated");
  s.active = ReadSizeStat("stats.active");
  s.resident = ReadSizeStat("stats.resident");
  s.mapped = ReadSizeStat("stats.mapped");
  s.retained = ReadSizeStat("stats.retained");
  s.rss = ProcessRss();
#elif defined(__SANITIZE_ADDRESS__)
  s.allocated = __sanitizer_get_current_allocated_bytes();
  s.active = s.allocated;
  s.mapped = __sanitizer_get_heap_size();
  s.rss = ProcessRss();
  s.resident = s.rss;
#else
  struct mallinfo2 mi = mallinfo2();
  s.allocated = mi.uordblks + mi.hblkhd;  // small-chunk bytes in use + mmapped chunks
  s.active = s.allocated;
  s.mapped = mi.arena + mi.hblkhd;
  s.rss = ProcessRss();
  s.resident = s.rss;
#endif
  UpdatePeak(s.allocated);
  return s;
}

size_t UsedMemory() {
  return ReadAllocatorStats().allocated;
}

size_t PeakMemory() {
  return g_peak.load(std::memory_order_relaxed);
}

size_t StartupMemory() {
  return g_startup;
}

const char* AllocatorName() {
  return kAllocatorName;
}

std::string AllocatorReport() {
#ifdef ORDIS_JEMALLOC
  std::string out;
  malloc_stats_print(
      [](void* arg, const char* text) { static_cast<std::string*>(arg)->append(text); }, &out,
      nullptr);
  return out;
#else
  // glibc's report is XML written to a FILE*; capture it in memory.
  char* buf = nullptr;
  size_t len = 0;
  FILE* f = open_memstream(&buf, &len);
  if (!f) return "Stats not supported for the current allocator";
  malloc_info(0, f);
  fclose(f);
  std::string out(buf, len);
  free(buf);
  return out;
#endif
}

bool AllocatorPurge() {
#ifdef ORDIS_JEMALLOC
  char name[64];
  snprintf(name, sizeof name, "arena.%d.purge", MALLCTL_ARENAS_ALL);
  return mallctl(name, nullptr, nullptr, nullptr, 0) == 0;
#else
  malloc_trim(0);
  return true;
#endif
}

}  // namespace ordis
