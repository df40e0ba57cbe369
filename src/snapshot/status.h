// snapshot::Status: the outcome of a snapshot file operation (LevelDB
// style): OK, or a code and a message for the log that names the file and,
// for corruption, the byte offset.
//
// Thread safety: a value type.
#pragma once

#include <string>
#include <utility>

namespace ordis::snapshot {

class [[nodiscard]] Status {
 public:
  enum class Code { kOk, kNotFound, kCorruption, kIOError, kInvalid, kBusy };

  Status() = default;
  static Status OK() { return Status(); }
  static Status NotFound(std::string msg) { return Status(Code::kNotFound, std::move(msg)); }
  static Status Corruption(std::string msg) { return Status(Code::kCorruption, std::move(msg)); }
  static Status IOError(std::string msg) { return Status(Code::kIOError, std::move(msg)); }
  static Status Invalid(std::string msg) { return Status(Code::kInvalid, std::move(msg)); }
  static Status Busy(std::string msg) { return Status(Code::kBusy, std::move(msg)); }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  bool IsCorruption() const { return code_ == Code::kCorruption; }
  bool IsNotFound() const { return code_ == Code::kNotFound; }
  bool IsIOError() const { return code_ == Code::kIOError; }
  const std::string& message() const { return msg_; }
  // "OK" or "<kind>: <message>".
  std::string ToString() const;

 private:
  Status(Code c, std::string msg) : code_(c), msg_(std::move(msg)) {}
  Code code_ = Code::kOk;
  std::string msg_;
};

inline std::string Status::ToString() const {
  switch (code_) {
    case Code::kOk:
      return "OK";
    case Code::kNotFound:
      return "not found: " + msg_;
    case Code::kCorruption:
      return "corruption: " + msg_;
    case Code::kIOError:
      return "I/O error: " + msg_;
    case Code::kInvalid:
      return "invalid: " + msg_;
    case Code::kBusy:
      return "busy: " + msg_;
  }
  return msg_;
}

}  // namespace ordis::snapshot
