#include "driver.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace bench {
namespace {

[[noreturn]] void Die(const char* what, const char* detail) {
  fprintf(stderr, "ordis-bench: %s: %s\n", what, detail);
  exit(2);
}

}  // namespace

int ConnectTcp(const std::string& host, int port, std::string* error) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* res = nullptr;
  int rc = getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &res);
  if (rc != 0) {
    *error = gai_strerror(rc);
    return -1;
  }
  int fd = -1;
  for (addrinfo* a = res; a != nullptr; a = a->ai_next) {
    fd = socket(a->ai_family, a->ai_socktype, a->ai_protocol);
    if (fd >= 0 && connect(fd, a->ai_addr, a->ai_addrlen) == 0) break;
    *error = strerror(errno);
    if (fd >= 0) close(fd);
    fd = -1;
  }
  freeaddrinfo(res);
  if (fd < 0) return -1;
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return fd;
}

struct Driver::Conn {
  int fd = -1;
  // Bytes read and not yet scanned: in[in_pos, in_len).
  std::vector<char> in = std::vector<char>(256 * 1024);
  size_t in_pos = 0, in_len = 0;
  ReplyShape shape;
  std::string out;
  size_t out_pos = 0;
  bool want_write = false;
  // Requests in flight, oldest first: a ring as long as the pipeline.
  std::vector<Pending> ring;
  size_t head = 0, count = 0;
};

Driver::Driver(const DriverConfig& config, Workload* workload) : c_(config), w_(workload) {
  ep_ = epoll_create1(0);
  if (ep_ < 0) Die("epoll_create1", strerror(errno));
}

Driver::~Driver() {
  for (Conn* c : conns_) {
    close(c->fd);
    delete c;
  }
  close(ep_);
}

void Driver::Open(int count) {
  while (static_cast<int>(conns_.size()) < count) {
    std::string error;
    int fd = ConnectTcp(c_.host, c_.port, &error);
    if (fd < 0) Die("connect", error.c_str());
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    Conn* c = new Conn;
    c->fd = fd;
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.ptr = c;
    epoll_ctl(ep_, EPOLL_CTL_ADD, fd, &ev);
    conns_.push_back(c);
  }
}

void Driver::Issue(Conn& c, int64_t now) {
  Pending& p = c.ring[(c.head + c.count) % c.ring.size()];
  if (timed_) {
    w_->Next(c_.target, &p, &c.out);
  } else {
    w_->NextPrefill(prefill_next_++, c_.target, &p, &c.out);
  }
  p.sent_ns = now;
  ++c.count;
}

void Driver::Flush(Conn& c) {
  while (c.out_pos < c.out.size()) {
    ssize_t n = write(c.fd, c.out.data() + c.out_pos, c.out.size() - c.out_pos);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN) break;
      Die("write", strerror(errno));
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

void Driver::Read(Conn& c) {
  while (true) {
    // Room for the next read: drop scanned bytes, grow for a reply larger
    // than the buffer.
    if (c.in_pos == c.in_len) {
      c.in_pos = c.in_len = 0;
    } else if (c.in.size() - c.in_len < 16 * 1024) {
      memmove(c.in.data(), c.in.data() + c.in_pos, c.in_len - c.in_pos);
      c.in_len -= c.in_pos;
      c.in_pos = 0;
      if (c.in.size() - c.in_len < 16 * 1024) c.in.resize(c.in.size() * 2);
    }
    size_t room = c.in.size() - c.in_len;
    ssize_t n = read(c.fd, c.in.data() + c.in_len, room);
    if (n == 0) Die("read", "the server closed the connection");
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN) return;
      Die("read", strerror(errno));
    }
    c.in_len += static_cast<size_t>(n);
    int64_t now = NowNs();
    while (c.in_pos < c.in_len) {
      long k = ScanReply(std::string_view(c.in.data() + c.in_pos, c.in_len - c.in_pos), &c.shape);
      if (k == 0) break;
      if (k < 0) Die("protocol", "the server's reply is not RESP2");
      c.in_pos += static_cast<size_t>(k);
      if (c.count == 0) Die("protocol", "a reply without a request");
      Pending p = c.ring[c.head];
      c.head = (c.head + 1) % c.ring.size();
      --c.count;
      // Replies after the deadline update the model but not the stats.
      bool counted = !timed_ || now < deadline_;
      OpStats& st = counted ? stats_->ops[static_cast<size_t>(p.op)] : late_;
      st.latency.Add(static_cast<uint64_t>(std::max<int64_t>(0, now - p.sent_ns)));
      w_->OnReply(p, c.shape, &st);
      if (!timed_) {
        ++prefill_done_;
        if (prefill_next_ < prefill_total_) Issue(c, now);
      } else if (counted) {
        Issue(c, now);
      }
    }
    if (static_cast<size_t>(n) < room) return;
  }
}

void Driver::RunTimed(double seconds, RunStats* stats) {
  stats_ = stats;
  timed_ = true;
  Open(c_.conns);
  int64_t start = NowNs();
  deadline_ = start + static_cast<int64_t>(seconds * 1e9);
  for (Conn* c : conns_) {
    c->ring.assign(static_cast<size_t>(c_.pipeline), Pending{});
    c->head = c->count = 0;
    for (int i = 0; i < c_.pipeline; ++i) Issue(*c, NowNs());
    Flush(*c);
  }
  std::vector<epoll_event> events(conns_.size());
  while (NowNs() < deadline_) {
    int n = epoll_wait(ep_, events.data(), static_cast<int>(events.size()), 50);
    for (int i = 0; i < n; ++i) {
      Conn& c = *static_cast<Conn*>(events[static_cast<size_t>(i)].data.ptr);
      if (events[static_cast<size_t>(i)].events & (EPOLLIN | EPOLLERR | EPOLLHUP)) Read(c);
      Flush(c);
    }
  }
}

double Driver::RunPrefill(uint64_t n, RunStats* stats) {
  stats_ = stats;
  timed_ = false;
  prefill_next_ = prefill_done_ = 0;
  prefill_total_ = n;
  constexpr int kDepth = 64;
  Open(std::clamp(c_.conns, 1, 8));
  int64_t start = NowNs();
  for (Conn* c : conns_) {
    c->ring.assign(kDepth, Pending{});
    c->head = c->count = 0;
    for (int i = 0; i < kDepth && prefill_next_ < n; ++i) Issue(*c, start);
    Flush(*c);
  }
  std::vector<epoll_event> events(conns_.size());
  while (prefill_done_ < n) {
    int k = epoll_wait(ep_, events.data(), static_cast<int>(events.size()), 1000);
    for (int i = 0; i < k; ++i) {
      Conn& c = *static_cast<Conn*>(events[static_cast<size_t>(i)].data.ptr);
      if (events[static_cast<size_t>(i)].events & (EPOLLIN | EPOLLERR | EPOLLHUP)) Read(c);
      Flush(c);
    }
  }
  return static_cast<double>(NowNs() - start) / 1e9;
}

}  // namespace bench
