// Files for snapshots: the WritableFile abstraction (so tests can inject
// short writes and fsync failures), its POSIX implementation, FileWriter
// (the format's framing: header, checksummed blocks, trailer) and the
// crash-safe publication of a finished file (rename + directory fsync).
//
// Errors: every call returns a Status naming the file; FileWriter's errors
// are sticky (after one failure every later call returns it again).
// Thread safety: none; one thread uses a file at a time.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "snapshot/format.h"
#include "snapshot/status.h"

namespace ordis::snapshot {

class WritableFile {
 public:
  virtual ~WritableFile() = default;
  // Appends all of data (a short write is retried; an error is returned).
  virtual Status Append(std::string_view data) = 0;
  // Makes everything appended durable (fdatasync).
  virtual Status Sync() = 0;
  virtual Status Close() = 0;
};

// Creates (or truncates) path for writing, mode 0644.
Status NewPosixWritableFile(const std::string& path, std::unique_ptr<WritableFile>* out);
// Renames from -> to (atomically replacing to), then fsyncs to's directory
// so the rename itself survives a crash.
Status PublishFile(const std::string& from, const std::string& to);

// Writes a snapshot file's framing through a WritableFile it does not own.
class FileWriter {
 public:
  FileWriter(WritableFile* file, std::string name) : file_(file), name_(std::move(name)) {}

  Status WriteHeader(const Header& h);
  // *block is a block whose first kBlockHeaderSize bytes are reserved for
  // the block header (filled here) followed by `records` whole records.
  // REQUIRES: block->size() > kBlockHeaderSize.
  Status WriteBlock(std::string* block, uint64_t records);
  // Writes the trailer, then syncs the file.
  Status Finish();
  uint64_t bytes() const { return offset_; }
  uint64_t records() const { return records_; }

 private:
  Status Write(std::string_view data);

  WritableFile* file_;
  std::string name_;
  uint32_t file_crc_ = 0;
  uint64_t offset_ = 0;
  uint64_t records_ = 0;
  Status status_;
};

}  // namespace ordis::snapshot
