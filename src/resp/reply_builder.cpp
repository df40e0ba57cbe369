#include "resp/reply_builder.h"

#include <cmath>
#include <cstdio>

namespace ordis {

static inline size_t FormatInt(char* buf, int64_t v) {
  char tmp[24];
  char* p = tmp + sizeof(tmp);
  uint64_t u = v < 0 ? 0 - static_cast<uint64_t>(v) : static_cast<uint64_t>(v);
  do {
    *--p = static_cast<char>('0' + u % 10);
    u /= 10;
  } while (u);
  if (v < 0) *--p = '-';
  size_t n = static_cast<size_t>(tmp + sizeof(tmp) - p);
  std::memcpy(buf, p, n);
  return n;
}

void ReplyBuilder::Header(char type, int64_t n) {
  char* w = out_->Reserve(32);
  w[0] = type;
  size_t k = 1 + FormatInt(w + 1, n);
  w[k++] = '\r';
  w[k++] = '\n';
  out_->Commit(k);
}

void ReplyBuilder::Simple(std::string_view s) {
  char* w = out_->Reserve(s.size() + 3);
  w[0] = '+';
  if (!s.empty()) std::memcpy(w + 1, s.data(), s.size());  // an empty view may be null
  w[s.size() + 1] = '\r';
  w[s.size() + 2] = '\n';
  out_->Commit(s.size() + 3);
}

void ReplyBuilder::Error(std::string_view msg) {
  ++errors_;
  if (!msg.empty() && msg[0] == '-') msg.remove_prefix(1);
  if (hook_) {
    size_t sp = msg.find(' ');
    hook_(hook_arg_, msg.substr(0, sp == std::string_view::npos ? msg.size() : sp));
  }
  char* w = out_->Reserve(msg.size() + 3);
  w[0] = '-';
  for (size_t i = 0; i < msg.size(); ++i) {
    char c = msg[i];
    w[i + 1] = (c == '\r' || c == '\n') ? ' ' : c;
  }
  w[msg.size() + 1] = '\r';
  w[msg.size() + 2] = '\n';
  out_->Commit(msg.size() + 3);
}

void ReplyBuilder::Integer(int64_t v) {
  Header(':', v);
}

void ReplyBuilder::Bulk(std::string_view s) {
  char* w = out_->Reserve(s.size() + 32);
  w[0] = '$';
  size_t k = 1 + FormatInt(w + 1, static_cast<int64_t>(s.size()));
  w[k++] = '\r';
  w[k++] = '\n';
  if (!s.empty()) std::memcpy(w + k, s.data(), s.size());  // an empty view may be null
  k += s.size();
  w[k++] = '\r';
  w[k++] = '\n';
  out_->Commit(k);
}

void ReplyBuilder::Null() {
  if (resp3())
    out_->Append("_\r\n", 3);
  else
    out_->Append("$-1\r\n", 5);
}

void ReplyBuilder::NullArray() {
  if (resp3())
    out_->Append("_\r\n", 3);
  else
    out_->Append("*-1\r\n", 5);
}

void ReplyBuilder::Double(double v) {
  char buf[64];
  int n;
  if (std::isinf(v)) {
    n = snprintf(buf, sizeof(buf), "%s", v > 0 ? "inf" : "-inf");
  } else {
    n = snprintf(buf, sizeof(buf), "%.17g", v);
  }
  if (resp3()) {
    out_->Append(',');
    out_->Append(buf, static_cast<size_t>(n));
    out_->Append("\r\n", 2);
  } else {
    Bulk(std::string_view(buf, static_cast<size_t>(n)));
  }
}

void ReplyBuilder::Bool(bool v) {
  if (resp3())
    out_->Append(v ? "#t\r\n" : "#f\r\n", 4);
  else
    Integer(v ? 1 : 0);
}

void ReplyBuilder::BigNumber(std::string_view digits) {
  if (resp3()) {
    out_->Append('(');
    out_->Append(digits);
    out_->Append("\r\n", 2);
  } else {
    Bulk(digits);
  }
}

void ReplyBuilder::Verbatim(std::string_view text, std::string_view format) {
  if (!resp3() || format.size() != 3) {
    Bulk(text);
    return;
  }
  Header('=', static_cast<int64_t>(text.size() + 4));
  out_->Append(format);
  out_->Append(':');
  out_->Append(text);
  out_->Append("\r\n", 2);
}

void ReplyBuilder::ArrayHeader(int64_t n) {
  Header('*', n);
}

void ReplyBuilder::MapHeader(int64_t n) {
  if (resp3())
    Header('%', n);
  else
    Header('*', n * 2);
}

void ReplyBuilder::SetHeader(int64_t n) {
  Header(resp3() ? '~' : '*', n);
}

void ReplyBuilder::PushHeader(int64_t n) {
  Header(resp3() ? '>' : '*', n);
}

}  // namespace ordis
