// Loading a snapshot into a keyspace and an order table.
//
// The keyspace and the table must be empty (startup): the table is
// emptied with BeginRestore, keys are added as they come. Nothing is
// dropped: keys whose TTL has passed and GTD orders past their expiry are
// loaded as they were at the snapshot's LSN (the normal expiry then
// removes them), so a WAL replayed on top sees exactly that state.
//
// Errors: NotFound when the file does not exist; IOError when it cannot be
// read; Corruption (naming the file and the byte offset) for any damage or
// inconsistency. After an error the keyspace and table hold a partial
// image and must be discarded (startup stops).
//
// Thread safety: the loop thread (or before it starts).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "kv/keyspace.h"
#include "order/order_table.h"
#include "snapshot/format.h"
#include "snapshot/status.h"

namespace ordis::snapshot {

struct LoadResult {
  Header header;              // lsn, created_ms
  uint64_t keys = 0;          // keys loaded
  uint64_t keys_expired = 0;  // of which already past their TTL at load time
  uint64_t orders = 0;
  uint64_t completed = 0;
  uint64_t symbols = 0;
  uint64_t bytes = 0;
  int64_t duration_us = 0;
  int64_t cpu_us = 0;  // CPU time of the loading thread (wall time minus waiting)
  int64_t keys_us = 0;  // of duration_us, spent on key records (the rest: orders, ring, tables)
};

struct LoadOptions {
  // Called about every million records with the progress so far and the
  // bytes read of the total.
  std::function<void(const LoadResult& so_far, uint64_t bytes_read, uint64_t total)> progress;
  // Keys with a TTL before this are counted in keys_expired (0: now).
  int64_t now_ms = 0;
};

// Loads an image held in memory; `name` appears in error messages.
// orders may be null only if the image holds no orders or symbols.
Status LoadFromMemory(std::string_view data, const std::string& name, Keyspace& ks,
                      order::OrderTable* orders, const LoadOptions& opts, LoadResult* out);
// Maps the file at path and loads it.
Status LoadFile(const std::string& path, Keyspace& ks, order::OrderTable* orders,
                const LoadOptions& opts, LoadResult* out);

}  // namespace ordis::snapshot
