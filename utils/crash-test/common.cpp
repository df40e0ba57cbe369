#include "common.h"

#include <sys/time.h>

#include <chrono>
#include <thread>

namespace crash {

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

int64_t WallMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

void SleepMs(int64_t ms) {
  if (ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(ms));
}

namespace {

// Integer part, then the fraction without trailing zeros.
template <typename U>
std::string Canonical(U magnitude, U scale, int digits) {
  U int_part = magnitude / scale;
  U frac = magnitude % scale;
  std::string ip;
  do {
    ip.insert(ip.begin(), static_cast<char>('0' + static_cast<int>(int_part % 10)));
    int_part /= 10;
  } while (int_part != 0);
  if (frac == 0) return ip;
  std::string fp(static_cast<size_t>(digits), '0');
  for (int i = digits - 1; i >= 0; --i) {
    fp[static_cast<size_t>(i)] = static_cast<char>('0' + static_cast<int>(frac % 10));
    frac /= 10;
  }
  while (!fp.empty() && fp.back() == '0') fp.pop_back();
  return ip + "." + fp;
}

}  // namespace

std::string FormatScaled(int64_t v) {
  return Canonical<uint64_t>(static_cast<uint64_t>(v), static_cast<uint64_t>(kScale), 8);
}

std::string FormatQuote(__int128 q) {
  using U = unsigned __int128;
  return Canonical<U>(static_cast<U>(q), static_cast<U>(kScale) * static_cast<U>(kScale), 16);
}

bool Conn::Connect(int port, int timeout_ms) {
  timeval tv{timeout_ms / 1000, (timeout_ms % 1000) * 1000};
  redisContext* c = timeout_ms > 0 ? redisConnectWithTimeout("127.0.0.1", port, tv)
                                   : redisConnect("127.0.0.1", port);
  ctx_.reset(c);
  if (!ok()) return false;
  if (timeout_ms > 0 && redisSetTimeout(c, tv) != REDIS_OK) return false;
  return true;
}

std::string Conn::error() const {
  if (!ctx_) return "not connected";
  return ctx_->err ? std::string(ctx_->errstr) : std::string();
}

namespace {
struct ArgvBuf {
  std::vector<const char*> p;
  std::vector<size_t> n;
  explicit ArgvBuf(const std::vector<std::string>& argv) {
    for (const std::string& s : argv) {
      p.push_back(s.data());
      n.push_back(s.size());
    }
  }
};
}  // namespace

Reply Conn::Command(const std::vector<std::string>& argv) {
  if (!ok()) return nullptr;
  ArgvBuf b(argv);
  return Reply(static_cast<redisReply*>(
      redisCommandArgv(ctx_.get(), static_cast<int>(argv.size()), b.p.data(), b.n.data())));
}

bool Conn::Send(const std::vector<std::string>& argv) {
  Append(argv);
  int done = 0;
  while (ok() && !done)
    if (redisBufferWrite(ctx_.get(), &done) != REDIS_OK) return false;
  return ok();
}

void Conn::Append(const std::vector<std::string>& argv) {
  if (!ok()) return;
  ArgvBuf b(argv);
  (void)redisAppendCommandArgv(ctx_.get(), static_cast<int>(argv.size()), b.p.data(), b.n.data());
}

Reply Conn::Get() {
  if (!ok()) return nullptr;
  void* r = nullptr;
  if (redisGetReply(ctx_.get(), &r) != REDIS_OK) return nullptr;
  return Reply(static_cast<redisReply*>(r));
}

std::string ReplyText(const redisReply* r) {
  if (!r) return "(connection lost)";
  switch (r->type) {
    case REDIS_REPLY_STATUS:
      return std::string(r->str, r->len);
    case REDIS_REPLY_ERROR:
      return "(error) " + std::string(r->str, r->len);
    case REDIS_REPLY_INTEGER:
      return "(integer) " + std::to_string(r->integer);
    case REDIS_REPLY_NIL:
      return "(nil)";
    case REDIS_REPLY_STRING: {
      std::string s(r->str, r->len);
      if (s.size() > 40) s = s.substr(0, 40) + "...(" + std::to_string(r->len) + " bytes)";
      return "\"" + s + "\"";
    }
    case REDIS_REPLY_ARRAY:
      return "[" + std::to_string(r->elements) + " elements]";
    default:
      return "(reply type " + std::to_string(r->type) + ")";
  }
}

std::string InfoField(std::string_view info, std::string_view field, bool* found) {
  if (found) *found = false;
  size_t pos = 0;
  while (pos < info.size()) {
    size_t end = info.find('\n', pos);
    if (end == std::string_view::npos) end = info.size();
    std::string_view line = info.substr(pos, end - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.size() > field.size() && line.substr(0, field.size()) == field &&
        line[field.size()] == ':') {
      if (found) *found = true;
      return std::string(line.substr(field.size() + 1));
    }
    pos = end + 1;
  }
  return "";
}

}  // namespace crash
