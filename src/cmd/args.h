// Argument helpers for handlers. Each parses one argument and, on failure,
// writes Redis's error reply and returns false, so a handler reads:
//   int64_t n;
//   if (!ArgInt(ctx, 2, &n)) return;
#pragma once

#include <cstdint>
#include <string_view>

#include "cmd/command.h"
#include "cmd/errors.h"
#include "util/strutil.h"

namespace ordis {

inline bool ArgInt(CommandContext& ctx, size_t i, int64_t* out,
                   std::string_view error = err::kNotInteger) {
  if (ParseInt64(ctx.arg(i), out)) return true;
  ctx.reply.Error(error);
  return false;
}

// Integer within [lo, hi]; out-of-range replies with `error`.
inline bool ArgIntRange(CommandContext& ctx, size_t i, int64_t lo, int64_t hi, int64_t* out,
                        std::string_view error = err::kNotInteger) {
  if (ParseInt64(ctx.arg(i), out) && *out >= lo && *out <= hi) return true;
  ctx.reply.Error(error);
  return false;
}

inline bool ArgDouble(CommandContext& ctx, size_t i, double* out) {
  if (ParseDouble(ctx.arg(i), out)) return true;
  ctx.reply.Error(err::kNotFloat);
  return false;
}

inline bool ArgIs(const CommandContext& ctx, size_t i, std::string_view word) {
  return EqualsNoCase(ctx.arg(i), word);
}

// Replies with the error for a failed status and returns true; returns
// false (no reply) when s is kOk.
inline bool ReplyIfError(CommandContext& ctx, OpStatus s) {
  if (s == OpStatus::kOk) return false;
  ctx.reply.Error(err::ForStatus(s));
  return true;
}

}  // namespace ordis
