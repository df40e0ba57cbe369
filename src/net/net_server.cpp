#include "net/net_server.h"

#include <arpa/inet.h>
#include <event2/event.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "server/log.h"
#include "server/persistence.h"
#include "snapshot/snapshot_manager.h"

namespace ordis {

struct NetServer::Conn {
  NetServer* owner = nullptr;
  Client client;
  event* read_ev = nullptr;
  event* write_ev = nullptr;
  bool flush_pending = false;
  bool write_armed = false;
  bool closing = false;
  bool reading_paused = false;
};

namespace {

constexpr size_t kReadChunk = 16 * 1024;
// Without a configured normal-class limit, stop reading from (and running
// the pipelined commands of) a client whose replies pile up beyond this, so
// one slow reader cannot exhaust memory. The output buffer doubles as it
// grows, so its footprint peaks near twice this while it is copied.
constexpr size_t kBackpressureBytes = 128 * 1024 * 1024;

std::string FormatAddr(const sockaddr_storage& ss) {
  char ip[INET6_ADDRSTRLEN] = "?";
  int port = 0;
  if (ss.ss_family == AF_INET) {
    auto* s = reinterpret_cast<const sockaddr_in*>(&ss);
    inet_ntop(AF_INET, &s->sin_addr, ip, sizeof ip);
    port = ntohs(s->sin_port);
    return std::string(ip) + ":" + std::to_string(port);
  }
  if (ss.ss_family == AF_INET6) {
    auto* s = reinterpret_cast<const sockaddr_in6*>(&ss);
    inet_ntop(AF_INET6, &s->sin6_addr, ip, sizeof ip);
    port = ntohs(s->sin6_port);
    return "[" + std::string(ip) + "]:" + std::to_string(port);
  }
  return "unix";
}

bool IsLoopback(const sockaddr_storage& ss) {
  if (ss.ss_family == AF_INET) {
    auto* s = reinterpret_cast<const sockaddr_in*>(&ss);
    return (ntohl(s->sin_addr.s_addr) >> 24) == 127;
  }
  if (ss.ss_family == AF_INET6) {
    auto* s = reinterpret_cast<const sockaddr_in6*>(&ss);
    return IN6_IS_ADDR_LOOPBACK(&s->sin6_addr) || IN6_IS_ADDR_V4MAPPED(&s->sin6_addr);
  }
  return true;
}

int ListenTcp(const std::string& addr, int port, int backlog, std::string* err) {
  bool v6 = addr.find(':') != std::string::npos;
  std::string host = addr == "*" ? "0.0.0.0" : (addr == "::*" ? "::" : addr);
  int fd = socket(v6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    *err = strerror(errno);
    return -1;
  }
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_storage ss{};
  socklen_t len;
  if (v6) {
    setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
    auto* s = reinterpret_cast<sockaddr_in6*>(&ss);
    s->sin6_family = AF_INET6;
    s->sin6_port = htons(static_cast<uint16_t>(port));
    if (inet_pton(AF_INET6, host.c_str(), &s->sin6_addr) != 1) {
      *err = "invalid address";
      close(fd);
      return -1;
    }
    len = sizeof(sockaddr_in6);
  } else {
    auto* s = reinterpret_cast<sockaddr_in*>(&ss);
    s->sin_family = AF_INET;
    s->sin_port = htons(static_cast<uint16_t>(port));
    if (inet_pton(AF_INET, host.c_str(), &s->sin_addr) != 1) {
      *err = "invalid address";
      close(fd);
      return -1;
    }
    len = sizeof(sockaddr_in);
  }
  if (bind(fd, reinterpret_cast<sockaddr*>(&ss), len) < 0 || listen(fd, backlog) < 0) {
    *err = strerror(errno);
    close(fd);
    return -1;
  }
  return fd;
}

}  // namespace

NetServer::NetServer(Server* server) : server_(server) {
  event_config* cfg = event_config_new();
  event_config_set_flag(cfg, EVENT_BASE_FLAG_NOLOCK);
  base_ = event_base_new_with_config(cfg);
  event_config_free(cfg);
  server_->set_host(this);
}

NetServer::~NetServer() {
  // Destroy() erases from conns_: never iterate it while destroying.
  while (!conns_.empty()) Destroy(conns_.begin()->second);
  FreeDead();
  for (event* e : listen_events_) event_free(e);
  for (int fd : listen_fds_) close(fd);
  for (event* e : signal_events_) event_free(e);
  if (cron_ev_) event_free(cron_ev_);
  if (wal_ev_) event_free(wal_ev_);
  if (base_) event_base_free(base_);
  if (!server_->config().unixsocket.empty()) unlink(server_->config().unixsocket.c_str());
  server_->set_host(nullptr);
}

std::string NetServer::Listen() {
  const Config& cfg = server_->config();
  if (cfg.port > 0) {
    for (std::string addr : cfg.bind) {
      bool optional = !addr.empty() && addr[0] == '-';
      if (optional) addr = addr.substr(1);
      std::string err;
      int fd = ListenTcp(addr, static_cast<int>(cfg.port), static_cast<int>(cfg.tcp_backlog), &err);
      if (fd < 0) {
        if (optional || (errno == EAFNOSUPPORT || errno == EADDRNOTAVAIL)) {
          Log(kLogWarning, "Could not create server TCP listening socket %s:%lld: %s", addr.c_str(),
              static_cast<long long>(cfg.port), err.c_str());
          if (optional) continue;
        }
        return "Could not create server TCP listening socket " + addr + ":" +
               std::to_string(cfg.port) + ": " + err;
      }
      listen_fds_.push_back(fd);
      listen_events_.push_back(event_new(base_, fd, EV_READ | EV_PERSIST, OnAccept, this));
    }
    bound_port_ = static_cast<int>(cfg.port);
  }
  if (!cfg.unixsocket.empty()) {
    unlink(cfg.unixsocket.c_str());
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    sockaddr_un sa{};
    sa.sun_family = AF_UNIX;
    strncpy(sa.sun_path, cfg.unixsocket.c_str(), sizeof(sa.sun_path) - 1);
    if (fd < 0 || bind(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) < 0 ||
        listen(fd, static_cast<int>(cfg.tcp_backlog)) < 0) {
      std::string e = strerror(errno);
      if (fd >= 0) close(fd);
      return "Failed opening Unix socket: " + e;
    }
    if (cfg.unixsocketperm) chmod(cfg.unixsocket.c_str(), static_cast<mode_t>(cfg.unixsocketperm));
    listen_fds_.push_back(fd);
    // Unix listener events carry a tagged pointer: the low bit marks unix.
    listen_events_.push_back(
        event_new(base_, fd, EV_READ | EV_PERSIST, OnAccept,
                  reinterpret_cast<void*>(reinterpret_cast<uintptr_t>(this) | 1)));
  }
  if (listen_fds_.empty()) return "Configured to not listen anywhere, exiting.";
  for (event* e : listen_events_) event_add(e, nullptr);
  return "";
}

int NetServer::Run() {
  for (int sig : {SIGTERM, SIGINT}) {
    event* e = evsignal_new(base_, sig, OnSignal, this);
    event_add(e, nullptr);
    signal_events_.push_back(e);
  }
  signal(SIGPIPE, SIG_IGN);
  cron_ev_ = event_new(base_, -1, EV_PERSIST, OnCron, this);
  int64_t hz = server_->config().hz > 0 ? server_->config().hz : 10;
  timeval tv{0, static_cast<suseconds_t>(1000000 / hz)};
  event_add(cron_ev_, &tv);
  int wal_fd = server_->persistence().notify_fd();
  if (wal_fd >= 0) {
    wal_ev_ = event_new(base_, wal_fd, EV_READ | EV_PERSIST, OnWal, this);
    event_add(wal_ev_, nullptr);
  }
  // Redis's beforeSleep: each pass runs the callbacks of every ready event
  // (reads, timers), then writes all replies they produced with one write()
  // per client, before the loop sleeps again.
  while (true) {
    // A snapshot in progress walks between passes: do not sleep meanwhile.
    bool snapshotting = server_->snapshots().wants_steps();
    int rc = event_base_loop(base_, snapshotting ? EVLOOP_NONBLOCK : EVLOOP_ONCE);
    EndOfPass();
    if (rc != 0 || event_base_got_break(base_) || event_base_got_exit(base_)) break;
  }
  return exit_code_;
}

void NetServer::Stop() {
  event_base_loopbreak(base_);
}

void NetServer::OnSignal(int sig, short, void* arg) {
  auto* self = static_cast<NetServer*>(arg);
  Log(kLogWarning, "Received %s scheduling shutdown...", sig == SIGINT ? "SIGINT" : "SIGTERM");
  self->server_->shutdown_requested = true;
  self->Stop();
}

void NetServer::OnAccept(int fd, short, void* arg) {
  auto tagged = reinterpret_cast<uintptr_t>(arg);
  auto* self = reinterpret_cast<NetServer*>(tagged & ~uintptr_t{1});
  // Accept a batch per wake-up, as Redis does (MAX_ACCEPTS_PER_CALL).
  for (int i = 0; i < 1000; ++i) {
    self->Accept(fd, tagged & 1);
    if (errno == EAGAIN) break;
  }
}

void NetServer::Accept(int listen_fd, bool unix_socket) {
  sockaddr_storage ss{};
  socklen_t len = sizeof ss;
  int fd = accept4(listen_fd, reinterpret_cast<sockaddr*>(&ss), &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
  if (fd < 0) {
    if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
      Log(kLogWarning, "Accepting client connection: %s", strerror(errno));
    if (errno != EINTR) errno = EAGAIN;
    return;
  }
  errno = 0;
  AddConnection(fd, ss, unix_socket);
}

std::vector<LoadingResponder::Listener> NetServer::listeners() const {
  std::vector<LoadingResponder::Listener> out;
  for (size_t i = 0; i < listen_fds_.size(); ++i) {
    auto tag = reinterpret_cast<uintptr_t>(event_get_callback_arg(listen_events_[i]));
    out.push_back({listen_fds_[i], (tag & 1) != 0});
  }
  return out;
}

void NetServer::Adopt(int fd, bool unix_socket, const std::string& input) {
  sockaddr_storage ss{};
  socklen_t len = sizeof ss;
  getpeername(fd, reinterpret_cast<sockaddr*>(&ss), &len);
  Conn* conn = AddConnection(fd, ss, unix_socket);
  if (!conn || input.empty()) return;
  Client& c = conn->client;
  c.in.Append(input.data(), input.size());
  ProcessInput(conn);
}

NetServer::Conn* NetServer::AddConnection(int fd, const sockaddr_storage& ss, bool unix_socket) {
  const Config& cfg = server_->config();
  if (static_cast<int64_t>(conns_.size()) >= cfg.maxclients) {
    static const char kMsg[] = "-ERR max number of clients reached\r\n";
    ssize_t w = write(fd, kMsg, sizeof kMsg - 1);
    (void)w;
    close(fd);
    ++server_->stats().rejected_connections;
    return nullptr;
  }
  if (!unix_socket && cfg.protected_mode && cfg.requirepass.empty() && !IsLoopback(ss) &&
      cfg.bind.size() == 2 && cfg.bind[0] == "*") {
    static const char kMsg[] =
        "-DENIED Redis is running in protected mode because protected mode is enabled and no "
        "password is set for the default user. Disable protected mode or set a password.\r\n";
    ssize_t w = write(fd, kMsg, sizeof kMsg - 1);
    (void)w;
    close(fd);
    ++server_->stats().rejected_connections;
    return nullptr;
  }
  if (!unix_socket) {
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (cfg.tcp_keepalive > 0) {
      setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof one);
      int idle = static_cast<int>(cfg.tcp_keepalive);
      setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &idle, sizeof idle);
      int intvl = idle / 3 > 0 ? idle / 3 : 1;
      setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &intvl, sizeof intvl);
      int cnt = 3;
      setsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT, &cnt, sizeof cnt);
    }
  }
  auto* conn = new Conn;
  conn->owner = this;
  Client& c = conn->client;
  c.id = server_->NextClientId();
  c.fd = fd;
  c.ctime_ms = c.last_interaction_ms = Server::NowMs();
  c.authenticated = cfg.requirepass.empty();
  if (unix_socket) {
    c.flags |= Client::kUnixSocket;
    c.addr = cfg.unixsocket + ":0";
    c.laddr = cfg.unixsocket + ":0";
  } else {
    c.addr = FormatAddr(ss);
    sockaddr_storage local{};
    socklen_t llen = sizeof local;
    if (getsockname(fd, reinterpret_cast<sockaddr*>(&local), &llen) == 0)
      c.laddr = FormatAddr(local);
  }
  conn->read_ev = event_new(base_, fd, EV_READ | EV_PERSIST, OnRead, conn);
  conn->write_ev = event_new(base_, fd, EV_WRITE | EV_PERSIST, OnWrite, conn);
  event_add(conn->read_ev, nullptr);
  conns_.emplace(&c, conn);
  server_->AddClient(&c);
  Log(kLogVerbose, "Accepted %s", c.addr.c_str());
  return conn;
}

void NetServer::OnRead(int, short, void* arg) {
  auto* conn = static_cast<Conn*>(arg);
  conn->owner->HandleRead(conn);
}

void NetServer::HandleRead(Conn* conn) {
  Client& c = conn->client;
  if (conn->closing) return;
  size_t want = kReadChunk;
  size_t hint = c.parser.bulk_hint();
  if (hint > c.in.size() && hint - c.in.size() > want) want = hint - c.in.size();
  char* w = c.in.Reserve(want);
  ssize_t n = read(c.fd, w, want);
  if (n == 0) {
    Log(kLogVerbose, "Client closed connection id=%llu addr=%s",
        static_cast<unsigned long long>(c.id), c.addr.c_str());
    Destroy(conn);
    return;
  }
  if (n < 0) {
    if (errno == EAGAIN || errno == EINTR) return;
    Log(kLogVerbose, "Reading from client: %s", strerror(errno));
    Destroy(conn);
    return;
  }
  c.in.Commit(static_cast<size_t>(n));
  c.net_input_bytes += static_cast<uint64_t>(n);
  server_->stats().total_net_input_bytes += static_cast<uint64_t>(n);
  ++server_->stats().total_reads_processed;
  c.last_interaction_ms = Server::NowMs();
  if (static_cast<int64_t>(c.in.size() + c.parser.memory_usage()) >
      server_->config().client_query_buffer_limit) {
    Log(kLogWarning,
        "Closing client that reached max query buffer length: id=%llu addr=%s (qbuf initial bytes: "
        "\"%.64s\")",
        static_cast<unsigned long long>(c.id), c.addr.c_str(),
        std::string(c.in.view().substr(0, 64)).c_str());
    ++server_->stats().client_query_buffer_limit_disconnections;
    Destroy(conn);
    return;
  }
  ProcessInput(conn);
}

void NetServer::ProcessInput(Conn* conn) {
  if (conn->closing) return;
  Client& c = conn->client;
  const Config& cfg = server_->config();
  while (!conn->closing && !conn->reading_paused &&
         !(c.flags & (Client::kCloseAfterReply | Client::kCloseAsap | Client::kBlocked)) &&
         !c.in.empty()) {
    ParserLimits limits = c.parser.limits();
    limits.max_bulk_len = cfg.proto_max_bulk_len;
    limits.unauthenticated = !c.authenticated;
    c.parser.set_limits(limits);
    size_t consumed = 0;
    auto r = c.parser.Parse(c.in.data(), c.in.size(), &consumed);
    if (r == RequestParser::Result::kNeedMore) break;
    if (r == RequestParser::Result::kError) {
      c.reply.set_buffer(&c.out);
      c.reply.Error("ERR " + c.parser.error());
      Log(kLogVerbose, "Protocol error (%s) from client: id=%llu addr=%s", c.parser.error().c_str(),
          static_cast<unsigned long long>(c.id), c.addr.c_str());
      c.flags |= Client::kCloseAfterReply;
      c.in.Clear();
      c.parser.Reset();
      break;
    }
    if (c.parser.args().empty()) {
      c.in.Consume(consumed);
      continue;
    }
    if (server_->pause_until_ms) {
      const CommandSpec* spec = server_->commands().Find(c.parser.args()[0]);
      if (server_->IsPaused(spec)) break;  // retried by cron once unpaused
    }
    if (c.flags & Client::kReplySkipNext) {
      c.flags &= ~Client::kReplySkipNext;
      c.flags |= Client::kReplySkip;
    }
    uint64_t start = c.net_output_bytes + c.out.size();
    collecting_ = true;
    server_->Dispatch(c, c.parser.args());
    collecting_ = false;
    uint64_t dep = server_->TakeReplyDependency();
    if (dep > 0 || !c.holds.empty() || !woken_.empty()) HoldOutput(conn, start, dep);
    c.flags &= ~Client::kReplySkip;
    c.in.Consume(consumed);
    if (!c.out.empty()) CheckOutputLimits(conn);
  }
  if (c.in.empty()) c.in.ShrinkIfIdle(64 * 1024);
  if (c.flags & Client::kCloseAsap) {
    Destroy(conn);
    return;
  }
  if (!c.out.empty() || (c.flags & Client::kCloseAfterReply)) ScheduleFlush(conn);
  if (server_->shutdown_requested) Stop();
}

void NetServer::CheckOutputLimits(Conn* conn) {
  Client& c = conn->client;
  // Subscribers fall under the pubsub class, as Redis's getClientType.
  const Config& cfg = server_->config();
  const OutputBufferLimit& lim = (c.flags & Client::kPubSub) ? cfg.obuf_pubsub : cfg.obuf_normal;
  size_t used = c.out.size();
  bool hard = lim.hard > 0 && used >= static_cast<size_t>(lim.hard);
  bool soft = false;
  if (lim.soft > 0 && used >= static_cast<size_t>(lim.soft)) {
    int64_t now = Server::NowMs();
    if (c.obuf_soft_since_ms == 0) {
      c.obuf_soft_since_ms = now;
    } else if (now - c.obuf_soft_since_ms > lim.soft_seconds * 1000) {
      soft = true;
    }
  } else {
    c.obuf_soft_since_ms = 0;
  }
  if (hard || soft) {
    Log(kLogWarning,
        "Client id=%llu addr=%s scheduled to be closed ASAP for overcoming of output buffer "
        "limits.",
        static_cast<unsigned long long>(c.id), c.addr.c_str());
    ++server_->stats().client_output_buffer_limit_disconnections;
    c.flags |= Client::kCloseAsap;
    return;
  }
  // No limit hit (or none configured): backpressure instead of unbounded
  // growth. Resumed by WriteOut once the buffer is drained.
  if (used > kBackpressureBytes && !conn->reading_paused) {
    conn->reading_paused = true;
    event_del(conn->read_ev);
  }
}

void NetServer::ScheduleFlush(Conn* conn) {
  if (conn->closing || conn->flush_pending || conn->write_armed) return;
  conn->flush_pending = true;
  pending_flush_.push_back(conn);
}

void NetServer::HoldOutput(Conn* conn, uint64_t start, uint64_t dep) {
  Client& c = conn->client;
  if (dep > server_->persistence().release_lsn()) {
    if (c.holds.empty()) held_.push_back(conn);
    c.holds.emplace_back(start, dep);
  }
  HoldWoken(dep);
}

void NetServer::HoldWoken(uint64_t dep) {
  std::vector<Conn*> woken;
  woken.swap(woken_);
  if (dep <= server_->persistence().release_lsn()) return;
  for (Conn* w : woken) {
    if (w->closing) continue;
    Client& wc = w->client;
    // Conservative: everything not yet sent waits (pushed events are
    // rarely behind other unsent output).
    if (wc.holds.empty()) held_.push_back(w);
    wc.holds.emplace_back(wc.net_output_bytes, dep);
  }
}

void NetServer::OnWal(int, short, void* arg) {
  auto* self = static_cast<NetServer*>(arg);
  if (self->server_->persistence().OnIoEvent()) self->ReleaseHolds();
}

void NetServer::ReleaseHolds() {
  std::vector<Conn*> held;
  held.swap(held_);
  for (Conn* conn : held) {
    if (conn->closing || conn->client.holds.empty()) continue;
    WriteOut(conn);
    if (!conn->closing && !conn->client.holds.empty()) held_.push_back(conn);
  }
}

void NetServer::EndOfPass() {
  // Unblocked clients run what they sent while blocked (their replies join
  // this flush). Running it may unblock others in turn.
  while (!pending_resume_.empty()) {
    std::vector<Conn*> resume;
    resume.swap(pending_resume_);
    for (Conn* conn : resume) ProcessInput(conn);
  }
  // Group commit: everything this pass appended goes to disk as one batch.
  server_->persistence().EndOfPass();
  std::vector<Conn*> batch;
  batch.swap(pending_flush_);
  for (Conn* conn : batch) {
    conn->flush_pending = false;
    WriteOut(conn);
  }
  std::vector<Conn*> closing;
  closing.swap(pending_close_);
  for (Conn* conn : closing) Destroy(conn);
  FreeDead();
  // A slice of a snapshot in progress: short after serving, longer when idle.
  if (server_->snapshots().in_progress()) server_->snapshots().OnLoopPass(!batch.empty());
}

void NetServer::OnWrite(int, short, void* arg) {
  auto* conn = static_cast<Conn*>(arg);
  conn->owner->WriteOut(conn);
}

bool NetServer::WriteOut(Conn* conn) {
  Client& c = conn->client;
  if (conn->closing) return false;
  // Only what is durable may leave: stop at the first held reply.
  uint64_t limit = UINT64_MAX;
  if (!c.holds.empty()) {
    uint64_t rel = server_->persistence().release_lsn();
    std::erase_if(c.holds, [rel](const auto& h) { return h.second <= rel; });
    for (const auto& h : c.holds) limit = std::min(limit, h.first);
  }
  while (!c.out.empty()) {
    size_t allowed = c.out.size();
    if (limit != UINT64_MAX) {
      if (limit <= c.net_output_bytes) break;
      allowed = static_cast<size_t>(std::min<uint64_t>(allowed, limit - c.net_output_bytes));
    }
    ssize_t n = write(c.fd, c.out.data(), allowed);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN) break;
      Log(kLogVerbose, "Error writing to client: %s", strerror(errno));
      Destroy(conn);
      return false;
    }
    c.out.Consume(static_cast<size_t>(n));
    c.net_output_bytes += static_cast<uint64_t>(n);
    server_->stats().total_net_output_bytes += static_cast<uint64_t>(n);
  }
  ++server_->stats().total_writes_processed;
  if (c.out.empty()) {
    c.out.ShrinkIfIdle(64 * 1024);
    c.obuf_soft_since_ms = 0;
    if (conn->write_armed) {
      event_del(conn->write_ev);
      conn->write_armed = false;
    }
    if (c.flags & Client::kCloseAfterReply) {
      Destroy(conn);
      return false;
    }
    if (conn->reading_paused) {
      conn->reading_paused = false;
      event_add(conn->read_ev, nullptr);
      if (!c.in.empty()) ProcessInput(conn);
    }
  } else if (limit != UINT64_MAX && limit <= c.net_output_bytes) {
    // Held for the WAL: ReleaseHolds writes it; no write event meanwhile.
    if (conn->write_armed) {
      event_del(conn->write_ev);
      conn->write_armed = false;
    }
  } else if (!conn->write_armed) {
    event_add(conn->write_ev, nullptr);
    conn->write_armed = true;
  }
  return true;
}

void NetServer::CloseClient(Client* c) {
  auto it = conns_.find(c);
  if (it == conns_.end()) return;
  Conn* conn = it->second;
  if (c->flags & Client::kCloseAsap) {
    if (std::find(pending_close_.begin(), pending_close_.end(), conn) == pending_close_.end())
      pending_close_.push_back(conn);
  } else {
    c->flags |= Client::kCloseAfterReply;
    ScheduleFlush(conn);
  }
}

void NetServer::WakeWriter(Client* c) {
  auto it = conns_.find(c);
  if (it == conns_.end()) return;
  if (collecting_) woken_.push_back(it->second);
  CheckOutputLimits(it->second);
  if (c->flags & Client::kCloseAsap) {
    CloseClient(c);
    return;
  }
  ScheduleFlush(it->second);
}

void NetServer::ClientUnblocked(Client* c) {
  auto it = conns_.find(c);
  if (it == conns_.end() || it->second->closing) return;
  WakeWriter(c);
  if (!c->in.empty()) {
    pending_resume_.push_back(it->second);
  }
}

void NetServer::Destroy(Conn* conn) {
  if (conn->closing) return;
  conn->closing = true;
  Client& c = conn->client;
  server_->RemoveClient(&c);
  conns_.erase(&c);
  event_free(conn->read_ev);
  event_free(conn->write_ev);
  close(c.fd);
  std::erase(pending_flush_, conn);
  std::erase(pending_close_, conn);
  std::erase(pending_resume_, conn);
  std::erase(woken_, conn);
  std::erase(held_, conn);
  // Freed at the end of the iteration: a caller up the stack (a flush
  // batch, the cron's resume list, ProcessInput after a CLIENT KILL) may
  // still hold this pointer and will see `closing`.
  dead_.push_back(conn);
}

void NetServer::FreeDead() {
  for (Conn* conn : dead_) delete conn;
  dead_.clear();
}

void NetServer::OnCron(int, short, void* arg) {
  auto* self = static_cast<NetServer*>(arg);
  self->collecting_ = true;
  self->server_->Cron();
  self->collecting_ = false;
  self->HoldWoken(self->server_->TakeReplyDependency());
  self->CronClients();
  if (self->server_->shutdown_requested) self->Stop();
}

void NetServer::CronClients() {
  const Config& cfg = server_->config();
  int64_t now = Server::NowMs();
  std::vector<Conn*> idle, resume, pending_out;
  for (auto& [c, conn] : conns_) {
    if (!c->out.empty()) pending_out.push_back(conn);
    // Subscribers wait for messages: like Redis, no idle timeout for them.
    if (cfg.timeout > 0 && !(c->flags & (Client::kMonitor | Client::kBlocked | Client::kPubSub)) &&
        now - c->last_interaction_ms > cfg.timeout * 1000) {
      idle.push_back(conn);
    } else if (!c->in.empty() && !server_->pause_until_ms && !conn->reading_paused) {
      resume.push_back(conn);  // input held back by CLIENT PAUSE
    }
  }
  for (Conn* conn : idle) {
    Log(kLogVerbose, "Closing idle client id=%llu",
        static_cast<unsigned long long>(conn->client.id));
    Destroy(conn);
  }
  for (Conn* conn : resume) ProcessInput(conn);
  // Soft output limits expire without traffic too (a subscriber that
  // stopped reading after the publishers went quiet), as in Redis's
  // clientsCron.
  for (Conn* conn : pending_out) {
    if (conn->closing) continue;
    CheckOutputLimits(conn);
    if (conn->client.flags & Client::kCloseAsap) Destroy(conn);
  }
}

}  // namespace ordis
