// LoadingResponder: answers clients while the server loads its dataset at
// startup (snapshot + WAL replay run on the main thread before the event
// loop starts). Like Redis during loading: INFO answers (its persistence
// section with loading:1 and the progress), every other command gets
// "-LOADING Redis is loading the dataset in memory". When loading ends,
// Stop() hands the open connections, with any input not yet answered, to
// the network layer, which serves them as usual.
//
// Thread safety: Start/Stop from the main thread; the responder runs on its
// own thread and reads LoadingProgress atomically.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

namespace ordis {

struct LoadingProgress {
  std::atomic<uint64_t> total_bytes{0};
  std::atomic<uint64_t> loaded_bytes{0};
  std::atomic<int64_t> start_sec{0};
  std::atomic<int64_t> start_ms{0};
};

class LoadingResponder {
 public:
  struct Listener {
    int fd;
    bool unix_socket;
  };
  struct Handoff {
    int fd;
    bool unix_socket;
    std::string input;  // bytes read but not answered (a partial request)
  };

  LoadingResponder(std::vector<Listener> listeners, const LoadingProgress* progress);
  ~LoadingResponder();
  LoadingResponder(const LoadingResponder&) = delete;
  LoadingResponder& operator=(const LoadingResponder&) = delete;

  void Start();
  // Stops the thread; returns the connections still open.
  std::vector<Handoff> Stop();

 private:
  void Run();

  std::vector<Listener> listeners_;
  const LoadingProgress* progress_;
  std::thread thread_;
  int wake_fd_ = -1;
  std::atomic<bool> stop_{false};
  std::vector<Handoff> conns_;
};

// The INFO persistence loading fields for the given progress (also used by
// INFO once loaded, with loading = false).
std::string LoadingInfo(const LoadingProgress& p, bool loading);

}  // namespace ordis
