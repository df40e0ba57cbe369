#include "order/decimal.h"

namespace ordis::decimal {
namespace {

bool IsDigit(char c) {
  return c >= '0' && c <= '9';
}

// Writes the canonical text of sign * (int_part . frac), where frac holds
// frac_digits digits, into buf (right to left from its end); returns the
// first character written. Shared by Format (UInt = uint64_t: 128-bit
// division is several times slower, and prices print on every reply) and
// FormatQuote (unsigned __int128).
template <typename UInt>
char* WriteCanonical(bool negative, UInt int_part, uint64_t frac, int frac_digits, char* end) {
  char* p = end;
  if (frac != 0) {
    int digits = frac_digits;
    while (frac % 10 == 0) {  // trailing zeros are not printed
      frac /= 10;
      --digits;
    }
    for (; digits > 0; --digits) {
      *--p = static_cast<char>('0' + frac % 10);
      frac /= 10;
    }
    *--p = '.';
  }
  do {
    *--p = static_cast<char>('0' + static_cast<int>(int_part % 10));
    int_part /= 10;
  } while (int_part != 0);
  if (negative) *--p = '-';
  return p;
}

}  // namespace

ParseStatus Parse(std::string_view s, int64_t* out) {
  size_t i = 0;
  const bool negative = !s.empty() && s[0] == '-';
  if (negative) i = 1;
  const size_t int_begin = i;
  while (i < s.size() && IsDigit(s[i])) ++i;
  const size_t int_end = i;
  if (int_end == int_begin) return ParseStatus::kInvalid;  // "", "-", ".5", "+1", " 1"
  size_t frac_begin = i, frac_end = i;
  if (i < s.size() && s[i] == '.') {
    frac_begin = ++i;
    while (i < s.size() && IsDigit(s[i])) ++i;
    frac_end = i;
    if (frac_end == frac_begin) return ParseStatus::kInvalid;  // "5."
  }
  if (i != s.size()) return ParseStatus::kInvalid;  // "1e3", "1 ", "0x10"
  if (frac_end - frac_begin > kScaleDigits) return ParseStatus::kTooManyDigits;

  // Leading zeros carry no value; past them, at most 11 integer digits fit.
  size_t first = int_begin;
  while (first < int_end && s[first] == '0') ++first;
  if (int_end - first > 11) return ParseStatus::kOutOfRange;
  uint64_t int_part = 0;
  for (size_t k = first; k < int_end; ++k) int_part = int_part * 10 + (s[k] - '0');
  uint64_t frac = 0;
  for (size_t k = frac_begin; k < frac_end; ++k) frac = frac * 10 + (s[k] - '0');
  for (size_t k = frac_end - frac_begin; k < kScaleDigits; ++k) frac *= 10;
  // int_part < 10^11, so this is below 10^19 + 10^8 < 2^64: no wrap.
  const uint64_t magnitude = int_part * static_cast<uint64_t>(kScale) + frac;
  const uint64_t limit = negative ? uint64_t{1} << 63 : (uint64_t{1} << 63) - 1;
  if (magnitude > limit) return ParseStatus::kOutOfRange;
  // Unsigned negation then conversion is exact for 2^63 (-> INT64_MIN).
  *out = static_cast<int64_t>(negative ? 0 - magnitude : magnitude);
  return ParseStatus::kOk;
}

size_t Format(int64_t v, char* buf) {
  char tmp[kFormatBufferSize];
  char* end = tmp + sizeof(tmp);
  // Magnitude in unsigned arithmetic so INT64_MIN needs no special case.
  const uint64_t magnitude = v < 0 ? 0 - static_cast<uint64_t>(v) : static_cast<uint64_t>(v);
  const uint64_t scale = static_cast<uint64_t>(kScale);
  const char* p = WriteCanonical(v < 0, magnitude / scale, magnitude % scale, kScaleDigits, end);
  const size_t n = static_cast<size_t>(end - p);
  for (size_t k = 0; k < n; ++k) buf[k] = p[k];
  return n;
}

std::string Format(int64_t v) {
  char buf[kFormatBufferSize];
  return std::string(buf, Format(v, buf));
}

std::string FormatQuote(Quote q) {
  // 2^127 has 39 digits; with '-', '.' and a leading "0" 48 bytes suffice.
  char tmp[48];
  char* end = tmp + sizeof(tmp);
  const unsigned __int128 magnitude =
      q < 0 ? 0 - static_cast<unsigned __int128>(q) : static_cast<unsigned __int128>(q);
  constexpr unsigned __int128 kQuoteScale =
      static_cast<unsigned __int128>(kScale) * static_cast<uint64_t>(kScale);
  const char* p =
      WriteCanonical(q < 0, magnitude / kQuoteScale, static_cast<uint64_t>(magnitude % kQuoteScale),
                     kQuoteScaleDigits, end);
  return std::string(p, static_cast<size_t>(end - p));
}

}  // namespace ordis::decimal
