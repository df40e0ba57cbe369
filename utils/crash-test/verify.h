// crash-test: after a restart, compare what the server holds with every
// client's model, settle the in-doubt operations, and count differences.
//
// Per client (pipelined on one connection): MGET of every key; ORDER.GET
// of every order the model knows (live and recently completed);
// ORDER.GETCID for an in-doubt ORDER.PLACE; ORDER.OPEN of every user and
// ORDER.DEPTH of every symbol. Globally: DBSIZE and the preloaded keys.
//
// Counting (the final report's "lost" and "mismatched"):
//  - a key or order equal to an earlier state in its history lost the
//    acknowledged writes after that state: lost += how many;
//  - one absent although it had acknowledged state (no history entry is
//    "absent") lost at least one: lost += max(1, writes since verified);
//  - any other difference (a value from nowhere, an in-doubt operation
//    applied in part, a reused order id, OPEN/DEPTH disagreeing with the
//    orders, changed creation or update times) is one mismatch each.
// The in-doubt operation of a client counts neither way: it is applied
// to the model when the server shows its effect, dropped when not.
//
// Thread safety: the main thread, with every client thread joined.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "common.h"
#include "model.h"

namespace crash {

struct VerifyOptions {
  bool orders = true;
  bool check_times = true;     // creation/update times survive recovery unchanged
  uint64_t max_id_before = 0;  // orders placed since the last verification must have larger ids
  int64_t preload = 0;         // keys ct:pre:0 .. preload-1
  uint64_t seed = 0;           // of the preloaded values
};

struct VerifyResult {
  int64_t lost = 0;
  int64_t mismatched = 0;
  int in_doubt = 0;                   // clients with an operation in doubt
  int in_doubt_applied = 0;           // ... that the server shows applied
  uint64_t max_id = 0;                // the largest order id now in any model
  std::vector<std::string> messages;  // the first differences of each kind, for the log
  std::vector<std::string> doubts;    // each in-doubt operation and its outcome
  struct Tally {
    int64_t items = 0;  // keys, orders, lists... that differ
    int64_t lost = 0;   // acknowledged writes lost among them
  };
  std::map<std::string, Tally> tally;  // by kind: "key", "order", "preloaded key", ...

  // `writes` acknowledged writes of one item of `category` are lost.
  void Lost(const std::string& category, int64_t writes, std::string m);
  // One other difference.
  void Mismatch(const std::string& category, std::string m);
  // "12 keys (40 writes lost), 3 orders (5 writes lost), 1 key count".
  std::string Summary() const;

 private:
  void Note(const std::string& category, std::string m);
};

// REQUIRES: every client thread joined. On return without differences
// every model is settled (ClientModel::Settle); otherwise the caller
// resets server and models.
VerifyResult Verify(Conn& c, std::vector<ClientModel>& clients, const VerifyOptions& o);

// The preloaded keys: deterministic values, so they need no model.
std::string PreloadKey(int64_t i);
std::string PreloadValue(uint64_t seed, int64_t i);

}  // namespace crash
