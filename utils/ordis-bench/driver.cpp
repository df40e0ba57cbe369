#include "driver.h"

#include <errno.h>
#include <fcntl.h>
#include <hiredis/hiredis.h>
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

// Capture functions: fill the ReplyShape behind the reader's privdata and
// return a dummy non-null object (null would mean out of memory).
void* const kDummy = reinterpret_cast<void*>(1);

ReplyShape& ShapeOf(const redisReadTask* t) {
  return *static_cast<ReplyShape*>(t->privdata);
}

void* CaptureString(const redisReadTask* t, char* s, size_t len) {
  if (t->parent == nullptr) {
    ReplyShape& r = ShapeOf(t);
    r.type = t->type;
    r.text_len = std::min(len, sizeof r.text_buf);
    memcpy(r.text_buf, s, r.text_len);
  }
  return kDummy;
}

void* CaptureArray(const redisReadTask* t, int elements) {
  ReplyShape& r = ShapeOf(t);
  if (t->parent == nullptr) {
    r.type = REDIS_REPLY_ARRAY;
    r.elements = elements;
  } else if (t->parent->parent == nullptr && elements > 0) {
    r.inner_elements += elements;
  }
  return kDummy;
}

void* CaptureInteger(const redisReadTask* t, long long v) {
  if (t->parent == nullptr) {
    ReplyShape& r = ShapeOf(t);
    r.type = REDIS_REPLY_INTEGER;
    r.integer = v;
  }
  return kDummy;
}

void* CaptureNil(const redisReadTask* t) {
  if (t->parent == nullptr) ShapeOf(t).type = REDIS_REPLY_NIL;
  return kDummy;
}

void FreeNothing(void*) {}

redisReplyObjectFunctions kCaptureFunctions = {CaptureString, CaptureArray, CaptureInteger,
                                               CaptureNil, FreeNothing};

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
  redisReader* reader = nullptr;
  ReplyShape shape;
  std::string out;
  size_t out_pos = 0;
  bool want_write = false;
  // Requests in flight, oldest first: a ring of `depth` slots.
  std::vector<Pending> ring;
  size_t head = 0, count = 0;
  int depth = 0;
};

Driver::Driver(const DriverConfig& config, Workload* workload) : c_(config), w_(workload) {
  ep_ = epoll_create1(0);
  if (ep_ < 0) Die("epoll_create1", strerror(errno));
}

Driver::~Driver() {
  for (Conn* c : conns_) {
    close(c->fd);
    redisReaderFree(c->reader);
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
    c->reader = redisReaderCreateWithFunctions(&kCaptureFunctions);
    c->reader->privdata = &c->shape;
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
  char buf[64 * 1024];
  while (true) {
    ssize_t n = read(c.fd, buf, sizeof buf);
    if (n == 0) Die("read", "the server closed the connection");
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN) return;
      Die("read", strerror(errno));
    }
    int64_t now = NowNs();
    redisReaderFeed(c.reader, buf, static_cast<size_t>(n));
    void* reply = nullptr;
    while (redisReaderGetReply(c.reader, &reply) == REDIS_OK && reply != nullptr) {
      if (c.count == 0) Die("protocol", "a reply without a request");
      Pending p = c.ring[c.head];
      c.head = (c.head + 1) % c.ring.size();
      --c.count;
      // Replies after the deadline update the model but not the stats.
      bool counted = !timed_ || now < deadline_;
      OpStats& st = counted ? stats_->ops[static_cast<size_t>(p.op)] : late_;
      st.latency.Add(static_cast<uint64_t>(std::max<int64_t>(0, now - p.sent_ns)));
      w_->OnReply(p, c.shape, &st);
      c.shape.Clear();
      if (!timed_) {
        ++prefill_done_;
        if (prefill_next_ < prefill_total_) Issue(c, now);
      } else if (counted) {
        Issue(c, now);
      }
    }
    if (c.reader->err) Die("protocol error", c.reader->errstr);
    if (static_cast<size_t>(n) < sizeof buf) return;
  }
}

void Driver::RunTimed(double seconds, RunStats* stats) {
  stats_ = stats;
  timed_ = true;
  Open(c_.conns);
  int64_t start = NowNs();
  deadline_ = start + static_cast<int64_t>(seconds * 1e9);
  for (Conn* c : conns_) {
    c->depth = c_.pipeline;
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
    c->depth = kDepth;
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
