#include "wal/reader.h"

#include <cstring>

namespace ordis::wal {
namespace {

bool AllZero(std::string_view s) {
  for (char c : s)
    if (c != 0) return false;
  return true;
}

uint64_t LastNonZero(std::string_view data, uint64_t from) {
  for (uint64_t i = data.size(); i > from; --i)
    if (data[i - 1] != 0) return i;
  return from;
}

// A complete, checksummed batch at pos? (used to tell torn from corrupt)
bool ValidBatchAt(std::string_view data, uint64_t pos, BatchHeader* h) {
  if (pos + kBatchHeaderSize > data.size()) return false;
  if (!DecodeBatchHeader(data.data() + pos, h)) return false;
  if (pos + kBatchHeaderSize + h->len > data.size()) return false;
  std::string_view payload = data.substr(pos + kBatchHeaderSize, h->len);
  return BatchCrcOk(data.data() + pos, payload, h->crc);
}

bool ValidBatchAfter(std::string_view data, uint64_t from) {
  BatchHeader h;
  for (uint64_t p = from; p + kBatchHeaderSize <= data.size(); ++p) {
    const void* hit = std::memchr(data.data() + p, '#', data.size() - p);
    if (!hit) return false;
    p = static_cast<uint64_t>(static_cast<const char*>(hit) - data.data());
    if (ValidBatchAt(data, p, &h)) return true;
  }
  return false;
}

}  // namespace

SegmentScan ScanSegment(std::string_view data) {
  SegmentScan s;
  if (AllZero(data)) return s;
  if (data.size() < kSegmentHeaderSize || !ParseSegmentHeader(data.data(), &s.seq)) {
    s.end = SegmentEnd::kCorrupt;
    s.bad_offset = 0;
    s.error = "invalid segment header";
    return s;
  }
  uint64_t pos = kSegmentHeaderSize;
  while (pos < data.size()) {
    std::string err;
    BatchHeader h;
    if (data[pos] == 0) {
      if (AllZero(data.substr(pos))) break;  // the clean end
      err = "non-zero bytes after the end of the log";
    } else if (pos + kBatchHeaderSize > data.size()) {
      err = "truncated batch header";
    } else if (!DecodeBatchHeader(data.data() + pos, &h)) {
      err = "invalid batch header";
    } else if (pos + kBatchHeaderSize + h.len > data.size()) {
      err = "batch payload truncated";
    } else if (!BatchCrcOk(data.data() + pos, data.substr(pos + kBatchHeaderSize, h.len), h.crc)) {
      err = "batch checksum mismatch";
    } else if (h.count == 0) {
      err = "batch with no entries";
    } else if (!s.batches.empty() && h.first_lsn != s.batches.back().last_lsn() + 1) {
      err = "batch LSN out of sequence";
    }
    if (!err.empty()) {
      s.bad_offset = pos;
      s.error = err;
      s.end = ValidBatchAfter(data, pos + 1) ? SegmentEnd::kCorrupt : SegmentEnd::kTorn;
      s.dirty_end = LastNonZero(data, pos);
      return s;
    }
    Batch b;
    b.offset = pos;
    b.header = h;
    b.payload = data.substr(pos + kBatchHeaderSize, h.len);
    s.batches.push_back(b);
    pos += kBatchHeaderSize + h.len;
    s.end_offset = pos;
  }
  return s;
}

namespace {

bool ReadLine(std::string_view p, size_t* pos, std::string_view* line) {
  size_t e = p.find("\r\n", *pos);
  if (e == std::string_view::npos) return false;
  *line = p.substr(*pos, e - *pos);
  *pos = e + 2;
  return true;
}

bool ParseInt(std::string_view s, int64_t* out) {
  if (s.empty() || s.size() > 19) return false;
  int64_t v = 0;
  bool neg = s[0] == '-';
  size_t i = neg ? 1 : 0;
  if (i == s.size()) return false;
  for (; i < s.size(); ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  *out = neg ? -v : v;
  return true;
}

}  // namespace

std::string NextItem(std::string_view p, size_t* pos, int* kind,
                     std::vector<std::string_view>* args, int64_t* us) {
  std::string_view line;
  size_t start = *pos;
  if (!ReadLine(p, pos, &line) || line.empty())
    return "malformed item at payload offset " + std::to_string(start);
  if (line[0] == '#') {
    if (line.size() > 3 && line[1] == 'T' && line[2] == ' ' && ParseInt(line.substr(3), us)) {
      *kind = 1;
      return "";
    }
    return "unknown annotation at payload offset " + std::to_string(start);
  }
  int64_t n;
  if (line[0] != '*' || !ParseInt(line.substr(1), &n) || n <= 0)
    return "malformed command at payload offset " + std::to_string(start);
  args->clear();
  for (int64_t i = 0; i < n; ++i) {
    int64_t len;
    if (!ReadLine(p, pos, &line) || line.empty() || line[0] != '$' ||
        !ParseInt(line.substr(1), &len) || len < 0 ||
        *pos + static_cast<size_t>(len) + 2 > p.size() ||
        p.substr(*pos + static_cast<size_t>(len), 2) != "\r\n")
      return "malformed argument at payload offset " + std::to_string(start);
    args->push_back(p.substr(*pos, static_cast<size_t>(len)));
    *pos += static_cast<size_t>(len) + 2;
  }
  *kind = 0;
  return "";
}

}  // namespace ordis::wal
