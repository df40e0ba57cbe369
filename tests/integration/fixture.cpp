#include "fixture.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <hiredis/hiredis.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <fstream>
#include <sstream>
#include <thread>

namespace ordis::it {

namespace {

using Clock = std::chrono::steady_clock;

int MsLeft(Clock::time_point deadline) {
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
  return ms < 0 ? 0 : static_cast<int>(ms);
}

bool ParseInt(std::string_view s, int64_t* v) {
  if (s.empty()) return false;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), *v);
  return ec == std::errc() && p == s.data() + s.size();
}

bool Line(std::string_view buf, size_t* p, std::string_view* line) {
  size_t e = buf.find("\r\n", *p);
  if (e == std::string_view::npos) return false;
  *line = buf.substr(*p, e - *p);
  *p = e + 2;
  return true;
}

bool DecodeAt(std::string_view buf, size_t* p, Reply* out, bool* bad) {
  if (*p >= buf.size()) return false;
  char t = buf[*p];
  size_t q = *p + 1;
  std::string_view line;
  if (!Line(buf, &q, &line)) return false;
  int64_t n = 0;
  switch (t) {
    case '+':
      out->type = Reply::kSimple;
      out->str = line;
      break;
    case '-':
      out->type = Reply::kError;
      out->str = line;
      break;
    case ',':
      out->type = Reply::kDouble;
      out->str = line;
      break;
    case '(':
      out->type = Reply::kBigNum;
      out->str = line;
      break;
    case '_':
      out->type = Reply::kNull;
      break;
    case '#':
      out->type = Reply::kBool;
      out->integer = line == "t";
      break;
    case ':':
      out->type = Reply::kInteger;
      if (!ParseInt(line, &out->integer)) return *bad = true, false;
      break;
    case '$':
    case '=':
    case '!': {
      if (!ParseInt(line, &n)) return *bad = true, false;
      if (n < 0) {
        out->type = Reply::kNull;
        break;
      }
      if (buf.size() - q < static_cast<size_t>(n) + 2) return false;
      out->type = t == '$' ? Reply::kBulk : t == '=' ? Reply::kVerbatim : Reply::kError;
      out->str = buf.substr(q, static_cast<size_t>(n));
      if (t == '=' && out->str.size() >= 4) out->str.erase(0, 4);  // "txt:"
      q += static_cast<size_t>(n) + 2;
      break;
    }
    case '*':
    case '~':
    case '>':
    case '%':
    case '|': {
      if (!ParseInt(line, &n)) return *bad = true, false;
      if (n < 0) {
        out->type = Reply::kNull;
        break;
      }
      out->type = t == '*'   ? Reply::kArray
                  : t == '~' ? Reply::kSet
                  : t == '>' ? Reply::kPush
                             : Reply::kMap;
      int64_t items = (t == '%' || t == '|') ? 2 * n : n;
      out->elems.clear();
      for (int64_t i = 0; i < items; ++i) {
        Reply e;
        if (!DecodeAt(buf, &q, &e, bad)) return false;
        out->elems.push_back(std::move(e));
      }
      if (t == '|') {  // attribute: the real reply follows
        *out = Reply();
        if (!DecodeAt(buf, &q, out, bad)) return false;
      }
      break;
    }
    default:
      *bad = true;
      return false;
  }
  *p = q;
  return true;
}

int FreePort() {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof sa;
  int port = 0;
  if (fd >= 0 && bind(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&sa), &len) == 0)
    port = ntohs(sa.sin_port);
  if (fd >= 0) close(fd);
  return port;
}

int ConnectTcp(int port) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_port = htons(static_cast<uint16_t>(port));
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0) {
    close(fd);
    return -1;
  }
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return fd;
}

bool TryPing(int port) {
  int fd = ConnectTcp(port);
  if (fd < 0) return false;
  bool ok = false;
  if (send(fd, "PING\r\n", 6, MSG_NOSIGNAL) == 6) {
    pollfd p{fd, POLLIN, 0};
    char buf[16];
    if (poll(&p, 1, 1000) == 1)
      ok = recv(fd, buf, sizeof buf, 0) == 7 && memcmp(buf, "+PONG\r\n", 7) == 0;
  }
  close(fd);
  return ok;
}

Reply Convert(const redisReply* r) {
  Reply out;
  if (!r) return out;
  switch (r->type) {
    case REDIS_REPLY_STATUS:
      out.type = Reply::kSimple;
      out.str.assign(r->str, r->len);
      break;
    case REDIS_REPLY_ERROR:
      out.type = Reply::kError;
      out.str.assign(r->str, r->len);
      break;
    case REDIS_REPLY_STRING:
      out.type = Reply::kBulk;
      out.str.assign(r->str, r->len);
      break;
    case REDIS_REPLY_INTEGER:
      out.type = Reply::kInteger;
      out.integer = r->integer;
      break;
    case REDIS_REPLY_NIL:
      out.type = Reply::kNull;
      break;
    case REDIS_REPLY_ARRAY:
      out.type = Reply::kArray;
      for (size_t i = 0; i < r->elements; ++i) out.elems.push_back(Convert(r->element[i]));
      break;
    default:
      break;
  }
  return out;
}

}  // namespace

// ---- Reply

bool Reply::is_error(std::string_view msg) const {
  if (type != kError) return false;
  if (!msg.empty() && msg.back() == '*') return str.rfind(msg.substr(0, msg.size() - 1), 0) == 0;
  return str == msg;
}

bool Reply::operator==(std::string_view s) const {
  return (type == kSimple || type == kBulk || type == kVerbatim) && str == s;
}

Reply Reply::at(std::string_view key) const {
  for (size_t i = 0; i + 1 < elems.size(); i += 2)
    if (elems[i].str == key) return elems[i + 1];
  return Reply();
}

std::string Reply::ToString() const {
  auto shorten = [](const std::string& s) {
    return s.size() <= 200 ? s : s.substr(0, 200) + "...(" + std::to_string(s.size()) + " bytes)";
  };
  switch (type) {
    case kNone:
      return "(no reply)";
    case kSimple:
      return "+" + str;
    case kError:
      return "-" + str;
    case kInteger:
      return ":" + std::to_string(integer);
    case kBulk:
      return "\"" + shorten(str) + "\"";
    case kNull:
      return "(nil)";
    case kDouble:
      return "," + str;
    case kBool:
      return integer ? "#t" : "#f";
    case kBigNum:
      return "(" + str;
    case kVerbatim:
      return "=" + shorten(str);
    default: {
      std::string r = type == kMap ? "{" : "[";
      for (size_t i = 0; i < elems.size() && i < 20; ++i)
        r += (i ? ", " : "") + elems[i].ToString();
      if (elems.size() > 20) r += ", ...";
      return r + (type == kMap ? "}" : "]");
    }
  }
}

bool DecodeReply(std::string_view buf, size_t* pos, Reply* out, bool* bad) {
  size_t p = *pos;
  *bad = false;
  Reply r;
  if (!DecodeAt(buf, &p, &r, bad)) return false;
  *out = std::move(r);
  *pos = p;
  return true;
}

// ---- ServerProcess

ServerProcess::ServerProcess(std::vector<std::string> extra) {
  const char* bin = getenv("ORDIS_SERVER");
  INFO("ORDIS_SERVER names the server binary (make integration sets it)");
  REQUIRE(bin != nullptr);
  REQUIRE(access(bin, X_OK) == 0);
  // A port found free may be taken before the server binds it: retry.
  for (int attempt = 0; attempt < 3; ++attempt)
    if (Start(extra)) return;
  INFO("server log:\n" << LogTail());
  FAIL("server did not start");
}

bool ServerProcess::Start(const std::vector<std::string>& extra) {
  port_ = FreePort();
  char path[] = "/tmp/ordis-it-XXXXXX.log";
  int lfd = mkstemps(path, 4);
  if (lfd < 0) return false;
  if (!log_path_.empty()) unlink(log_path_.c_str());
  log_path_ = path;
  std::vector<std::string> args = {
      getenv("ORDIS_SERVER"), "--port", std::to_string(port_), "--bind", "127.0.0.1", "--save", "",
      "--appendonly",         "no",     "--loglevel",          "warning"};
  args.insert(args.end(), extra.begin(), extra.end());
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_ = fork();
  REQUIRE(pid_ >= 0);
  if (pid_ == 0) {
    dup2(lfd, 1);
    dup2(lfd, 2);
    int devnull = open("/dev/null", O_RDONLY);
    if (devnull >= 0) dup2(devnull, 0);
    // Keep none of the test's sockets open in the server.
    syscall(SYS_close_range, 3, ~0U, 0);
    // A test process that dies must not leave servers behind.
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    execv(argv[0], argv.data());
    _exit(127);
  }
  close(lfd);
  auto deadline = Clock::now() + std::chrono::seconds(15);
  while (Clock::now() < deadline) {
    if (!Alive()) return false;
    if (TryPing(port_)) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  kill(pid_, SIGKILL);
  waitpid(pid_, nullptr, 0);
  pid_ = -1;
  return false;
}

ServerProcess::~ServerProcess() {
  bool was_alive = Alive();
  if (was_alive) {
    kill(pid_, SIGTERM);
    auto deadline = Clock::now() + std::chrono::seconds(5);
    while (Alive() && Clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    if (Alive()) {
      kill(pid_, SIGKILL);
      int st;
      waitpid(pid_, &st, 0);
      exit_status_ = st;
      pid_ = -1;
    }
  }
  bool clean = was_alive && WIFEXITED(exit_status_) && WEXITSTATUS(exit_status_) == 0;
  if (!clean) {
    fprintf(stderr, "server on port %d %s (status %d); log %s:\n%s\n", port_,
            was_alive ? "did not exit cleanly" : "died during the test", exit_status_,
            log_path_.c_str(), LogTail().c_str());
    // A crash fails the test even if every assertion passed.
    if (std::uncaught_exceptions() == 0) CHECK(clean);
  } else {
    unlink(log_path_.c_str());
  }
}

bool ServerProcess::Alive() {
  if (pid_ <= 0) return false;
  int st;
  pid_t r = waitpid(pid_, &st, WNOHANG);
  if (r == 0) return true;
  exit_status_ = st;
  pid_ = -1;
  return false;
}

int64_t ServerProcess::StatusKb(const char* field) const {
  if (pid_ <= 0) return -1;
  std::ifstream f("/proc/" + std::to_string(pid_) + "/status");
  std::string line, prefix = std::string(field) + ":";
  while (std::getline(f, line)) {
    if (line.rfind(prefix, 0) == 0) return std::strtoll(line.c_str() + prefix.size(), nullptr, 10);
  }
  return -1;
}

double ServerProcess::CpuSeconds() const {
  if (pid_ <= 0) return -1;
  std::ifstream f("/proc/" + std::to_string(pid_) + "/stat");
  std::string s((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  size_t rp = s.rfind(')');
  if (rp == std::string::npos) return -1;
  std::istringstream in(s.substr(rp + 2));
  std::string tok;
  double ticks = 0;
  // Fields after the command: state(3) ... utime(14) stime(15).
  for (int field = 3; field <= 15 && in >> tok; ++field)
    if (field >= 14) ticks += std::strtod(tok.c_str(), nullptr);
  return ticks / static_cast<double>(sysconf(_SC_CLK_TCK));
}

std::string ServerProcess::LogTail(size_t max_bytes) const {
  std::ifstream f(log_path_);
  std::string s((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  return s.size() > max_bytes ? s.substr(s.size() - max_bytes) : s;
}

// ---- Redis (hiredis)

Redis::Redis(int port) {
  ctx_ = redisConnectWithTimeout("127.0.0.1", port, timeval{5, 0});
  REQUIRE(ctx_ != nullptr);
  INFO("hiredis: " << ctx_->errstr);
  REQUIRE(ctx_->err == 0);
  fcntl(ctx_->fd, F_SETFD, FD_CLOEXEC);
  redisSetTimeout(ctx_, timeval{30, 0});
}

Redis::~Redis() {
  if (ctx_) redisFree(ctx_);
}

bool Redis::connected() const {
  return ctx_ && ctx_->err == 0;
}

Reply Redis::Cmd(const std::vector<std::string>& args) {
  Append(args);
  return GetReply();
}

void Redis::Append(const std::vector<std::string>& args) {
  std::vector<const char*> argv;
  std::vector<size_t> lens;
  for (const std::string& a : args) {
    argv.push_back(a.data());
    lens.push_back(a.size());
  }
  redisAppendCommandArgv(ctx_, static_cast<int>(args.size()), argv.data(), lens.data());
}

Reply Redis::GetReply() {
  void* r = nullptr;
  if (redisGetReply(ctx_, &r) != REDIS_OK) return Reply();
  Reply out = Convert(static_cast<redisReply*>(r));
  freeReplyObject(r);
  return out;
}

// ---- RawConn

RawConn::RawConn(int port) {
  fd_ = ConnectTcp(port);
  INFO("connect to port " << port << ": " << strerror(errno));
  REQUIRE(fd_ >= 0);
}

RawConn::~RawConn() {
  Close();
}

void RawConn::Close() {
  if (fd_ >= 0) close(fd_);
  fd_ = -1;
}

void RawConn::Abort() {
  if (fd_ < 0) return;
  linger lg{1, 0};
  setsockopt(fd_, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
  Close();
}

bool RawConn::Send(std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t n = send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

int RawConn::Fill(int timeout_ms) {
  pollfd p{fd_, POLLIN, 0};
  int r = poll(&p, 1, timeout_ms);
  if (r <= 0) return 0;
  static char chunk[256 * 1024];
  ssize_t n = recv(fd_, chunk, sizeof chunk, 0);
  if (n <= 0) return -1;
  buf_.append(chunk, static_cast<size_t>(n));
  return 1;
}

Reply RawConn::Read(int timeout_ms) {
  auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  while (true) {
    Reply r;
    bool bad = false;
    size_t start = pos_;
    if (DecodeReply(buf_, &pos_, &r, &bad)) {
      last_raw_.assign(buf_, start, std::min<size_t>(pos_ - start, 4096));
      if (pos_ == buf_.size()) {
        buf_.clear();
        pos_ = 0;
        if (buf_.capacity() > (1 << 20)) buf_.shrink_to_fit();
      } else if (pos_ > (1 << 20)) {
        buf_.erase(0, pos_);
        pos_ = 0;
      }
      return r;
    }
    if (bad) return Reply();
    if (Fill(MsLeft(deadline)) <= 0) return Reply();
  }
}

bool RawConn::WaitClosed(int timeout_ms, size_t* discarded) {
  size_t total = buf_.size() - pos_;
  buf_.clear();
  pos_ = 0;
  auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  std::string scratch(256 * 1024, '\0');
  bool closed = false;
  while (true) {
    pollfd p{fd_, POLLIN, 0};
    int r = poll(&p, 1, MsLeft(deadline));
    if (r <= 0) break;
    ssize_t n = recv(fd_, scratch.data(), scratch.size(), 0);
    if (n <= 0) {
      closed = n == 0 || errno == ECONNRESET || errno == EPIPE;
      break;
    }
    total += static_cast<size_t>(n);
  }
  if (discarded) *discarded = total;
  return closed;
}

// ---- Witness

std::string Witness::Value(int i) {
  return std::string("w\0\r\n", 4) + std::to_string(i) +
         std::string(static_cast<size_t>(i % 7) * 10, 'x');
}

Witness::Witness(ServerProcess& srv, int keys) : srv_(srv), keeper_(srv.port()), keys_(keys) {
  for (int i = 0; i < keys_; ++i) keeper_.Append({"SET", "witness:" + std::to_string(i), Value(i)});
  int ok = 0;
  for (int i = 0; i < keys_; ++i) ok += keeper_.GetReply() == "OK";
  REQUIRE(ok == keys_);
}

void Witness::Verify() {
  REQUIRE(srv_.Alive());
  CHECK(keeper_.Cmd({"PING"}) == "PONG");
  Redis fresh(srv_.port());
  CHECK(fresh.Cmd({"PING"}) == "PONG");
  for (int i = 0; i < keys_; ++i) fresh.Append({"GET", "witness:" + std::to_string(i)});
  int intact = 0;
  for (int i = 0; i < keys_; ++i) intact += fresh.GetReply() == Value(i);
  CHECK(intact == keys_);
}

uint64_t RaiseFdLimit(uint64_t n) {
  rlimit lim;
  getrlimit(RLIMIT_NOFILE, &lim);
  if (lim.rlim_cur < n) {
    lim.rlim_cur = n < lim.rlim_max ? n : lim.rlim_max;
    setrlimit(RLIMIT_NOFILE, &lim);
    getrlimit(RLIMIT_NOFILE, &lim);
  }
  return lim.rlim_cur;
}

std::string Resp(const std::vector<std::string>& args) {
  std::string out = "*" + std::to_string(args.size()) + "\r\n";
  for (const std::string& a : args) {
    out += "$" + std::to_string(a.size()) + "\r\n";
    out += a;
    out += "\r\n";
  }
  return out;
}

}  // namespace ordis::it
