// Client: the state of one connection as commands see it (selected db,
// protocol version, name, MULTI queue, buffers, statistics).
//
// It does not depend on libevent: the network layer (net/connection) owns a
// Client per socket, and the in-process test harness creates Clients with
// no socket at all (fd = -1).
//
// Thread safety: none; loop thread only.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_set>
#include <vector>

#include "resp/byte_buffer.h"
#include "resp/reply_builder.h"
#include "resp/request_parser.h"

namespace ordis {

struct Client {
  // flags
  static constexpr uint32_t kCloseAfterReply = 1 << 0;  // QUIT, protocol error
  static constexpr uint32_t kCloseAsap = 1 << 1;        // CLIENT KILL, limits
  static constexpr uint32_t kMulti = 1 << 2;            // inside MULTI
  static constexpr uint32_t kDirtyExec = 1 << 3;        // EXEC will abort
  static constexpr uint32_t kMonitor = 1 << 4;
  static constexpr uint32_t kNoEvict = 1 << 5;
  static constexpr uint32_t kReplyOff = 1 << 6;
  static constexpr uint32_t kReplySkipNext = 1 << 7;  // CLIENT REPLY SKIP armed
  static constexpr uint32_t kReplySkip = 1 << 8;      // this command's reply dropped
  static constexpr uint32_t kDirtyCas = 1 << 9;       // WATCHed key touched
  static constexpr uint32_t kUnixSocket = 1 << 10;
  static constexpr uint32_t kNoTouch = 1 << 11;
  static constexpr uint32_t kMultiWrites = 1 << 12;  // MULTI queue holds a write
  // In a blocking command (BLPOP...): its further input waits until the
  // server unblocks it (server/blocking.h); CLIENT LIST shows 'b'.
  static constexpr uint32_t kBlocked = 1 << 13;
  // Subscribed to at least one channel, pattern or shard channel (server/
  // pubsub.h keeps it in step); CLIENT LIST shows 'P'. Under RESP2 such a
  // client may only run (P|S)(UN)SUBSCRIBE, PING, QUIT and RESET.
  static constexpr uint32_t kPubSub = 1 << 14;

  // One WATCHed key. Server keeps the reverse index (key -> watchers).
  struct WatchedKey {
    int db;
    std::string key;
    // Logically expired (stale but not yet deleted) when WATCHed: its
    // deletion is not a change, as in Redis.
    bool expired;
    // Live with a TTL when WATCHed: if it is gone by EXEC it expired in
    // between (expiry deletions are not reported to the watch index).
    bool had_ttl;
  };

  // Pub/Sub subscriptions of this client; maintained by PubSub only.
  struct Subscriptions {
    std::unordered_set<std::string> channels;
    std::vector<std::string> patterns;  // subscription order, like Redis's list
    std::unordered_set<std::string> shard_channels;
  };

  Client() : reply(&out) {}
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  uint64_t id = 0;
  int fd = -1;
  uint32_t flags = 0;
  int db = 0;
  int proto = 2;
  bool authenticated = true;
  std::string name;
  std::string lib_name, lib_ver;
  std::string addr = "?:0";   // peer "ip:port"
  std::string laddr = "?:0";  // local "ip:port"

  ByteBuffer in;
  ByteBuffer out;
  RequestParser parser;
  ReplyBuilder reply;
  // Replies dropped by CLIENT REPLY OFF/SKIP go here and are discarded.
  ByteBuffer discard;

  // MULTI/EXEC: queued commands (owned copies of the arguments).
  std::vector<std::vector<std::string>> multi_queue;
  // WATCHed keys; maintained by Server::Watch/Unwatch only.
  std::vector<WatchedKey> watched;
  Subscriptions pubsub;

  // statistics, for CLIENT LIST/INFO and timeouts (ms since epoch)
  int64_t ctime_ms = 0;
  int64_t last_interaction_ms = 0;
  uint64_t commands_processed = 0;
  std::string last_cmd = "NULL";
  int64_t obuf_soft_since_ms = 0;  // when the soft output limit was first exceeded
  uint64_t net_input_bytes = 0;
  uint64_t net_output_bytes = 0;
  // Replies waiting for the WAL: (position of their first byte in the
  // output stream, i.e. net_output_bytes + offset in out; the LSN that must
  // be durable first). The network layer writes only the bytes before the
  // first hold whose LSN is not yet durable.
  std::vector<std::pair<uint64_t, uint64_t>> holds;

  bool in_multi() const { return flags & kMulti; }
};

}  // namespace ordis
