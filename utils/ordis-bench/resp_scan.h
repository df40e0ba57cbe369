// A RESP2 reply scanner for the load generator: finds where one reply ends
// and keeps only its top-level shape (type, integer, text, element counts),
// without building objects or calling back per element. OPEN and DEPTH
// replies hold hundreds of elements; scanning them must cost the generator
// much less than producing them costs the server.
//
// Pure functions; thread-safe.
#pragma once

#include <cstddef>
#include <string_view>

namespace bench {

// The top-level shape of one reply. Types are hiredis's REDIS_REPLY_*
// values, so code can compare with either.
struct ReplyShape {
  int type = 0;           // REDIS_REPLY_*: STRING 1, ARRAY 2, INTEGER 3, NIL 4, STATUS 5, ERROR 6
  long long integer = 0;  // INTEGER
  // STRING, STATUS, ERROR: the first 127 bytes, copied.
  char text_buf[128];
  size_t text_len = 0;
  int elements = 0;              // ARRAY: its elements
  long long inner_elements = 0;  // ARRAY: sum of the elements of its arrays
  std::string_view text() const { return {text_buf, text_len}; }
  void Clear() { type = 0, integer = 0, text_len = 0, elements = 0, inner_elements = 0; }
};

// Scans the reply at the start of `in`. Returns its length and fills *shape
// (cleared first), 0 when `in` holds only part of it, or -1 when `in` is not
// RESP2 (the connection is unusable). Arrays nest at most 8 deep.
long ScanReply(std::string_view in, ReplyShape* shape);

// Scans random and edge-case replies split at every byte boundary and
// compares with hiredis's reader; prints failures, returns their number.
int SelfTestScanner();

}  // namespace bench
