// FileStorage: WAL segments as files in appendonlydir, written through
// io_uring (one write linked to one fdatasync per job, completion signalled
// on an eventfd the loop watches) or, when io_uring cannot be set up, by a
// background thread with the same contract.
//
// A second background thread prepares segments ahead of use (header,
// zero-fill to the segment size, fdatasync, rename into place, manifest
// rewritten and the directory fsynced) and retires old ones, so that the
// loop never waits on file creation and overwriting pre-zeroed blocks
// needs no metadata flush.
//
// Thread safety: the Storage methods are called from the loop thread only;
// the background threads share state under a mutex.
#pragma once

#include <liburing.h>

#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "wal/format.h"
#include "wal/storage.h"

namespace ordis::wal {

class FileStorage : public Storage {
 public:
  // dir is created if missing. manifest: the segments that exist (from the
  // manifest file; they count as ready). force_thread skips io_uring.
  // Returns nullptr and *err on failure.
  static std::unique_ptr<FileStorage> Open(const std::string& dir, const std::string& base,
                                           uint64_t segment_size,
                                           std::vector<ManifestEntry> manifest, bool force_thread,
                                           std::string* err);
  ~FileStorage() override;

  void Submit(uint64_t seq, const char* data, size_t len, uint64_t offset, bool sync) override;
  bool Poll(int64_t* result) override;
  int notify_fd() const override { return efd_; }
  bool Ready(uint64_t seq, int* err) override;
  void Retire(uint64_t first_kept) override;
  const char* kind() const override { return uring_ ? "io_uring" : "thread"; }

  // Prepares seq now, on the calling thread (startup). Returns 0 or errno.
  int PrepareNow(uint64_t seq);
  // Why io_uring is not used ("" when it is).
  const std::string& uring_error() const { return uring_error_; }
  std::string SegmentPath(uint64_t seq) const;

 private:
  FileStorage() = default;
  int FdFor(uint64_t seq);
  // Background (paced) or startup; 0 or errno.
  int PrepareSegment(uint64_t seq, bool paced);
  int WriteManifest(const std::vector<ManifestEntry>& list);
  void PrepLoop();
  void IoLoop();  // the thread fallback

  std::string dir_, base_;
  uint64_t segment_size_ = 0;
  int efd_ = -1;
  bool uring_ = false;
  io_uring ring_{};
  std::string uring_error_;
  std::map<uint64_t, int> fds_;

  // The running job (loop thread; the io thread reads it under io_mu_).
  size_t job_len_ = 0;
  int expected_cqes_ = 0, got_cqes_ = 0;
  int64_t write_res_ = 0, sync_res_ = 0;
  bool job_has_write_ = false;

  // Thread fallback.
  std::thread io_thread_;
  std::mutex io_mu_;
  std::condition_variable io_cv_;
  struct IoJob {
    int fd = -1;
    const char* data = nullptr;
    size_t len = 0;
    uint64_t offset = 0;
    bool sync = false;
    bool queued = false, done = false;
    int64_t result = 0;
  } io_job_;
  bool io_stop_ = false;

  // Preparation / retirement (prep thread), under mu_.
  std::thread prep_thread_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::vector<ManifestEntry> manifest_;
  std::set<uint64_t> ready_;
  std::set<uint64_t> queued_;
  std::map<uint64_t, std::pair<int, int64_t>> failed_;  // seq -> (errno, retry at ms)
  uint64_t retire_below_ = 0;
  uint64_t retired_below_ = 0;
};

}  // namespace ordis::wal
