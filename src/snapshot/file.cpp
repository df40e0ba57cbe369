#include "snapshot/file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "util/crc32c.h"

namespace ordis::snapshot {
namespace {

std::string ErrnoText(const std::string& what, const std::string& path, int err) {
  return what + " " + path + ": " + strerror(err);
}

class PosixWritableFile final : public WritableFile {
 public:
  PosixWritableFile(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  ~PosixWritableFile() override {
    if (fd_ >= 0) close(fd_);
  }

  Status Append(std::string_view data) override {
    while (!data.empty()) {
      ssize_t n = write(fd_, data.data(), data.size());
      if (n < 0) {
        if (errno == EINTR) continue;
        return Status::IOError(ErrnoText("can't write", path_, errno));
      }
      data.remove_prefix(static_cast<size_t>(n));
    }
    return Status::OK();
  }

  Status Sync() override {
    if (fdatasync(fd_) != 0) return Status::IOError(ErrnoText("can't fsync", path_, errno));
    return Status::OK();
  }

  Status Close() override {
    int fd = fd_;
    fd_ = -1;
    if (fd >= 0 && close(fd) != 0) return Status::IOError(ErrnoText("can't close", path_, errno));
    return Status::OK();
  }

 private:
  int fd_;
  std::string path_;
};

}  // namespace

Status NewPosixWritableFile(const std::string& path, std::unique_ptr<WritableFile>* out) {
  int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return Status::IOError(ErrnoText("can't open", path, errno));
  *out = std::make_unique<PosixWritableFile>(fd, path);
  return Status::OK();
}

Status PublishFile(const std::string& from, const std::string& to) {
  if (rename(from.c_str(), to.c_str()) != 0)
    return Status::IOError("can't rename " + from + " to " + to + ": " + strerror(errno));
  size_t slash = to.rfind('/');
  std::string dir = slash == std::string::npos ? "." : (slash == 0 ? "/" : to.substr(0, slash));
  int fd = open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return Status::IOError(ErrnoText("can't open directory", dir, errno));
  int rc = fsync(fd);
  int err = errno;
  close(fd);
  if (rc != 0) return Status::IOError(ErrnoText("can't fsync directory", dir, err));
  return Status::OK();
}

Status FileWriter::Write(std::string_view data) {
  if (!status_.ok()) return status_;
  status_ = file_->Append(data);
  if (!status_.ok()) return status_;
  file_crc_ = Crc32c(file_crc_, data.data(), data.size());
  offset_ += data.size();
  return status_;
}

Status FileWriter::WriteHeader(const Header& h) {
  char buf[kHeaderSize];
  EncodeHeader(h, buf);
  return Write(std::string_view(buf, kHeaderSize));
}

Status FileWriter::WriteBlock(std::string* block, uint64_t records) {
  if (!status_.ok()) return status_;
  size_t len = block->size() - kBlockHeaderSize;
  if (len > kMaxBlockBytes) {
    status_ =
        Status::Invalid(name_ + ": a block of " + std::to_string(len) + " bytes is too large");
    return status_;
  }
  char* p = block->data();
  PutFixed32(p, static_cast<uint32_t>(len));
  PutFixed32(p + 4, MaskCrc(Crc32c(0, p + kBlockHeaderSize, len)));
  Status s = Write(*block);
  if (s.ok()) records_ += records;
  return s;
}

Status FileWriter::Finish() {
  if (!status_.ok()) return status_;
  Trailer t;
  t.data_bytes = offset_;
  t.records = records_;
  t.file_crc = file_crc_;
  char buf[kTrailerSize];
  EncodeTrailer(t, buf);
  Status s = Write(std::string_view(buf, kTrailerSize));
  if (!s.ok()) return s;
  status_ = file_->Sync();
  return status_;
}

}  // namespace ordis::snapshot
