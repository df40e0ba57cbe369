// BackgroundOutput: an Output whose blocks are checksummed and written by
// a thread of its own, so the loop thread only encodes. The thread writes
// to `<path>.tmp`, syncs every kSyncEvery bytes (so the final fsync is
// short), and on Finish writes the trailer, fsyncs, closes, renames the
// file to `<path>` and fsyncs the directory. On any error it stops
// writing, removes the temporary file and reports the error.
//
// Thread safety: every method is for the owning (loop) thread; the writer
// thread only touches the queue (under a mutex) and its own file.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "snapshot/file.h"
#include "snapshot/snapshotter.h"

namespace ordis::snapshot {

class BackgroundOutput final : public Output {
 public:
  static constexpr uint64_t kSyncEvery = 1u << 20;
  // The writer thread's nice value (the loop thread keeps 0).
  static constexpr int kNice = 10;

  // Writes `file`; when final_path is not empty, the finished file (at
  // tmp_path) is published as final_path, and removed on failure.
  BackgroundOutput(std::unique_ptr<WritableFile> file, std::string tmp_path,
                   std::string final_path);
  // Creates path + ".tmp" and starts writing there.
  static Status Open(const std::string& path, std::unique_ptr<BackgroundOutput>* out);
  // An unfinished output is cancelled: the thread stops, the temporary
  // file is removed.
  ~BackgroundOutput() override;

  void Begin(const Header& h) override;
  void Block(std::string block, uint64_t records) override;
  void Finish() override;
  size_t backlog() const override { return backlog_.load(std::memory_order_relaxed); }
  std::string Recycle() override;

  // True once the thread is done: the file is published, or it failed.
  bool finished() const { return finished_.load(std::memory_order_acquire); }
  // Blocks until finished() (SAVE).
  void Wait();
  // The first error so far (OK while fine). Final once finished().
  Status status() const;
  // Bytes written to the file so far.
  uint64_t bytes() const { return bytes_.load(std::memory_order_relaxed); }

 private:
  struct Item {
    enum Kind { kHeader, kBlock, kFinish } kind;
    Header header;
    std::string block;
    uint64_t records = 0;
  };
  void Push(Item item);
  void Run();
  void Fail(Status s);

  std::unique_ptr<WritableFile> file_;
  std::string tmp_path_, final_path_;
  FileWriter writer_;

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Item> queue_;
  std::vector<std::string> spare_;  // written buffers for reuse
  bool cancel_ = false;
  Status status_;

  std::atomic<size_t> backlog_{0};
  std::atomic<uint64_t> bytes_{0};
  std::atomic<bool> finished_{false};
  std::thread thread_;
};

}  // namespace ordis::snapshot
