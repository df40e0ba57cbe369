// ReplyBuilder: encodes replies in RESP2 or RESP3 into a ByteBuffer.
//
// It knows nothing of the server; commands call it after their storage
// operation returned. Types that RESP2 lacks degrade the way Redis does:
// maps become flat arrays, sets become arrays, doubles become bulk strings,
// null becomes $-1 (or *-1 for NullArray), booleans become integers.
//
// Thread safety: none; one builder per connection.
#pragma once

#include <cstdint>
#include <string_view>

#include "resp/byte_buffer.h"

namespace ordis {

class ReplyBuilder {
 public:
  explicit ReplyBuilder(ByteBuffer* out, int proto = 2) : out_(out), proto_(proto) {}

  int proto() const { return proto_; }
  void set_proto(int p) { proto_ = p; }
  bool resp3() const { return proto_ >= 3; }
  ByteBuffer* buffer() const { return out_; }
  void set_buffer(ByteBuffer* out) { out_ = out; }

  // Counts error replies written, for INFO errorstats and EXEC.
  uint64_t errors_written() const { return errors_; }
  // Called with the error code ("ERR", "WRONGTYPE") of every error written.
  using ErrorHook = void (*)(void* arg, std::string_view code);
  void set_error_hook(ErrorHook fn, void* arg) {
    hook_ = fn;
    hook_arg_ = arg;
  }

  void Ok() { out_->Append("+OK\r\n", 5); }
  void Simple(std::string_view s);
  // msg must start with an error code ("ERR ...", "WRONGTYPE ...");
  // a leading '-' is tolerated. CR/LF inside are replaced by spaces.
  void Error(std::string_view msg);
  void Integer(int64_t v);
  void Bulk(std::string_view s);
  void Null();       // RESP2: $-1   RESP3: _
  void NullArray();  // RESP2: *-1   RESP3: _
  void Double(double v);
  void Bool(bool v);
  void BigNumber(std::string_view digits);
  void Verbatim(std::string_view text, std::string_view format = "txt");
  void ArrayHeader(int64_t n);
  void MapHeader(int64_t n);  // n = number of pairs
  void SetHeader(int64_t n);
  void PushHeader(int64_t n);
  void EmptyArray() { ArrayHeader(0); }
  // Already-encoded RESP, appended verbatim.
  void Raw(std::string_view resp) { out_->Append(resp); }

 private:
  void Header(char type, int64_t n);

  ByteBuffer* out_;
  int proto_;
  uint64_t errors_ = 0;
  ErrorHook hook_ = nullptr;
  void* hook_arg_ = nullptr;
};

}  // namespace ordis
