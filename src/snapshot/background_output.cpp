#include "snapshot/background_output.h"

#include <thread>

#include <chrono>

#include <sys/resource.h>
#include <unistd.h>

namespace ordis::snapshot {

BackgroundOutput::BackgroundOutput(std::unique_ptr<WritableFile> file, std::string tmp_path,
                                   std::string final_path)
    : file_(std::move(file)),
      tmp_path_(std::move(tmp_path)),
      final_path_(std::move(final_path)),
      writer_(file_.get(), tmp_path_) {
  thread_ = std::thread([this] { Run(); });
}

Status BackgroundOutput::Open(const std::string& path, std::unique_ptr<BackgroundOutput>* out) {
  std::string tmp = path + ".tmp";
  std::unique_ptr<WritableFile> f;
  Status s = NewPosixWritableFile(tmp, &f);
  if (!s.ok()) return s;
  *out = std::make_unique<BackgroundOutput>(std::move(f), tmp, path);
  return Status::OK();
}

BackgroundOutput::~BackgroundOutput() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    cancel_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void BackgroundOutput::Push(Item item) {
  size_t n = item.block.size();
  {
    std::lock_guard<std::mutex> lock(mu_);
    queue_.push_back(std::move(item));
  }
  backlog_.fetch_add(n, std::memory_order_relaxed);
  cv_.notify_one();
}

void BackgroundOutput::Begin(const Header& h) {
  Item it{Item::kHeader, h, {}, 0};
  Push(std::move(it));
}

void BackgroundOutput::Block(std::string block, uint64_t records) {
  Item it{Item::kBlock, {}, std::move(block), records};
  Push(std::move(it));
}

void BackgroundOutput::Finish() {
  Item it{Item::kFinish, {}, {}, 0};
  Push(std::move(it));
}

std::string BackgroundOutput::Recycle() {
  std::lock_guard<std::mutex> lock(mu_);
  if (spare_.empty()) return std::string();
  std::string s = std::move(spare_.back());
  spare_.pop_back();
  return s;
}

void BackgroundOutput::Wait() {
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait(lock, [this] { return finished_.load(std::memory_order_acquire); });
}

Status BackgroundOutput::status() const {
  std::lock_guard<std::mutex> lock(mu_);
  return status_;
}

void BackgroundOutput::Fail(Status s) {
  (void)file_->Close();
  if (!final_path_.empty()) unlink(tmp_path_.c_str());
  std::lock_guard<std::mutex> lock(mu_);
  if (status_.ok()) status_ = std::move(s);
}

void BackgroundOutput::Run() {
  // Below the loop thread: when the cores are busy, serving comes first
  // (the walk then waits for the backlog to drain).
  (void)setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), kNice);
  uint64_t synced = 0;
  bool failed = false;
  bool published = false;
  for (;;) {
    Item it;
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [this] { return cancel_ || !queue_.empty(); });
      if (queue_.empty()) break;  // cancelled with nothing left
      if (cancel_) {
        queue_.clear();
        break;
      }
      it = std::move(queue_.front());
      queue_.pop_front();
    }
    backlog_.fetch_sub(it.block.size(), std::memory_order_relaxed);
    if (failed) continue;  // drain: the error is reported once
    Status s;
    switch (it.kind) {
      case Item::kHeader:
        s = writer_.WriteHeader(it.header);
        break;
      case Item::kBlock:
        s = writer_.WriteBlock(&it.block, it.records);
        if (s.ok() && writer_.bytes() - synced >= kSyncEvery) {
          // Incremental sync: the final fsync then has little left to do,
          // and the page cache does not fill with this file. Small syncs
          // with a pause between keep the device queue short: the WAL's
          // group-commit fdatasyncs wait behind whatever is queued.
          s = file_->Sync();
          synced = writer_.bytes();
          std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
        break;
      case Item::kFinish:
        s = writer_.Finish();
        if (s.ok()) s = file_->Close();
        if (s.ok() && !final_path_.empty()) s = PublishFile(tmp_path_, final_path_);
        published = s.ok();
        break;
    }
    bytes_.store(writer_.bytes(), std::memory_order_relaxed);
    if (!s.ok()) {
      Fail(std::move(s));
      failed = true;
    }
    if (it.kind == Item::kBlock) {
      it.block.clear();
      std::lock_guard<std::mutex> lock(mu_);
      if (spare_.size() < 4) spare_.push_back(std::move(it.block));
    }
    if (it.kind == Item::kFinish || failed) {
      std::lock_guard<std::mutex> lock(mu_);
      finished_.store(true, std::memory_order_release);
      cv_.notify_all();
      if (it.kind == Item::kFinish) break;
    }
  }
  if (!published && !failed) {
    // Cancelled before the end: leave no half-written file behind.
    (void)file_->Close();
    if (!final_path_.empty()) unlink(tmp_path_.c_str());
  }
}

}  // namespace ordis::snapshot
