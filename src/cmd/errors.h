// Redis's error texts, in one place, and the mapping from OpStatus.
#pragma once

#include <string_view>

#include "util/status.h"

namespace ordis::err {

inline constexpr std::string_view kSyntax = "ERR syntax error";
inline constexpr std::string_view kWrongType =
    "WRONGTYPE Operation against a key holding the wrong kind of value";
inline constexpr std::string_view kNotInteger = "ERR value is not an integer or out of range";
inline constexpr std::string_view kNotFloat = "ERR value is not a valid float";
inline constexpr std::string_view kOverflow = "ERR increment or decrement would overflow";
inline constexpr std::string_view kNoSuchKey = "ERR no such key";
inline constexpr std::string_view kOutOfRange = "ERR index out of range";
inline constexpr std::string_view kDbIndex = "ERR DB index is out of range";
inline constexpr std::string_view kNoAuth = "NOAUTH Authentication required.";
inline constexpr std::string_view kNanOrInf = "ERR increment would produce NaN or Infinity";
inline constexpr std::string_view kStringTooBig =
    "ERR string exceeds maximum allowed size (proto-max-bulk-len)";
inline constexpr std::string_view kBitOffset = "ERR bit offset is not an integer or out of range";
inline constexpr std::string_view kBit = "ERR bit is not an integer or out of range";

// Text for a failed status; kOk/kNotFound/kSkipped have no error text and
// callers reply for them explicitly.
inline std::string_view ForStatus(ordis::OpStatus s) {
  switch (s) {
    case OpStatus::kWrongType:
      return kWrongType;
    case OpStatus::kNotInteger:
      return kNotInteger;
    case OpStatus::kNotFloat:
      return kNotFloat;
    case OpStatus::kOverflow:
      return kOverflow;
    case OpStatus::kOutOfRange:
      return kOutOfRange;
    case OpStatus::kTooBig:
      return kStringTooBig;
    case OpStatus::kNanOrInf:
      return kNanOrInf;
    case OpStatus::kNotFound:
      return kNoSuchKey;
    default:
      return kSyntax;
  }
}

}  // namespace ordis::err
