// loadgen: a small closed-loop load generator for Redis-protocol servers.
//
// Each of --conns connections keeps --pipeline requests in flight; every
// reply is answered by a new request (memtier_benchmark's model). Requests
// are SET or GET of random keys "key:NNNNNNNNNNNN" from --keys, in the ratio
// --ratio SET:GET (default 1:10), with --value-size byte values. Replies are
// parsed with hiredis's reader (without building reply objects). Latency is
// the time from writing a request to parsing its reply.
//
//   loadgen --port P [--seconds 10] [--conns 50] [--pipeline 1] [--pid PID]
//   loadgen --port P --load N      SET key:0..key:N-1 exactly once, then exit
//
// Prints one line of key=value pairs: ops, ops_per_sec, p50_us, p99_us,
// p999_us, errors, and with --pid the server's CPU time per operation
// (utime+stime from /proc/PID/stat over the measured interval), cpu_us_per_op.
// Single-threaded (epoll); the server should get the other core.
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <hiredis/hiredis.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

namespace {

struct Options {
  int port = 6379;
  double seconds = 10;
  int conns = 50;
  int pipeline = 1;
  int set_ratio = 1, get_ratio = 10;
  int64_t keys = 100000;
  int value_size = 32;
  int64_t load = 0;  // > 0: load mode
  int pid = 0;
};

int64_t NowNs() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

// utime + stime of pid in seconds, or -1.
double CpuSeconds(int pid) {
  if (pid <= 0) return -1;
  std::ifstream f("/proc/" + std::to_string(pid) + "/stat");
  std::string s((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  size_t rp = s.rfind(')');
  if (rp == std::string::npos) return -1;
  std::istringstream in(s.substr(rp + 2));
  std::string tok;
  double ticks = 0;
  for (int field = 3; field <= 15 && in >> tok; ++field)
    if (field >= 14) ticks += std::strtod(tok.c_str(), nullptr);
  return ticks / static_cast<double>(sysconf(_SC_CLK_TCK));
}

uint64_t rng_state = 88172645463325252ULL;
uint64_t Rand() {  // xorshift64
  rng_state ^= rng_state << 13;
  rng_state ^= rng_state >> 7;
  rng_state ^= rng_state << 17;
  return rng_state;
}

constexpr int kKeyDigits = 12;

// Request templates with a fixed-width key; the digits are patched in place.
class Requests {
 public:
  explicit Requests(int value_size) {
    std::string value(static_cast<size_t>(value_size), 'v');
    std::string key = "key:" + std::string(kKeyDigits, '0');
    set_ = "*3\r\n$3\r\nSET\r\n$" + std::to_string(key.size()) + "\r\n" + key + "\r\n$" +
           std::to_string(value.size()) + "\r\n" + value + "\r\n";
    get_ = "*2\r\n$3\r\nGET\r\n$" + std::to_string(key.size()) + "\r\n" + key + "\r\n";
    set_digits_ = set_.find("key:") + 4;
    get_digits_ = get_.find("key:") + 4;
  }
  void Append(std::string* out, bool set, int64_t key) const {
    const std::string& t = set ? set_ : get_;
    size_t at = out->size();
    out->append(t);
    char* d = out->data() + at + (set ? set_digits_ : get_digits_) + kKeyDigits;
    for (int i = 0; i < kKeyDigits; ++i) {
      *--d = static_cast<char>('0' + key % 10);
      key /= 10;
    }
  }

 private:
  std::string set_, get_;
  size_t set_digits_ = 0, get_digits_ = 0;
};

struct Conn {
  int fd = -1;
  redisReader* reader = nullptr;
  std::string out;
  size_t out_pos = 0;
  std::deque<int64_t> sent;  // send time per request in flight (ns)
  bool want_write = false;
};

int Connect(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_port = htons(static_cast<uint16_t>(port));
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (fd < 0 || connect(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0) {
    perror("connect");
    exit(2);
  }
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
  return fd;
}

class Generator {
 public:
  explicit Generator(const Options& o) : o_(o), req_(o.value_size) {}

  int Run() {
    ep_ = epoll_create1(0);
    int nconns = o_.load > 0 ? 4 : o_.conns;
    int depth = o_.load > 0 ? 64 : o_.pipeline;
    conns_.resize(static_cast<size_t>(nconns));
    for (Conn& c : conns_) {
      c.fd = Connect(o_.port);
      // No reply objects: the reader returns the reply type as the pointer.
      c.reader = redisReaderCreateWithFunctions(nullptr);
      epoll_event ev{};
      ev.events = EPOLLIN;
      ev.data.ptr = &c;
      epoll_ctl(ep_, EPOLL_CTL_ADD, c.fd, &ev);
    }
    if (o_.load == 0) latencies_.reserve(4000000);
    double cpu0 = CpuSeconds(o_.pid);
    start_ = NowNs();
    deadline_ = start_ + static_cast<int64_t>(o_.seconds * 1e9);
    for (Conn& c : conns_) {
      for (int i = 0; i < depth; ++i) Issue(c);
      Flush(c);
    }
    std::vector<epoll_event> events(static_cast<size_t>(nconns));
    while (true) {
      int n = epoll_wait(ep_, events.data(), nconns, 100);
      int64_t now = NowNs();
      if (o_.load == 0 && now >= deadline_) break;
      for (int i = 0; i < n; ++i) {
        Conn& c = *static_cast<Conn*>(events[static_cast<size_t>(i)].data.ptr);
        if (events[static_cast<size_t>(i)].events & (EPOLLIN | EPOLLERR | EPOLLHUP)) Read(c, now);
        Flush(c);
      }
      if (o_.load > 0 && done_ == o_.load) break;
    }
    int64_t end = NowNs();
    double cpu1 = CpuSeconds(o_.pid);
    double secs = static_cast<double>(end - start_) / 1e9;
    if (o_.load > 0) {
      printf("loaded=%lld seconds=%.2f errors=%lld\n", static_cast<long long>(done_), secs,
             static_cast<long long>(errors_));
      return errors_ ? 1 : 0;
    }
    std::sort(latencies_.begin(), latencies_.end());
    auto pct = [&](double p) {
      if (latencies_.empty()) return 0.0;
      size_t i = static_cast<size_t>(p * static_cast<double>(latencies_.size() - 1));
      return latencies_[i] / 1000.0;
    };
    printf(
        "ops=%lld seconds=%.2f ops_per_sec=%.0f p50_us=%.1f p99_us=%.1f p999_us=%.1f errors=%lld",
        static_cast<long long>(done_), secs, static_cast<double>(done_) / secs, pct(0.5), pct(0.99),
        pct(0.999), static_cast<long long>(errors_));
    if (o_.pid > 0 && cpu0 >= 0 && cpu1 >= 0 && done_ > 0)
      printf(" cpu_us_per_op=%.3f", (cpu1 - cpu0) * 1e6 / static_cast<double>(done_));
    printf("\n");
    return errors_ ? 1 : 0;
  }

 private:
  void Issue(Conn& c) {
    if (o_.load > 0) {
      if (next_load_ >= o_.load) return;
      req_.Append(&c.out, true, next_load_++);
    } else {
      bool set = static_cast<int>(Rand() % static_cast<uint64_t>(o_.set_ratio + o_.get_ratio)) <
                 o_.set_ratio;
      req_.Append(&c.out, set, static_cast<int64_t>(Rand() % static_cast<uint64_t>(o_.keys)));
    }
    c.sent.push_back(0);  // stamped when written
  }

  void Flush(Conn& c) {
    if (c.out_pos == c.out.size()) return;
    int64_t now = NowNs();
    // Stamp requests that had not been written yet.
    for (auto it = c.sent.rbegin(); it != c.sent.rend() && *it == 0; ++it) *it = now;
    while (c.out_pos < c.out.size()) {
      ssize_t n = write(c.fd, c.out.data() + c.out_pos, c.out.size() - c.out_pos);
      if (n < 0) {
        if (errno == EINTR) continue;
        if (errno == EAGAIN) break;
        perror("write");
        exit(2);
      }
      c.out_pos += static_cast<size_t>(n);
    }
    if (c.out_pos == c.out.size()) {
      c.out.clear();
      c.out_pos = 0;
    }
    bool want = c.out_pos < c.out.size();
    if (want != c.want_write) {
      epoll_event ev{};
      ev.events = want ? (EPOLLIN | EPOLLOUT) : EPOLLIN;
      ev.data.ptr = &c;
      epoll_ctl(ep_, EPOLL_CTL_MOD, c.fd, &ev);
      c.want_write = want;
    }
  }

  void Read(Conn& c, int64_t now) {
    char buf[64 * 1024];
    while (true) {
      ssize_t n = read(c.fd, buf, sizeof buf);
      if (n == 0) {
        fprintf(stderr, "server closed the connection\n");
        exit(2);
      }
      if (n < 0) {
        if (errno == EINTR) continue;
        if (errno == EAGAIN) break;
        perror("read");
        exit(2);
      }
      redisReaderFeed(c.reader, buf, static_cast<size_t>(n));
      void* reply;
      while (redisReaderGetReply(c.reader, &reply) == REDIS_OK && reply) {
        if (reinterpret_cast<intptr_t>(reply) == REDIS_REPLY_ERROR) ++errors_;
        int64_t sent = c.sent.front();
        c.sent.pop_front();
        if (o_.load == 0) {
          if (now < deadline_) {
            latencies_.push_back(static_cast<uint32_t>(std::min<int64_t>(now - sent, UINT32_MAX)));
            ++done_;
          }
        } else {
          ++done_;
        }
        Issue(c);
      }
      if (c.reader->err) {
        fprintf(stderr, "protocol error: %s\n", c.reader->errstr);
        exit(2);
      }
      if (static_cast<size_t>(n) < sizeof buf) break;
    }
  }

  const Options& o_;
  Requests req_;
  std::vector<Conn> conns_;
  int ep_ = -1;
  int64_t start_ = 0, deadline_ = 0;
  int64_t done_ = 0, errors_ = 0, next_load_ = 0;
  std::vector<uint32_t> latencies_;  // ns
};

void Usage() {
  fprintf(stderr,
          "usage: loadgen --port P [--seconds S] [--conns N] [--pipeline N] [--ratio SET:GET]\n"
          "               [--keys N] [--value-size N] [--pid SERVER_PID] [--load N]\n");
  exit(2);
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (i + 1 >= argc) Usage();
    const char* v = argv[++i];
    if (a == "--port")
      o.port = atoi(v);
    else if (a == "--seconds")
      o.seconds = atof(v);
    else if (a == "--conns")
      o.conns = atoi(v);
    else if (a == "--pipeline")
      o.pipeline = atoi(v);
    else if (a == "--keys")
      o.keys = atoll(v);
    else if (a == "--value-size")
      o.value_size = atoi(v);
    else if (a == "--load")
      o.load = atoll(v);
    else if (a == "--pid")
      o.pid = atoi(v);
    else if (a == "--ratio") {
      if (sscanf(v, "%d:%d", &o.set_ratio, &o.get_ratio) != 2) Usage();
    } else {
      Usage();
    }
  }
  if (o.conns < 1 || o.pipeline < 1 || o.keys < 1 || o.set_ratio + o.get_ratio < 1) Usage();
  Generator g(o);
  return g.Run();
}
