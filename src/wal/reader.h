// Reading WAL segments back: batch framing, checksums, and the decision
// between a torn tail (the batch being written when the process died:
// truncated with a warning) and corruption (stops startup).
//
// A bad spot (bad header, crc mismatch, payload past the end, or stray
// bytes after the zeros) is a torn tail when no valid batch follows it in
// the segment; otherwise it is corruption. The caller applies the same
// rule across segments: only the last segment holding batches may end torn.
//
// Thread safety: pure functions over caller-owned bytes.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "wal/format.h"

namespace ordis::wal {

struct Batch {
  uint64_t offset = 0;  // of the batch header in the segment
  BatchHeader header;
  std::string_view payload;
  uint64_t last_lsn() const { return header.first_lsn + header.count - 1; }
};

enum class SegmentEnd {
  kClean,    // valid batches, then zeros (or end of file)
  kTorn,     // valid batches, then a torn batch at bad_offset (nothing valid after)
  kCorrupt,  // a bad spot at bad_offset with valid data after it
};

struct SegmentScan {
  uint64_t seq = 0;  // from the header
  std::vector<Batch> batches;
  uint64_t end_offset = kSegmentHeaderSize;  // just past the last valid batch
  SegmentEnd end = SegmentEnd::kClean;
  uint64_t bad_offset = 0;
  std::string error;  // for kTorn / kCorrupt: what was wrong at bad_offset
  // Bytes from bad_offset to the last non-zero byte (what truncation zeroes).
  uint64_t dirty_end = 0;
};

// Scans a whole segment. A missing or invalid segment header is kCorrupt at
// offset 0 (an all-zero file is an unused segment: kClean, no batches).
SegmentScan ScanSegment(std::string_view data);

// Splits a batch payload into items: calls on_entry(args) for each command
// and on_time(us) for each "#T" annotation. Returns "" or an error.
// Visitor signatures: bool on_command(const std::vector<std::string_view>&),
// void on_time(int64_t). on_command returning false stops (returns "").
template <typename OnCommand, typename OnTime>
std::string ForEachItem(std::string_view payload, OnCommand on_command, OnTime on_time);

// Implementation detail of ForEachItem: parses one item at payload[*pos].
// kind: 0 command (args filled), 1 time (us set). Returns "" or an error.
std::string NextItem(std::string_view payload, size_t* pos, int* kind,
                     std::vector<std::string_view>* args, int64_t* us);

template <typename OnCommand, typename OnTime>
std::string ForEachItem(std::string_view payload, OnCommand on_command, OnTime on_time) {
  size_t pos = 0;
  std::vector<std::string_view> args;
  while (pos < payload.size()) {
    int kind = 0;
    int64_t us = 0;
    std::string err = NextItem(payload, &pos, &kind, &args, &us);
    if (!err.empty()) return err;
    if (kind == 1) {
      on_time(us);
    } else if (!on_command(args)) {
      break;
    }
  }
  return "";
}

}  // namespace ordis::wal
