// RequestParser: incremental parser for client requests, RESP multibulk
// ("*2\r\n$3\r\nGET\r\n$1\r\nk\r\n") and inline commands ("GET k\r\n").
//
// The parser knows nothing of the server. Limits are parameters; a violation
// is reported as kError with Redis's exact wording (without the "ERR "
// prefix) and the caller is expected to reply and close the connection.
//
// Contract:
//  - Parse() is called with the unconsumed input, always starting at the
//    first byte of the request being parsed. Bytes passed before must be
//    passed again (the buffer may have moved; the parser keeps offsets).
//  - kNeedMore: nothing consumed; call again with more input. bulk_hint()
//    tells how many bytes the request still needs when that is known, so a
//    caller can grow its buffer once for a big argument.
//  - kCommand: args() holds the arguments (views into the input, valid until
//    the caller consumes *consumed bytes or modifies the buffer). An empty
//    request (blank inline line, "*0" or a negative count) yields kCommand
//    with no args: skip it.
//  - kError: error() holds the message; the parser must be Reset() before
//    reuse (the connection is closing anyway).
//
// Thread safety: none; one parser per connection.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ordis {

struct ParserLimits {
  int64_t max_bulk_len = 512LL * 1024 * 1024;  // proto-max-bulk-len
  int64_t max_multibulk_len = INT32_MAX;       // Redis accepts up to INT_MAX
  size_t max_inline_len = 64 * 1024;           // PROTO_INLINE_MAX_SIZE
  // Before AUTH when requirepass is set: Redis's unauthenticated limits.
  bool unauthenticated = false;
};

class RequestParser {
 public:
  enum class Result { kNeedMore, kCommand, kError };

  explicit RequestParser(ParserLimits limits = {}) : limits_(limits) {}

  void set_limits(const ParserLimits& l) { limits_ = l; }
  const ParserLimits& limits() const { return limits_; }

  Result Parse(const char* buf, size_t len, size_t* consumed);

  const std::vector<std::string_view>& args() const { return args_; }
  const std::string& error() const { return error_; }
  size_t bulk_hint() const { return bulk_hint_; }
  // True while a multibulk request is partially parsed.
  bool in_request() const { return multibulk_left_ > 0 || pos_ > 0; }
  // True when the last request was inline (affects nothing but logging).
  bool last_was_inline() const { return last_inline_; }
  // Bytes the parser holds for a partly parsed request (one entry per
  // argument seen), to be counted with the input buffer against
  // client-query-buffer-limit: a request of millions of empty arguments
  // costs more here than in the input.
  size_t memory_usage() const {
    return spans_.capacity() * sizeof(spans_[0]) + args_.capacity() * sizeof(args_[0]);
  }

  void Reset();

 private:
  Result ParseInline(const char* buf, size_t len, size_t* consumed);
  Result ParseMultibulk(const char* buf, size_t len, size_t* consumed);
  Result Fail(std::string msg);

  ParserLimits limits_;
  // Multibulk state, as offsets from the start of the request.
  size_t pos_ = 0;                                // next byte to parse
  int64_t multibulk_left_ = 0;                    // arguments still to read
  int64_t bulk_len_ = -1;                         // length of the argument being read, or -1
  std::vector<std::pair<size_t, size_t>> spans_;  // (offset, len) per arg
  std::vector<std::string_view> args_;
  std::vector<std::string> inline_storage_;
  std::string error_;
  size_t bulk_hint_ = 0;
  bool last_inline_ = false;
};

}  // namespace ordis
