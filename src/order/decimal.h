// Fixed-point decimals for prices and quantities: int64 scaled by 10^8.
//
// Text in: an optional '-' (parsed so the caller can say "must be
// positive" rather than "not a number"), one or more digits, optionally
// '.' and 1-8 fractional digits: "27123.45", "0.00000001", "5", "5.0".
// Leading zeros are accepted ("00012.50" is 12.5, "-0" is 0): the value is
// unambiguous and fixed-width client formatting produces them. Rejected:
// empty, "-", "+1", ".5", "5.", "1e3", "0x10", spaces anywhere, more than 8
// fractional digits (even zeros: "1.000000000"), values beyond int64 once
// scaled: the range is [-92233720368.54775808, 92233720368.54775807].
// Each input has one status; when several apply, kInvalid wins over
// kTooManyDigits, which wins over kOutOfRange. Any length is safe: very
// long digit strings are rejected without overflow.
// Text out: canonical, no trailing fractional zeros, no '.' for integers,
// no leading zeros, no exponent, never "-0": 2712345000000 -> "27123.45".
// Format(Parse(s)) is s for every canonical s in range.
//
// Quote amounts (price x qty) are exact: the product of two scaled values
// is an __int128 scaled by 10^16 (two int64 factors always fit), printed
// the same canonical way with up to 16 fractional digits.
//
// Never floating point. Pure functions; thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace ordis::decimal {

inline constexpr int kScaleDigits = 8;
inline constexpr int64_t kScale = 100000000;  // 10^8

enum class ParseStatus {
  kOk,
  kInvalid,        // not a decimal number in the accepted syntax
  kTooManyDigits,  // more than 8 fractional digits
  kOutOfRange,     // beyond int64 once scaled
};

// Parses s into *out (scaled). *out is unchanged unless kOk.
[[nodiscard]] ParseStatus Parse(std::string_view s, int64_t* out);

// Longest Format output ("-92233720368.54775808") is 21 characters.
inline constexpr size_t kFormatBufferSize = 32;
// Canonical text of a scaled value (negative values get a '-').
std::string Format(int64_t v);
// Writes the same text into buf (at least kFormatBufferSize bytes, no
// terminating NUL is written); returns its length.
size_t Format(int64_t v, char* buf);

using Quote = __int128;  // scaled by 10^16
inline constexpr int kQuoteScaleDigits = 16;
inline Quote Mul(int64_t price, int64_t qty) {
  return static_cast<Quote>(price) * qty;
}
// Canonical text of a quote amount (up to 16 fractional digits). Any
// __int128, including its minimum, is printed exactly.
std::string FormatQuote(Quote q);

}  // namespace ordis::decimal
