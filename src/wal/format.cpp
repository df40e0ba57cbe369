#include "wal/format.h"

#include <cstdio>
#include <cstring>

#include "util/crc32c.h"

namespace ordis::wal {
namespace {

bool ParseHex(const char* p, size_t n, uint64_t* out) {
  uint64_t v = 0;
  for (size_t i = 0; i < n; ++i) {
    char c = p[i];
    unsigned d;
    if (c >= '0' && c <= '9') {
      d = static_cast<unsigned>(c - '0');
    } else if (c >= 'a' && c <= 'f') {
      d = static_cast<unsigned>(c - 'a' + 10);
    } else {
      return false;
    }
    v = v << 4 | d;
  }
  *out = v;
  return true;
}

}  // namespace

void EncodeBatchHeader(uint64_t first_lsn, uint32_t count, std::string_view payload, char* out) {
  char buf[kBatchHeaderSize + 1];
  snprintf(buf, sizeof buf, "#B %08x %016llx %08x ", static_cast<unsigned>(payload.size()),
           static_cast<unsigned long long>(first_lsn), count);
  uint32_t crc = Crc32c(0, buf, kBatchCrcOffset);
  crc = Crc32c(crc, payload.data(), payload.size());
  snprintf(buf + 38, sizeof buf - 38, "%08x\r\n", crc);
  buf[37] = ' ';
  std::memcpy(out, buf, kBatchHeaderSize);
}

bool DecodeBatchHeader(const char* p, BatchHeader* h) {
  if (p[0] != '#' || p[1] != 'B' || p[2] != ' ' || p[11] != ' ' || p[28] != ' ' || p[37] != ' ' ||
      p[46] != '\r' || p[47] != '\n')
    return false;
  uint64_t len, lsn, count, crc;
  if (!ParseHex(p + 3, 8, &len) || !ParseHex(p + 12, 16, &lsn) || !ParseHex(p + 29, 8, &count) ||
      !ParseHex(p + 38, 8, &crc))
    return false;
  h->len = static_cast<uint32_t>(len);
  h->first_lsn = lsn;
  h->count = static_cast<uint32_t>(count);
  h->crc = static_cast<uint32_t>(crc);
  return true;
}

bool BatchCrcOk(const char* header, std::string_view payload, uint32_t crc) {
  uint32_t c = Crc32c(0, header, kBatchCrcOffset);
  return Crc32c(c, payload.data(), payload.size()) == crc;
}

std::string SegmentHeader(uint64_t seq) {
  char buf[kSegmentHeaderSize + 1];
  int n = snprintf(buf, sizeof buf, "#ordis-wal 1 %016llx", static_cast<unsigned long long>(seq));
  std::string s(buf, static_cast<size_t>(n));
  s.resize(kSegmentHeaderSize - 2, ' ');
  s += "\r\n";
  return s;
}

bool ParseSegmentHeader(const char* p, uint64_t* seq) {
  static constexpr char kMagic[] = "#ordis-wal 1 ";
  if (std::memcmp(p, kMagic, sizeof kMagic - 1) != 0) return false;
  if (p[kSegmentHeaderSize - 2] != '\r' || p[kSegmentHeaderSize - 1] != '\n') return false;
  return ParseHex(p + sizeof kMagic - 1, 16, seq);
}

std::string SegmentName(std::string_view base, uint64_t seq) {
  return std::string(base) + "." + std::to_string(seq) + ".incr.aof";
}

std::string ManifestName(std::string_view base) {
  return std::string(base) + ".manifest";
}

std::string EncodeManifest(const std::vector<ManifestEntry>& entries) {
  std::string out;
  for (const ManifestEntry& e : entries)
    out += "file " + e.file + " seq " + std::to_string(e.seq) + " type i\n";
  return out;
}

std::string ParseManifest(std::string_view text, std::vector<ManifestEntry>* out) {
  out->clear();
  size_t line_no = 0;
  while (!text.empty()) {
    size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string_view> words;
    while (!line.empty()) {
      size_t sp = line.find(' ');
      if (sp != 0) words.push_back(line.substr(0, sp));
      line = sp == std::string_view::npos ? std::string_view() : line.substr(sp + 1);
    }
    ManifestEntry e;
    bool have_file = false, have_seq = false;
    for (size_t i = 0; i + 1 < words.size(); i += 2) {
      if (words[i] == "file") {
        e.file = std::string(words[i + 1]);
        have_file = true;
      } else if (words[i] == "seq") {
        char* end = nullptr;
        std::string v(words[i + 1]);
        e.seq = strtoull(v.c_str(), &end, 10);
        have_seq = end && *end == '\0' && !v.empty();
      }
    }
    if (words.size() % 2 != 0 || !have_file || !have_seq || e.file.find('/') != std::string::npos)
      return "Invalid manifest line " + std::to_string(line_no);
    out->push_back(std::move(e));
  }
  return "";
}

}  // namespace ordis::wal
