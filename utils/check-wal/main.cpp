// ordis-check-wal: verifies a WAL directory (appendonlydir) and, with --fix,
// truncates a torn final batch (zero-fills it, keeping the preallocated
// segment size), as the server does at startup with aof-load-truncated.
//
//   ordis-check-wal [--fix] [--base appendonly.aof] DIR
//
// DIR is the appendonlydir or the server's dir holding it. Exit status: 0
// the log is valid (or was fixed), 1 a torn tail was found and not fixed,
// 2 corruption (a bad batch followed by valid data) or unreadable files.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "wal/format.h"
#include "wal/reader.h"

namespace {

bool ReadFile(const std::string& path, std::string* out) {
  FILE* f = fopen(path.c_str(), "rb");
  if (!f) return false;
  char buf[1 << 16];
  size_t n;
  out->clear();
  while ((n = fread(buf, 1, sizeof buf, f)) > 0) out->append(buf, n);
  bool ok = !ferror(f);
  fclose(f);
  return ok;
}

bool IsDir(const std::string& p) {
  struct stat st {};
  return stat(p.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

int Usage() {
  fprintf(stderr, "usage: ordis-check-wal [--fix] [--base appendonly.aof] DIR\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace ordis::wal;
  bool fix = false;
  std::string base = "appendonly.aof", dir;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--fix") {
      fix = true;
    } else if (a == "--base" && i + 1 < argc) {
      base = argv[++i];
    } else if (a == "-h" || a == "--help") {
      Usage();
      return 0;
    } else if (dir.empty()) {
      dir = a;
    } else {
      return Usage();
    }
  }
  if (dir.empty()) return Usage();
  if (IsDir(dir + "/appendonlydir")) dir += "/appendonlydir";
  std::string manifest_path = dir + "/" + ManifestName(base);
  std::string text;
  if (!ReadFile(manifest_path, &text)) {
    fprintf(stderr, "cannot read %s: %s\n", manifest_path.c_str(), strerror(errno));
    return 2;
  }
  std::vector<ManifestEntry> manifest;
  std::string err = ParseManifest(text, &manifest);
  if (!err.empty()) {
    fprintf(stderr, "%s: %s\n", manifest_path.c_str(), err.c_str());
    return 2;
  }
  uint64_t expect = 0, entries = 0, batches = 0;
  bool torn = false;
  std::string torn_file;
  for (const ManifestEntry& m : manifest) {
    std::string path = dir + "/" + m.file;
    std::string data;
    if (!ReadFile(path, &data)) {
      fprintf(stderr, "cannot read %s: %s\n", path.c_str(), strerror(errno));
      return 2;
    }
    SegmentScan s = ScanSegment(data);
    if (s.end == SegmentEnd::kCorrupt) {
      printf("%s: CORRUPT at offset %llu: %s\n", path.c_str(),
             static_cast<unsigned long long>(s.bad_offset), s.error.c_str());
      return 2;
    }
    if (torn && !s.batches.empty()) {
      printf("%s: CORRUPT: the torn batch in %s is followed by more log\n", path.c_str(),
             torn_file.c_str());
      return 2;
    }
    for (const Batch& b : s.batches) {
      if (expect != 0 && b.header.first_lsn > expect && &b == &s.batches.front()) {
        // At a segment start: the server resumed after a snapshot that was
        // ahead of the log (the snapshot covers the gap).
        printf(
            "%s: note: LSN %llu..%llu missing before this segment (covered by the snapshot "
            "if its LSN is at least %llu)\n",
            path.c_str(), static_cast<unsigned long long>(expect),
            static_cast<unsigned long long>(b.header.first_lsn - 1),
            static_cast<unsigned long long>(b.header.first_lsn - 1));
      } else if (expect != 0 && b.header.first_lsn != expect) {
        printf("%s: CORRUPT at offset %llu: LSN %llu follows %llu\n", path.c_str(),
               static_cast<unsigned long long>(b.offset),
               static_cast<unsigned long long>(b.header.first_lsn),
               static_cast<unsigned long long>(expect - 1));
        return 2;
      }
      expect = b.last_lsn() + 1;
      entries += b.header.count;
      ++batches;
    }
    printf("%s: seq %llu, %zu batches", path.c_str(), static_cast<unsigned long long>(m.seq),
           s.batches.size());
    if (!s.batches.empty())
      printf(", LSN %llu..%llu",
             static_cast<unsigned long long>(s.batches.front().header.first_lsn),
             static_cast<unsigned long long>(s.batches.back().last_lsn()));
    printf(", %llu bytes used\n", static_cast<unsigned long long>(s.end_offset));
    if (s.end == SegmentEnd::kTorn) {
      torn = true;
      torn_file = path;
      printf("%s: TORN final batch at offset %llu (%s), %llu bytes\n", path.c_str(),
             static_cast<unsigned long long>(s.bad_offset), s.error.c_str(),
             static_cast<unsigned long long>(s.dirty_end - s.bad_offset));
      if (fix) {
        int fd = open(path.c_str(), O_WRONLY);
        std::string zeros(s.dirty_end - s.bad_offset, '\0');
        bool ok = fd >= 0 &&
                  pwrite(fd, zeros.data(), zeros.size(), static_cast<off_t>(s.bad_offset)) ==
                      static_cast<ssize_t>(zeros.size()) &&
                  fsync(fd) == 0;
        if (fd >= 0) close(fd);
        if (!ok) {
          fprintf(stderr, "cannot truncate %s: %s\n", path.c_str(), strerror(errno));
          return 2;
        }
        printf("%s: truncated at offset %llu\n", path.c_str(),
               static_cast<unsigned long long>(s.bad_offset));
      }
    }
  }
  printf("%zu segments, %llu batches, %llu entries: %s\n", manifest.size(),
         static_cast<unsigned long long>(batches), static_cast<unsigned long long>(entries),
         torn ? (fix ? "torn tail truncated" : "torn tail (use --fix)") : "OK");
  return torn && !fix ? 1 : 0;
}
