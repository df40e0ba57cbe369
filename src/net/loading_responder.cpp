#include "net/loading_responder.h"

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>

#include "resp/request_parser.h"
#include "util/strutil.h"

namespace ordis {

namespace {

int64_t NowMs() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

void SendAll(int fd, const std::string& s) {
  size_t done = 0;
  while (done < s.size()) {
    ssize_t w = send(fd, s.data() + done, s.size() - done, MSG_NOSIGNAL);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return;  // slow or gone: the loop takes over soon
    done += static_cast<size_t>(w);
  }
}

}  // namespace

std::string LoadingInfo(const LoadingProgress& p, bool loading) {
  char buf[512];
  uint64_t total = p.total_bytes.load(), done = p.loaded_bytes.load();
  double perc = total ? 100.0 * static_cast<double>(done) / static_cast<double>(total) : 0;
  int64_t elapsed = NowMs() - p.start_ms.load();
  int64_t eta = done && total > done ? static_cast<int64_t>(static_cast<double>(elapsed) *
                                                            static_cast<double>(total - done) /
                                                            static_cast<double>(done) / 1000)
                                     : 0;
  if (!loading) return "loading:0\r\n";
  snprintf(buf, sizeof buf,
           "loading:1\r\nasync_loading:0\r\nloading_start_time:%lld\r\nloading_total_bytes:%llu\r\n"
           "loading_rdb_used_mem:0\r\nloading_loaded_bytes:%llu\r\nloading_loaded_perc:%.2f\r\n"
           "loading_eta_seconds:%lld\r\n",
           static_cast<long long>(p.start_sec.load()), static_cast<unsigned long long>(total),
           static_cast<unsigned long long>(done), perc, static_cast<long long>(eta));
  return buf;
}

LoadingResponder::LoadingResponder(std::vector<Listener> listeners, const LoadingProgress* progress)
    : listeners_(std::move(listeners)), progress_(progress) {}

LoadingResponder::~LoadingResponder() {
  for (Handoff& h : Stop()) close(h.fd);
}

void LoadingResponder::Start() {
  wake_fd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  thread_ = std::thread([this] { Run(); });
}

std::vector<LoadingResponder::Handoff> LoadingResponder::Stop() {
  if (thread_.joinable()) {
    stop_ = true;
    uint64_t one = 1;
    ssize_t w = write(wake_fd_, &one, sizeof one);
    (void)w;
    thread_.join();
  }
  if (wake_fd_ >= 0) {
    close(wake_fd_);
    wake_fd_ = -1;
  }
  std::vector<Handoff> out;
  out.swap(conns_);
  return out;
}

void LoadingResponder::Run() {
  int ep = epoll_create1(EPOLL_CLOEXEC);
  if (ep < 0) return;
  auto watch = [ep](int fd, uint64_t tag) {
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.u64 = tag;
    epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
  };
  // Tags: 0 wake, 1 + i listener i, (1 << 32) + j connection j.
  watch(wake_fd_, 0);
  for (size_t i = 0; i < listeners_.size(); ++i) watch(listeners_[i].fd, 1 + i);
  std::vector<RequestParser> parsers;
  std::vector<bool> closed;
  while (!stop_) {
    epoll_event evs[64];
    int n = epoll_wait(ep, evs, 64, 100);
    for (int e = 0; e < n && !stop_; ++e) {
      uint64_t tag = evs[e].data.u64;
      if (tag == 0) continue;
      if (tag <= listeners_.size()) {
        const Listener& l = listeners_[tag - 1];
        int fd = accept4(l.fd, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) continue;
        conns_.push_back({fd, l.unix_socket, ""});
        parsers.emplace_back();
        closed.push_back(false);
        watch(fd, (1ULL << 32) + conns_.size() - 1);
        continue;
      }
      size_t j = static_cast<size_t>(tag - (1ULL << 32));
      Handoff& c = conns_[j];
      char buf[16384];
      ssize_t r = read(c.fd, buf, sizeof buf);
      if (r == 0 || (r < 0 && errno != EAGAIN && errno != EINTR)) {
        epoll_ctl(ep, EPOLL_CTL_DEL, c.fd, nullptr);
        close(c.fd);
        closed[j] = true;
        continue;
      }
      if (r < 0) continue;
      c.input.append(buf, static_cast<size_t>(r));
      std::string out;
      while (!c.input.empty()) {
        size_t used = 0;
        auto res = parsers[j].Parse(c.input.data(), c.input.size(), &used);
        if (res != RequestParser::Result::kCommand) break;  // partial or bad: the loop decides
        const auto& args = parsers[j].args();
        if (!args.empty()) {
          if (EqualsNoCase(args[0], "info")) {
            std::string body = "# Persistence\r\n" + LoadingInfo(*progress_, true);
            out += "$" + std::to_string(body.size()) + "\r\n" + body + "\r\n";
          } else {
            out += "-LOADING Redis is loading the dataset in memory\r\n";
          }
        }
        c.input.erase(0, used);
      }
      if (!out.empty()) SendAll(c.fd, out);
    }
  }
  close(ep);
  std::vector<Handoff> open;
  for (size_t j = 0; j < conns_.size(); ++j)
    if (!closed[j]) open.push_back(std::move(conns_[j]));
  conns_.swap(open);
}

}  // namespace ordis
