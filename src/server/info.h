// INFO: renders the server's state as Redis 7.0's INFO text, with Redis's
// section and field names so that clients, monitoring and the upstream
// test suite read it unchanged.
//
// Section selection follows Redis: no argument means "default" (every
// section but commandstats and latencystats); "all" and "everything" mean
// every section; "default" may be combined with other names; names are
// case-insensitive and unknown names are ignored. Sections are emitted in
// a fixed order, each once, separated by a blank line.
//
// Thread safety: loop thread only (reads Server state).
#pragma once

#include <span>
#include <string>
#include <string_view>

namespace ordis {

class Server;

// The INFO text for the given section arguments (the words after "INFO").
std::string RenderInfo(Server& server, std::span<const std::string_view> sections);

// The replication id INFO reports as master_replid (no replication yet,
// but clients read it). DEBUG CHANGE-REPL-ID replaces it.
const std::string& ReplicationId();
void ChangeReplicationId();

// Formats a percentile the way Redis names it in INFO: 50 -> "50",
// 99.9 -> "99.9" (trailing zeros trimmed).
std::string FormatPercentileName(double p);

}  // namespace ordis
