// The WAL's on-disk format (spec: src/wal/FORMAT.md): segment names and
// headers, the group-commit batch header, and the manifest.
//
// A segment is a preallocated, zero-filled file: a 64-byte text header,
// then batches back to back, then zeros. A batch is a 48-byte text header
//   "#B <len 8 hex> <first-lsn 16 hex> <count 8 hex> <crc 8 hex>\r\n"
// and `len` bytes of payload: RESP commands (the effects, replayable
// through the command table), "SELECT db" commands and "#T <unix-us>\r\n"
// time annotations. `count` is the number of entries (commands other than
// SELECT), numbered first-lsn, first-lsn+1, ...; crc is CRC-32C of the
// header's first 37 bytes followed by the payload.
//
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ordis::wal {

constexpr size_t kSegmentHeaderSize = 64;
constexpr size_t kBatchHeaderSize = 48;
constexpr size_t kBatchCrcOffset = 37;  // header bytes covered by the crc

struct BatchHeader {
  uint32_t len = 0;        // payload bytes
  uint64_t first_lsn = 0;  // LSN of the first entry
  uint32_t count = 0;      // entries
  uint32_t crc = 0;
};

// Writes the 48-byte header for payload into out[0..48).
void EncodeBatchHeader(uint64_t first_lsn, uint32_t count, std::string_view payload, char* out);
// Parses a header; false if p[0..48) is not one (wrong syntax). Does not
// check the crc (that needs the payload: BatchCrcOk).
bool DecodeBatchHeader(const char* p, BatchHeader* h);
bool BatchCrcOk(const char* header, std::string_view payload, uint32_t crc);

// "#ordis-wal 1 <seq 16 hex>" padded with spaces, then "\r\n": 64 bytes.
std::string SegmentHeader(uint64_t seq);
// The seq in a segment header, or false if p[0..64) is not one.
bool ParseSegmentHeader(const char* p, uint64_t* seq);

// "<appendfilename>.<seq>.incr.aof", as Redis 7's multi-part AOF names.
std::string SegmentName(std::string_view base, uint64_t seq);
std::string ManifestName(std::string_view base);  // "<base>.manifest"

// The manifest: one line per segment, oldest first, Redis 7 style:
//   file appendonly.aof.3.incr.aof seq 3 type i
struct ManifestEntry {
  std::string file;
  uint64_t seq = 0;
};
std::string EncodeManifest(const std::vector<ManifestEntry>& entries);
// Returns "" or an error naming the bad line.
std::string ParseManifest(std::string_view text, std::vector<ManifestEntry>* out);

}  // namespace ordis::wal
