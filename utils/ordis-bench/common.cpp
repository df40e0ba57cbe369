#include "common.h"

#include <time.h>
#include <unistd.h>

#include <cassert>
#include <charconv>
#include <cstring>
#include <fstream>
#include <iterator>
#include <sstream>

namespace bench {
namespace {

constexpr std::array<const char*, kOpCount> kOrdisVerbs = {
    "ORDER.PLACE", "ORDER.OPEN",   "ORDER.DEPTH", "ORDER.AMEND", "ORDER.CANCEL",
    "ORDER.FILL",  "ORDER.REDUCE", "ORDER.GET",   "ORDER.TOP"};
constexpr std::array<const char*, kOpCount> kRedisFunctions = {
    "order_place", "order_open",   "order_depth", "order_amend", "order_cancel",
    "order_fill",  "order_reduce", "order_get",   "order_top"};

void AppendBulk(std::string* out, std::string_view s) {
  char len[24];
  auto [end, ec] = std::to_chars(len, len + sizeof len, s.size());
  (void)ec;
  out->push_back('$');
  out->append(len, end);
  out->append("\r\n");
  out->append(s);
  out->append("\r\n");
}

}  // namespace

size_t FormatScaled(int64_t v, char* buf) {
  assert(v >= 0);
  auto [end, ec] = std::to_chars(buf, buf + 24, v / kScale);
  (void)ec;
  int64_t frac = v % kScale;
  if (frac == 0) return static_cast<size_t>(end - buf);
  *end++ = '.';
  for (int64_t d = kScale / 10; frac != 0; d /= 10) {
    *end++ = static_cast<char>('0' + frac / d);
    frac %= d;
  }
  return static_cast<size_t>(end - buf);
}

std::string FormatScaled(int64_t v) {
  char buf[24];
  return std::string(buf, FormatScaled(v, buf));
}

bool ParseScaled(std::string_view s, int64_t* out) {
  size_t dot = s.find('.');
  std::string_view ip = s.substr(0, dot);
  std::string_view fp = dot == std::string_view::npos ? std::string_view() : s.substr(dot + 1);
  if (ip.empty() || ip.size() > 11 || (dot != std::string_view::npos && fp.empty()) ||
      fp.size() > 8)
    return false;
  int64_t v = 0;
  for (char c : ip) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  int64_t f = 0;
  for (size_t i = 0; i < 8; ++i) {
    char c = i < fp.size() ? fp[i] : '0';
    if (c < '0' || c > '9') return false;
    f = f * 10 + (c - '0');
  }
  *out = v * kScale + f;
  return true;
}

std::string_view Request::Store(const char* p, size_t n) {
  assert(used_ + n <= sizeof buf_);
  memcpy(buf_ + used_, p, n);
  std::string_view v(buf_ + used_, n);
  used_ += n;
  return v;
}

void Request::AddInt(uint64_t v) {
  char tmp[24];
  auto [end, ec] = std::to_chars(tmp, tmp + sizeof tmp, v);
  (void)ec;
  Add(Store(tmp, static_cast<size_t>(end - tmp)));
}

void Request::AddScaled(int64_t v) {
  char tmp[24];
  Add(Store(tmp, FormatScaled(v, tmp)));
}

void Request::Encode(Target target, std::string* out) const {
  size_t i = static_cast<size_t>(op_);
  int n = argc_ + (target == Target::kOrdis ? 1 : 3);
  char head[16];
  auto [end, ec] = std::to_chars(head, head + sizeof head, n);
  (void)ec;
  out->push_back('*');
  out->append(head, end);
  out->append("\r\n");
  if (target == Target::kOrdis) {
    AppendBulk(out, kOrdisVerbs[i]);
  } else {
    AppendBulk(out, "FCALL");
    AppendBulk(out, kRedisFunctions[i]);
    AppendBulk(out, "0");
  }
  for (int a = 0; a < argc_; ++a) AppendBulk(out, args_[static_cast<size_t>(a)]);
}

int64_t NowNs() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

double CpuSeconds(int pid) {
  if (pid <= 0) return -1;
  std::ifstream f("/proc/" + std::to_string(pid) + "/stat");
  if (!f) return -1;
  std::string s((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  // The command name (field 2) may hold spaces: count fields after its ')'.
  size_t rp = s.rfind(')');
  if (rp == std::string::npos) return -1;
  std::istringstream in(s.substr(rp + 2));
  std::string tok;
  double ticks = 0;
  for (int field = 3; field <= 15 && in >> tok; ++field)
    if (field >= 14) ticks += std::strtod(tok.c_str(), nullptr);
  return ticks / static_cast<double>(sysconf(_SC_CLK_TCK));
}

}  // namespace bench
