// --check: proves that utils/redis-orders.lua behaves like ordis.
//
// A deterministic sequence (fixed seed, a few thousand operations) over a
// small universe (6 users, 3 symbols, prices within 8 ticks of the mid, so
// orders share levels and trip over each other) runs on one connection to
// ordis (ORDER.*) and one to redis-server (FCALL), one command at a time.
// Every reply is normalized and compared: ids (ordis and redis may number
// orders differently, so ids are compared by creation order), statuses,
// quantities, open lists, depth levels, top of book; error replies compare
// as "an error" (the texts may differ). After every write the order is read
// back with ORDER.GET on both sides, and every 100 steps (and at the end)
// OPEN of every user and DEPTH/TOP of every symbol are compared as well.
// Not compared: created/updated (clocks differ), error texts.
//
// Both servers are reset first (ORDER.RESET / FCALL order_reset 0): their
// orders are lost. The first mismatch is reported with the command and both
// replies. Returns 0 when everything matched, 1 on a mismatch, 2 when a
// server cannot be reached, 3 when ordis does not answer ORDER.* (yet).
#pragma once

#include <cstdint>
#include <string>

namespace bench {

struct CheckConfig {
  std::string host = "127.0.0.1";
  int ordis_port = 0;
  int redis_port = 0;
  uint64_t seed = 1;
  int ops = 3000;
  std::string lua;  // when set, FUNCTION LOAD REPLACE this file into redis first
  bool verbose = false;
};

int RunCheck(const CheckConfig& config);

}  // namespace bench
