// CRC-32C (Castagnoli): the checksum of WAL batches and snapshot blocks.
// Uses the SSE4.2 crc32 instruction when the CPU has it (checked once at
// startup), else a table. Both give identical results.
//
// Thread safety: pure functions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace ordis {

// Extends crc (initially 0) over data.
uint32_t Crc32c(uint32_t crc, const void* data, size_t n);
inline uint32_t Crc32c(std::string_view s) {
  return Crc32c(0, s.data(), s.size());
}

// Masked form stored next to data that may itself contain CRCs (LevelDB's
// trick: a CRC of a string holding its own CRC is otherwise weak).
inline uint32_t MaskCrc(uint32_t crc) {
  return ((crc >> 13) | (crc << 19)) + 0x6f726469u;
}
inline uint32_t UnmaskCrc(uint32_t masked) {
  uint32_t r = masked - 0x6f726469u;
  return (r << 13) | (r >> 19);
}

}  // namespace ordis
