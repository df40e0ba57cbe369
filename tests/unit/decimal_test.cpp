#include "order/decimal.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstring>
#include <random>

using namespace ordis::decimal;

namespace {

// Test oracles, built on strings only so they share nothing with the code
// under test.

// Canonical text for sign * 0.<digits> scaled by `scale` fractional digits,
// where `digits` is the decimal integer of the scaled magnitude.
std::string CanonicalFromScaled(bool negative, std::string digits, int scale) {
  if (digits.size() <= static_cast<size_t>(scale)) digits.insert(0, scale + 1 - digits.size(), '0');
  std::string int_part = digits.substr(0, digits.size() - scale);
  std::string frac = digits.substr(digits.size() - scale);
  int_part.erase(0, std::min(int_part.find_first_not_of('0'), int_part.size() - 1));
  while (!frac.empty() && frac.back() == '0') frac.pop_back();
  std::string out = int_part;
  if (!frac.empty()) out += "." + frac;
  if (negative && out != "0") out.insert(0, "-");
  return out;
}

// Canonical form of an accepted input: leading zeros, trailing fractional
// zeros, a lone '.' and "-0" removed.
std::string Canonical(const std::string& s) {
  bool negative = s[0] == '-';
  std::string body = negative ? s.substr(1) : s;
  size_t dot = body.find('.');
  std::string int_part = body.substr(0, dot);
  std::string frac = dot == std::string::npos ? "" : body.substr(dot + 1);
  frac.resize(8, '0');
  return CanonicalFromScaled(negative, int_part + frac, 8);
}

// Schoolbook product of two unsigned decimal strings.
std::string MulStrings(const std::string& a, const std::string& b) {
  std::vector<int> acc(a.size() + b.size(), 0);
  for (size_t i = a.size(); i-- > 0;)
    for (size_t j = b.size(); j-- > 0;) {
      int sum = acc[i + j + 1] + (a[i] - '0') * (b[j] - '0');
      acc[i + j + 1] = sum % 10;
      acc[i + j] += sum / 10;
    }
  std::string out;
  for (int d : acc) out += static_cast<char>('0' + d);
  return out;
}

std::string Magnitude(int64_t v) {
  uint64_t m = v < 0 ? 0 - static_cast<uint64_t>(v) : static_cast<uint64_t>(v);
  return std::to_string(m);
}

ParseStatus P(const std::string& s) {
  int64_t v = 0;
  return Parse(s, &v);
}

int64_t Value(const std::string& s) {
  int64_t v = 0;
  REQUIRE(Parse(s, &v) == ParseStatus::kOk);
  return v;
}

}  // namespace

TEST_CASE("decimal Parse accepts the documented syntax", "[decimal]") {
  CHECK(Value("0") == 0);
  CHECK(Value("0.00000001") == 1);
  CHECK(Value("1") == kScale);
  CHECK(Value("5") == 5 * kScale);
  CHECK(Value("5.0") == 5 * kScale);
  CHECK(Value("27123.45") == 2712345000000);
  CHECK(Value("0.5") == kScale / 2);
  CHECK(Value("1.12345678") == 112345678);
  CHECK(Value("-1") == -kScale);  // parsed, so the caller can say "must be positive"
  CHECK(Value("-0.00000001") == -1);
  CHECK(Value("-27123.45") == -2712345000000);
  // Leading zeros are accepted (documented in decimal.h).
  CHECK(Value("00012.50") == 1250000000);
  CHECK(Value("00") == 0);
  CHECK(Value("-0") == 0);
  CHECK(Value("-0.00000000") == 0);
  CHECK(Value("1.00000000") == kScale);
}

TEST_CASE("decimal Parse rejects everything else with one status", "[decimal]") {
  for (const char* bad : {"",    "-",   "--1", ".",   ".5",   "-.5",  "5.",   "-5.",   "+1",
                          "1e3", "1E3", " 1",  "1 ",  "1. 5", "0x10", "1,5",  "1.2.3", "1..2",
                          "abc", "1a",  "∞",   "nan", "inf",  "-inf", "1.5-", "1-",    "1_000"})
    CHECK(P(bad) == ParseStatus::kInvalid);
  CHECK(P(std::string("1\0", 2)) == ParseStatus::kInvalid);
  CHECK(P(std::string("\0"
                      "1",
                      2)) == ParseStatus::kInvalid);
  CHECK(P("1.123456789") == ParseStatus::kTooManyDigits);
  CHECK(P("0.000000001") == ParseStatus::kTooManyDigits);
  CHECK(P("1.000000000") == ParseStatus::kTooManyDigits);  // even zeros
  CHECK(P("-1.123456789") == ParseStatus::kTooManyDigits);
  // Priority: kInvalid > kTooManyDigits > kOutOfRange.
  CHECK(P("1.123456789x") == ParseStatus::kInvalid);
  CHECK(P("99999999999999.123456789") == ParseStatus::kTooManyDigits);
}

TEST_CASE("decimal Parse range is exactly int64 once scaled", "[decimal]") {
  CHECK(Value("92233720368.54775807") == INT64_MAX);
  CHECK(Value("092233720368.54775807") == INT64_MAX);
  CHECK(P("92233720368.54775808") == ParseStatus::kOutOfRange);  // one unit beyond
  CHECK(Value("-92233720368.54775808") == INT64_MIN);
  CHECK(P("-92233720368.54775809") == ParseStatus::kOutOfRange);
  CHECK(Value("92233720368") == 9223372036800000000);
  CHECK(P("92233720369") == ParseStatus::kOutOfRange);
  CHECK(P("99999999999.99999999") == ParseStatus::kOutOfRange);   // 11 digits, largest
  CHECK(P("100000000000") == ParseStatus::kOutOfRange);           // 12 digits
  CHECK(P("18446744073709551616") == ParseStatus::kOutOfRange);   // 2^64, wraps if careless
  CHECK(P("184467440737.09551616") == ParseStatus::kOutOfRange);  // 2^64 units
  CHECK(P("-100000000000") == ParseStatus::kOutOfRange);
}

TEST_CASE("decimal Parse of very long strings neither overflows nor accepts", "[decimal]") {
  const std::string ones(100000, '1');
  CHECK(P(ones) == ParseStatus::kOutOfRange);
  CHECK(P("-" + ones) == ParseStatus::kOutOfRange);
  CHECK(P(std::string(100000, '9') + ".5") == ParseStatus::kOutOfRange);
  CHECK(P(ones + ".123456789") == ParseStatus::kTooManyDigits);
  CHECK(P(ones + "x") == ParseStatus::kInvalid);
  CHECK(P("1." + std::string(100000, '0')) == ParseStatus::kTooManyDigits);
  CHECK(Value(std::string(100000, '0') + "1.5") == 150000000);
  CHECK(Value("-" + std::string(100000, '0') + "92233720368.54775808") == INT64_MIN);
  // Digits whose naive uint64 accumulation would wrap back into range.
  CHECK(P("18446744073800000000") == ParseStatus::kOutOfRange);
}

TEST_CASE("decimal Parse leaves *out alone on failure", "[decimal]") {
  for (const char* bad : {"", "x", "1.123456789", "92233720368.54775808"}) {
    int64_t v = 42;
    CHECK(Parse(bad, &v) != ParseStatus::kOk);
    CHECK(v == 42);
  }
}

TEST_CASE("decimal Format is canonical", "[decimal]") {
  CHECK(Format(0) == "0");
  CHECK(Format(1) == "0.00000001");
  CHECK(Format(-1) == "-0.00000001");
  CHECK(Format(kScale) == "1");
  CHECK(Format(-kScale) == "-1");
  CHECK(Format(10 * kScale) == "10");
  CHECK(Format(kScale / 2) == "0.5");
  CHECK(Format(-kScale / 2) == "-0.5");
  CHECK(Format(2712345000000) == "27123.45");  // not 27123.45000000
  CHECK(Format(2712345000001) == "27123.45000001");
  CHECK(Format(100000000010) == "1000.0000001");
  CHECK(Format(INT64_MAX) == "92233720368.54775807");
  CHECK(Format(INT64_MIN) == "-92233720368.54775808");
  CHECK(Format(INT64_MIN + 1) == "-92233720368.54775807");
}

TEST_CASE("decimal Format into a buffer writes exactly its length", "[decimal]") {
  for (int64_t v :
       {int64_t{0}, int64_t{1}, int64_t{-1}, int64_t{2712345000000}, INT64_MAX, INT64_MIN}) {
    char buf[kFormatBufferSize + 8];
    std::memset(buf, '#', sizeof(buf));
    size_t n = Format(v, buf);
    CHECK(n <= 21);
    CHECK(std::string(buf, n) == Format(v));
    for (size_t k = n; k < sizeof(buf); ++k) CHECK(buf[k] == '#');
  }
  char buf[kFormatBufferSize];
  CHECK(Format(INT64_MIN, buf) == 21);
}

TEST_CASE("decimal FormatQuote prints exact products", "[decimal]") {
  CHECK(FormatQuote(0) == "0");
  CHECK(FormatQuote(Mul(1, 1)) == "0.0000000000000001");  // 0.00000001 x 0.00000001
  CHECK(FormatQuote(Mul(-1, 1)) == "-0.0000000000000001");
  CHECK(FormatQuote(Mul(2712345000000, kScale / 2)) == "13561.725");  // 27123.45 x 0.5
  CHECK(FormatQuote(Mul(-2712345000000, kScale / 2)) == "-13561.725");
  CHECK(FormatQuote(Mul(kScale, kScale)) == "1");
  CHECK(FormatQuote(Mul(3 * kScale, 7 * kScale)) == "21");
  CHECK(FormatQuote(Mul(kScale / 10, kScale / 10)) == "0.01");
  CHECK(FormatQuote(Mul(INT64_MAX, INT64_MAX)) == "8507059173023461584739.6907784232501249");
  CHECK(FormatQuote(Mul(INT64_MIN, INT64_MIN)) == "8507059173023461586584.3651857942052864");
  CHECK(FormatQuote(Mul(INT64_MIN, INT64_MAX)) == "-8507059173023461585662.0279821087277056");
  const Quote q_max = static_cast<Quote>((static_cast<unsigned __int128>(1) << 127) - 1);
  const Quote q_min = -q_max - 1;
  CHECK(FormatQuote(q_max) == "17014118346046923173168.7303715884105727");
  CHECK(FormatQuote(q_min) == "-17014118346046923173168.7303715884105728");
  // A quantity of exactly 1 gives the price back.
  CHECK(FormatQuote(Mul(INT64_MAX, kScale)) == Format(INT64_MAX));
  CHECK(FormatQuote(Mul(INT64_MIN, kScale)) == Format(INT64_MIN));
}

TEST_CASE("decimal round trip: Format(Parse(x)) == canonical(x)", "[decimal]") {
  std::mt19937_64 rng(20240603);
  auto digits = [&](size_t n) {
    std::string s;
    for (size_t k = 0; k < n; ++k) s += static_cast<char>('0' + rng() % 10);
    return s;
  };
  int ok = 0, out_of_range = 0;
  for (int iter = 0; iter < 300000; ++iter) {
    const bool negative = rng() % 4 == 0;
    std::string int_part = std::string(rng() % 8 == 0 ? rng() % 4 : 0, '0') +
                           digits(1 + rng() % 11);  // up to 11 significant digits
    // Bias toward the edge of the range.
    if (rng() % 16 == 0) int_part = std::string("9223372036") + digits(1);
    std::string frac = rng() % 3 == 0 ? "" : digits(1 + rng() % 8);
    std::string s = (negative ? "-" : "") + int_part + (frac.empty() ? "" : "." + frac);

    // In range iff the 19-digit scaled magnitude is <= 2^63-1 (2^63 if negative).
    std::string padded = int_part.substr(int_part.find_first_not_of('0') == std::string::npos
                                             ? int_part.size()
                                             : int_part.find_first_not_of('0'));
    std::string scaled = padded + frac + std::string(8 - frac.size(), '0');
    scaled.insert(0, 19 > scaled.size() ? 19 - scaled.size() : 0, '0');
    const bool in_range =
        scaled.size() == 19 && scaled <= (negative ? "9223372036854775808" : "9223372036854775807");

    int64_t v = 0;
    ParseStatus st = Parse(s, &v);
    if (!in_range) {
      ++out_of_range;
      if (st != ParseStatus::kOutOfRange) FAIL("expected out of range: " << s);
      continue;
    }
    if (st != ParseStatus::kOk) FAIL("rejected: " << s);
    if (Format(v) != Canonical(s)) FAIL(s << " -> " << Format(v) << " want " << Canonical(s));
    ++ok;
  }
  CHECK(ok > 250000);
  CHECK(out_of_range > 1000);
}

TEST_CASE("decimal round trip: Parse(Format(v)) == v over int64", "[decimal]") {
  std::mt19937_64 rng(7);
  for (int iter = 0; iter < 300000; ++iter) {
    // Full-width values and small ones (few digits, many trailing zeros).
    int64_t v = static_cast<int64_t>(rng());
    if (iter % 3 == 1) v >>= rng() % 63;
    if (iter % 3 == 2) v = static_cast<int64_t>(rng() % 100000) * kScale / 1000;
    const std::string s = Format(v);
    int64_t back = 0;
    if (Parse(s, &back) != ParseStatus::kOk || back != v) FAIL(v << " -> " << s);
    if (s != CanonicalFromScaled(v < 0, Magnitude(v), 8)) FAIL(v << " printed as " << s);
  }
}

TEST_CASE("decimal FormatQuote matches schoolbook multiplication", "[decimal]") {
  std::mt19937_64 rng(99);
  for (int iter = 0; iter < 200000; ++iter) {
    int64_t a = static_cast<int64_t>(rng()) >> (rng() % 64);
    int64_t b = static_cast<int64_t>(rng()) >> (rng() % 64);
    if (iter % 4 == 0) a = static_cast<int64_t>(rng() % 100000) * 1000;  // trailing zeros
    const std::string want =
        CanonicalFromScaled((a < 0) != (b < 0), MulStrings(Magnitude(a), Magnitude(b)), 16);
    const std::string got = FormatQuote(Mul(a, b));
    if (got != want) FAIL(a << " x " << b << " = " << got << " want " << want);
  }
}
