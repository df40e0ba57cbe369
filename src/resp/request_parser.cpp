#include "resp/request_parser.h"

#include <cstring>

#include "util/strutil.h"

namespace ordis {

void RequestParser::Reset() {
  pos_ = 0;
  multibulk_left_ = 0;
  bulk_len_ = -1;
  spans_.clear();
  args_.clear();
  error_.clear();
  bulk_hint_ = 0;
}

RequestParser::Result RequestParser::Fail(std::string msg) {
  error_ = std::move(msg);
  return Result::kError;
}

// Vectors that grew for a huge request are released once it is done, so an
// idle client does not keep megabytes of argument slots.
constexpr size_t kKeepSlots = 1024;

RequestParser::Result RequestParser::Parse(const char* buf, size_t len, size_t* consumed) {
  *consumed = 0;
  args_.clear();
  if (args_.capacity() > kKeepSlots) std::vector<std::string_view>().swap(args_);
  if (multibulk_left_ == 0 && spans_.capacity() > kKeepSlots)
    std::vector<std::pair<size_t, size_t>>().swap(spans_);
  bulk_hint_ = 0;
  if (len == 0) return Result::kNeedMore;
  if (pos_ == 0 && buf[0] != '*') {
    last_inline_ = true;
    return ParseInline(buf, len, consumed);
  }
  last_inline_ = false;
  return ParseMultibulk(buf, len, consumed);
}

RequestParser::Result RequestParser::ParseInline(const char* buf, size_t len, size_t* consumed) {
  const char* nl = static_cast<const char*>(std::memchr(buf, '\n', len));
  if (!nl) {
    if (len > limits_.max_inline_len) return Fail("Protocol error: too big inline request");
    return Result::kNeedMore;
  }
  size_t line_len = static_cast<size_t>(nl - buf);
  size_t linefeed = 1;
  if (line_len > 0 && buf[line_len - 1] == '\r') {
    --line_len;
    ++linefeed;
  }
  auto split = SplitArgs(std::string_view(buf, line_len));
  if (!split) return Fail("Protocol error: unbalanced quotes in request");
  inline_storage_ = std::move(*split);
  for (const std::string& s : inline_storage_) args_.emplace_back(s);
  *consumed = line_len + linefeed;
  return Result::kCommand;
}

// Finds "\r" in [p, end); returns nullptr if absent.
static const char* FindCR(const char* p, const char* end) {
  return static_cast<const char*>(std::memchr(p, '\r', static_cast<size_t>(end - p)));
}

RequestParser::Result RequestParser::ParseMultibulk(const char* buf, size_t len, size_t* consumed) {
  const char* end = buf + len;
  if (multibulk_left_ == 0) {
    // Header "*<count>\r\n".
    const char* cr = FindCR(buf, end);
    if (!cr) {
      if (len > limits_.max_inline_len) return Fail("Protocol error: too big mbulk count string");
      return Result::kNeedMore;
    }
    if (cr + 1 >= end) return Result::kNeedMore;  // need the '\n'
    int64_t count;
    if (!ParseInt64(std::string_view(buf + 1, static_cast<size_t>(cr - buf - 1)), &count) ||
        count > limits_.max_multibulk_len)
      return Fail("Protocol error: invalid multibulk length");
    if (count > 10 && limits_.unauthenticated)
      return Fail("Protocol error: unauthenticated multibulk length");
    size_t header = static_cast<size_t>(cr - buf) + 2;
    if (count <= 0) {
      *consumed = header;
      pos_ = 0;
      return Result::kCommand;  // empty request
    }
    pos_ = header;
    multibulk_left_ = count;
    bulk_len_ = -1;
    spans_.clear();
    spans_.reserve(static_cast<size_t>(count < 1024 ? count : 1024));
  }

  while (multibulk_left_ > 0) {
    const char* p = buf + pos_;
    if (bulk_len_ < 0) {
      if (p >= end) return Result::kNeedMore;
      const char* cr = FindCR(p, end);
      if (!cr) {
        if (static_cast<size_t>(end - p) > limits_.max_inline_len)
          return Fail("Protocol error: too big bulk count string");
        return Result::kNeedMore;
      }
      if (cr + 1 >= end) return Result::kNeedMore;
      if (*p != '$') return Fail(std::string("Protocol error: expected '$', got '") + *p + "'");
      int64_t bl;
      if (!ParseInt64(std::string_view(p + 1, static_cast<size_t>(cr - p - 1)), &bl) || bl < 0 ||
          bl > limits_.max_bulk_len)
        return Fail("Protocol error: invalid bulk length");
      if (bl > 16384 && limits_.unauthenticated)
        return Fail("Protocol error: unauthenticated bulk length");
      bulk_len_ = bl;
      pos_ = static_cast<size_t>(cr - buf) + 2;
      p = buf + pos_;
    }
    size_t need = static_cast<size_t>(bulk_len_) + 2;
    if (static_cast<size_t>(end - p) < need) {
      bulk_hint_ = pos_ + need;
      return Result::kNeedMore;
    }
    // Redis does not check the trailing CRLF of a bulk; neither do we.
    spans_.emplace_back(pos_, static_cast<size_t>(bulk_len_));
    pos_ += need;
    bulk_len_ = -1;
    --multibulk_left_;
  }

  args_.reserve(spans_.size());
  for (auto [off, n] : spans_) args_.emplace_back(buf + off, n);
  *consumed = pos_;
  pos_ = 0;
  spans_.clear();
  return Result::kCommand;
}

}  // namespace ordis
