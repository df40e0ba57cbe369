// String helpers shared by the protocol, config and command layers.
//
// Pure functions with no server state; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ordis {

// Parses a base-10 signed 64-bit integer the way Redis's string2ll does:
// no leading '+', no leading zeros (except "0"), no spaces, no overflow.
[[nodiscard]] bool ParseInt64(std::string_view s, int64_t* out);

// Parses a base-10 unsigned 64-bit integer (same strictness as ParseInt64).
[[nodiscard]] bool ParseUint64(std::string_view s, uint64_t* out);

// Parses a long double like Redis's string2ld: rejects spaces, NaN and
// trailing garbage. Infinity is accepted only when allow_inf.
[[nodiscard]] bool ParseLongDouble(std::string_view s, long double* out);

// Parses a double like Redis's getDoubleFromObject (rejects NaN).
[[nodiscard]] bool ParseDouble(std::string_view s, double* out);

// Appends the decimal form of v to out; returns chars written.
size_t AppendInt64(std::string* out, int64_t v);
std::string Int64ToString(int64_t v);

// Formats a long double the way INCRBYFLOAT does (%.17Lf trimmed of zeros).
std::string LongDoubleToString(long double v);

// Formats a double the way Redis replies do (%.17g, "inf"/"-inf").
std::string DoubleToString(double v);

// Glob-style matching with Redis semantics (*, ?, [a-z], [^x], \ escapes).
bool GlobMatch(std::string_view pattern, std::string_view str, bool nocase = false);

bool EqualsNoCase(std::string_view a, std::string_view b);
void ToLowerInPlace(std::string* s);
std::string ToLower(std::string_view s);

// Splits a line into arguments like Redis's sdssplitargs: spaces separate,
// "double quotes" support \n \r \t \b \a \\ \" and \xHH, 'single quotes'
// support \'. Returns nullopt on unbalanced quotes.
std::optional<std::vector<std::string>> SplitArgs(std::string_view line);

// Parses memory sizes like "1gb", "64mb", "100k", "512" (bytes).
// Returns false on syntax error or negative values.
[[nodiscard]] bool ParseMemory(std::string_view s, int64_t* out);

// Renders a byte count the way Redis INFO does for *_human fields ("1.50M").
std::string HumanBytes(uint64_t n);

}  // namespace ordis
