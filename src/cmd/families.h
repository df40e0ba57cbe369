// Every command family's table. Adding a family: declare it here, list it
// in command_table.cpp, write cmd/<family>.cpp and tests/unit/<family>_test.cpp.
#pragma once

#include <span>

#include "cmd/command.h"

namespace ordis {

std::span<const CommandSpec> StringCommands();         // cmd/strings.cpp
std::span<const CommandSpec> BitCommands();            // cmd/bits.cpp
std::span<const CommandSpec> KeyCommands();            // cmd/keys.cpp
std::span<const CommandSpec> ConnectionCommands();     // cmd/connection.cpp
std::span<const CommandSpec> ServerCommands();         // cmd/server.cpp
std::span<const CommandSpec> IntrospectionCommands();  // cmd/introspection.cpp
std::span<const CommandSpec> TxCommands();             // cmd/tx.cpp
std::span<const CommandSpec> ListCommands();           // cmd/lists.cpp
std::span<const CommandSpec> SetCommands();            // cmd/sets.cpp
std::span<const CommandSpec> HashCommands();           // cmd/hashes.cpp
std::span<const CommandSpec> ZSetCommands();           // cmd/zsets.cpp
std::span<const CommandSpec> ZSetAlgebraCommands();    // cmd/zsets_algebra.cpp
std::span<const CommandSpec> ZSetBlockingCommands();   // cmd/zsets_blocking.cpp
std::span<const CommandSpec> GeoCommands();            // cmd/geo.cpp
std::span<const CommandSpec> SortCommands();           // cmd/sort.cpp
std::span<const CommandSpec> ClusterCommands();        // cmd/cluster.cpp
std::span<const CommandSpec> PubSubCommands();         // cmd/pubsub.cpp
std::span<const CommandSpec> OrderCommands();          // cmd/orders.cpp
std::span<const CommandSpec> PersistenceCommands();    // cmd/persistence.cpp

}  // namespace ordis
