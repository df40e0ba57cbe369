#include "wal/file_storage.h"

#include <fcntl.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

#include "server/log.h"

namespace ordis::wal {
namespace {

int64_t NowMs() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

int FsyncDir(const std::string& dir) {
  int fd = open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return errno;
  int rc = fsync(fd) == 0 ? 0 : errno;
  close(fd);
  return rc;
}

int WriteAll(int fd, const char* p, size_t n, uint64_t off) {
  while (n > 0) {
    ssize_t w = pwrite(fd, p, n, static_cast<off_t>(off));
    if (w < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    if (w == 0) return EIO;
    p += w;
    n -= static_cast<size_t>(w);
    off += static_cast<uint64_t>(w);
  }
  return 0;
}

constexpr int64_t kPrepRetryMs = 1000;

}  // namespace

std::unique_ptr<FileStorage> FileStorage::Open(const std::string& dir, const std::string& base,
                                               uint64_t segment_size,
                                               std::vector<ManifestEntry> manifest,
                                               bool force_thread, std::string* err) {
  if (mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST) {
    *err = "Can't create the append only dir " + dir + ": " + strerror(errno);
    return nullptr;
  }
  std::unique_ptr<FileStorage> s(new FileStorage());
  s->dir_ = dir;
  s->base_ = base;
  s->segment_size_ = segment_size;
  for (const ManifestEntry& e : manifest) s->ready_.insert(e.seq);
  s->manifest_ = std::move(manifest);
  s->efd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (s->efd_ < 0) {
    *err = std::string("eventfd: ") + strerror(errno);
    return nullptr;
  }
  if (force_thread) {
    s->uring_error_ = "disabled by configuration";
  } else {
    int rc = io_uring_queue_init(8, &s->ring_, 0);
    if (rc < 0) {
      s->uring_error_ = strerror(-rc);
    } else if ((rc = io_uring_register_eventfd(&s->ring_, s->efd_)) < 0) {
      s->uring_error_ = strerror(-rc);
      io_uring_queue_exit(&s->ring_);
    } else {
      s->uring_ = true;
    }
  }
  if (!s->uring_) {
    Log(kLogWarning, "WAL: io_uring unavailable (%s); using a background fsync thread",
        s->uring_error_.c_str());
    s->io_thread_ = std::thread([p = s.get()] { p->IoLoop(); });
  }
  s->prep_thread_ = std::thread([p = s.get()] { p->PrepLoop(); });
  return s;
}

FileStorage::~FileStorage() {
  {
    std::lock_guard<std::mutex> l(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (prep_thread_.joinable()) prep_thread_.join();
  if (io_thread_.joinable()) {
    {
      std::lock_guard<std::mutex> l(io_mu_);
      io_stop_ = true;
    }
    io_cv_.notify_all();
    io_thread_.join();
  }
  if (uring_) {
    // A job still running (shutdown while an fsync is in flight): wait for it.
    while (got_cqes_ < expected_cqes_) {
      io_uring_cqe* cqe;
      if (io_uring_wait_cqe(&ring_, &cqe) != 0) break;
      io_uring_cqe_seen(&ring_, cqe);
      ++got_cqes_;
    }
    io_uring_queue_exit(&ring_);
  }
  for (auto& [seq, fd] : fds_) close(fd);
  if (efd_ >= 0) close(efd_);
}

std::string FileStorage::SegmentPath(uint64_t seq) const {
  return dir_ + "/" + SegmentName(base_, seq);
}

int FileStorage::FdFor(uint64_t seq) {
  auto it = fds_.find(seq);
  if (it != fds_.end()) return it->second;
  int fd = open(SegmentPath(seq).c_str(), O_RDWR | O_CLOEXEC);
  if (fd >= 0) fds_[seq] = fd;
  return fd;
}

void FileStorage::Submit(uint64_t seq, const char* data, size_t len, uint64_t offset, bool sync) {
  int fd = FdFor(seq);
  job_len_ = len;
  job_has_write_ = len > 0;
  write_res_ = sync_res_ = 0;
  got_cqes_ = 0;
  expected_cqes_ = (len > 0 ? 1 : 0) + (sync ? 1 : 0);
  if (fd < 0) {
    // Report through the normal completion path.
    std::lock_guard<std::mutex> l(io_mu_);
    io_job_ = IoJob{};
    io_job_.done = true;
    io_job_.result = -errno;
    expected_cqes_ = -1;
    uint64_t one = 1;
    ssize_t w = write(efd_, &one, sizeof one);
    (void)w;
    return;
  }
  if (uring_) {
    if (len > 0) {
      io_uring_sqe* sqe = io_uring_get_sqe(&ring_);
      io_uring_prep_write(sqe, fd, data, static_cast<unsigned>(len), offset);
      sqe->user_data = 1;
      if (sync) sqe->flags |= IOSQE_IO_LINK;
    }
    if (sync) {
      io_uring_sqe* sqe = io_uring_get_sqe(&ring_);
      io_uring_prep_fsync(sqe, fd, IORING_FSYNC_DATASYNC);
      sqe->user_data = 2;
    }
    io_uring_submit(&ring_);
    return;
  }
  {
    std::lock_guard<std::mutex> l(io_mu_);
    io_job_ = IoJob{fd, data, len, offset, sync, true, false, 0};
  }
  io_cv_.notify_one();
}

bool FileStorage::Poll(int64_t* result) {
  uint64_t v;
  ssize_t r = read(efd_, &v, sizeof v);
  (void)r;
  if (!uring_ || expected_cqes_ < 0) {
    std::lock_guard<std::mutex> l(io_mu_);
    if (!io_job_.done) return false;
    *result = io_job_.result;
    io_job_ = IoJob{};
    expected_cqes_ = 0;
    return true;
  }
  while (got_cqes_ < expected_cqes_) {
    io_uring_cqe* cqe;
    if (io_uring_peek_cqe(&ring_, &cqe) != 0) return false;
    if (cqe->user_data == 1) {
      write_res_ = cqe->res;
    } else {
      sync_res_ = cqe->res;
    }
    io_uring_cqe_seen(&ring_, cqe);
    ++got_cqes_;
  }
  if (job_has_write_ && write_res_ < 0) {
    *result = write_res_;
  } else if (job_has_write_ && static_cast<size_t>(write_res_) < job_len_) {
    *result = write_res_;  // short: the linked fsync was cancelled
  } else if (sync_res_ < 0) {
    *result = sync_res_;
  } else {
    *result = static_cast<int64_t>(job_len_);
  }
  expected_cqes_ = got_cqes_ = 0;
  return true;
}

void FileStorage::IoLoop() {
  std::unique_lock<std::mutex> l(io_mu_);
  while (true) {
    io_cv_.wait(l, [this] { return io_stop_ || io_job_.queued; });
    if (io_stop_) return;
    IoJob job = io_job_;
    io_job_.queued = false;
    l.unlock();
    int64_t res = static_cast<int64_t>(job.len);
    if (job.len > 0) {
      ssize_t w;
      do {
        w = pwrite(job.fd, job.data, job.len, static_cast<off_t>(job.offset));
      } while (w < 0 && errno == EINTR);
      res = w < 0 ? -errno : w;
    }
    if (res == static_cast<int64_t>(job.len) && job.sync && fdatasync(job.fd) != 0) res = -errno;
    l.lock();
    io_job_.done = true;
    io_job_.result = res;
    uint64_t one = 1;
    ssize_t w = write(efd_, &one, sizeof one);
    (void)w;
  }
}

bool FileStorage::Ready(uint64_t seq, int* err) {
  std::lock_guard<std::mutex> l(mu_);
  if (ready_.count(seq)) return true;
  auto f = failed_.find(seq);
  if (f != failed_.end()) {
    *err = f->second.first;
    if (NowMs() < f->second.second) return false;
    failed_.erase(f);  // retry now
  }
  if (queued_.insert(seq).second) cv_.notify_all();
  return false;
}

void FileStorage::Retire(uint64_t first_kept) {
  for (auto it = fds_.begin(); it != fds_.end() && it->first < first_kept;) {
    close(it->second);
    it = fds_.erase(it);
  }
  {
    std::lock_guard<std::mutex> l(mu_);
    if (first_kept > retire_below_) retire_below_ = first_kept;
  }
  cv_.notify_all();
}

int FileStorage::PrepareNow(uint64_t seq) {
  {
    std::lock_guard<std::mutex> l(mu_);
    if (ready_.count(seq)) return 0;
  }
  return PrepareSegment(seq, false);
}

int FileStorage::PrepareSegment(uint64_t seq, bool paced) {
  std::string path = SegmentPath(seq);
  std::string tmp = path + ".tmp";
  int fd = open(tmp.c_str(), O_CREAT | O_TRUNC | O_WRONLY | O_CLOEXEC, 0644);
  if (fd < 0) return errno;
  std::string header = SegmentHeader(seq);
  int rc = WriteAll(fd, header.data(), header.size(), 0);
  // Zero-fill: overwriting allocated, zeroed blocks later needs no
  // metadata flush per fdatasync (and a full disk shows up here, early).
  // In the background the fill is paced (1 MiB, written back, then a pause):
  // a burst of tens of MB of writeback would stall the group-commit
  // fdatasyncs queued behind it on the same device.
  static const std::string kZeros(1 << 20, '\0');
  for (uint64_t off = header.size(); rc == 0 && off < segment_size_;) {
    size_t n = static_cast<size_t>(std::min<uint64_t>(kZeros.size(), segment_size_ - off));
    rc = WriteAll(fd, kZeros.data(), n, off);
    if (rc == 0 && paced) {
      if (sync_file_range(fd, static_cast<off_t>(off), static_cast<off_t>(n),
                          SYNC_FILE_RANGE_WAIT_BEFORE | SYNC_FILE_RANGE_WRITE |
                              SYNC_FILE_RANGE_WAIT_AFTER) != 0)
        rc = errno;
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    off += n;
  }
  if (rc == 0 && fdatasync(fd) != 0) rc = errno;
  close(fd);
  if (rc == 0 && rename(tmp.c_str(), path.c_str()) != 0) rc = errno;
  if (rc != 0) {
    unlink(tmp.c_str());
    return rc;
  }
  std::vector<ManifestEntry> list;
  {
    std::lock_guard<std::mutex> l(mu_);
    list = manifest_;
  }
  list.push_back({SegmentName(base_, seq), seq});
  rc = WriteManifest(list);
  if (rc != 0) {
    unlink(path.c_str());
    return rc;
  }
  std::lock_guard<std::mutex> l(mu_);
  manifest_ = std::move(list);
  ready_.insert(seq);
  return 0;
}

int FileStorage::WriteManifest(const std::vector<ManifestEntry>& list) {
  std::string path = dir_ + "/" + ManifestName(base_);
  std::string tmp = path + ".tmp";
  std::string text = EncodeManifest(list);
  int fd = open(tmp.c_str(), O_CREAT | O_TRUNC | O_WRONLY | O_CLOEXEC, 0644);
  if (fd < 0) return errno;
  int rc = WriteAll(fd, text.data(), text.size(), 0);
  if (rc == 0 && fsync(fd) != 0) rc = errno;
  close(fd);
  if (rc == 0 && rename(tmp.c_str(), path.c_str()) != 0) rc = errno;
  if (rc == 0) rc = FsyncDir(dir_);
  if (rc != 0) unlink(tmp.c_str());
  return rc;
}

void FileStorage::PrepLoop() {
  std::unique_lock<std::mutex> l(mu_);
  while (true) {
    cv_.wait(l, [this] { return stop_ || !queued_.empty() || retire_below_ > retired_below_; });
    if (stop_) return;
    if (retire_below_ > retired_below_) {
      uint64_t below = retire_below_;
      std::vector<ManifestEntry> keep, drop;
      for (const ManifestEntry& e : manifest_) (e.seq < below ? drop : keep).push_back(e);
      l.unlock();
      int rc = WriteManifest(keep);
      if (rc == 0) {
        for (const ManifestEntry& e : drop) unlink((dir_ + "/" + e.file).c_str());
        FsyncDir(dir_);
      } else {
        Log(kLogWarning, "WAL: could not rewrite the manifest to retire segments: %s",
            strerror(rc));
      }
      l.lock();
      if (rc == 0) {
        // Segments prepared meanwhile were appended to manifest_; keep them.
        std::vector<ManifestEntry> now;
        for (const ManifestEntry& e : manifest_)
          if (e.seq >= below) now.push_back(e);
        manifest_ = std::move(now);
        for (const ManifestEntry& e : drop) ready_.erase(e.seq);
        retired_below_ = below;
      } else {
        retire_below_ = retired_below_;  // retried at the next snapshot
      }
      continue;
    }
    uint64_t seq = *queued_.begin();
    l.unlock();
    int rc = PrepareSegment(seq, true);
    l.lock();
    queued_.erase(seq);
    if (rc != 0) {
      failed_[seq] = {rc, NowMs() + kPrepRetryMs};
      Log(kLogWarning, "WAL: could not prepare segment %s: %s", SegmentPath(seq).c_str(),
          strerror(rc));
    }
  }
}

}  // namespace ordis::wal
