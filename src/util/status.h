// OpStatus and OpResult<T>: how storage operations report outcomes.
//
// Storage code (kv/, later order/) returns these and never builds replies;
// the command layer maps a status to Redis's error text (cmd/errors.h).
#pragma once

#include <cassert>
#include <utility>

namespace ordis {

enum class OpStatus {
  kOk,
  kNotFound,    // key (or element) absent
  kWrongType,   // WRONGTYPE
  kNotInteger,  // value is not an integer or out of range
  kNotFloat,    // value is not a valid float
  kOverflow,    // increment or decrement would overflow
  kOutOfRange,  // index/offset out of range
  kSyntax,      // syntax error
  kExists,      // target already exists (NX-style refusals)
  kSkipped,     // condition (NX/XX/GT/LT) not met; nothing changed
  kTooBig,      // result would exceed proto-max-bulk-len
  kNanOrInf,    // float result would be NaN or Infinity
};

template <typename T>
class [[nodiscard]] OpResult {
 public:
  OpResult(T v) : status_(OpStatus::kOk), value_(std::move(v)) {}  // NOLINT: implicit by design
  OpResult(OpStatus s) : status_(s), value_() { assert(s != OpStatus::kOk); }  // NOLINT

  bool ok() const { return status_ == OpStatus::kOk; }
  OpStatus status() const { return status_; }
  const T& value() const& { return value_; }
  T& value() & { return value_; }
  T&& value() && { return std::move(value_); }
  const T& operator*() const { return value_; }
  const T* operator->() const { return &value_; }

 private:
  OpStatus status_;
  T value_;
};

}  // namespace ordis
