// CLUSTER: ordis runs as a standalone server, as redis-server does with
// cluster-enabled no. Every subcommand exists in the table (so COMMAND,
// COMMAND DOCS and the subcommand/arity checks behave as in Redis) and
// answers what Redis answers in that mode: "ERR This instance has cluster
// support disabled". Sharding arrives later as per-core shards, not as
// Redis Cluster.
#include "cmd/families.h"

namespace ordis {

namespace {

void ClusterDisabledCmd(CommandContext& ctx) {
  ctx.reply.Error("ERR This instance has cluster support disabled");
}

constexpr uint32_t kAdminStale = kCmdAdmin | kCmdStale;

constexpr CommandSpec kClusterSubcommands[] = {
    {"addslots", -3, kAdminStale, 0, 0, 0, 0, ClusterDisabledCmd, "cluster", "3.0.0",
     "Assign new hash slots to receiving node",
     "O(N) where N is the total number of hash slot arguments", "slot [slot ...]"},
    {"addslotsrange", -4, kAdminStale, 0, 0, 0, 0, ClusterDisabledCmd, "cluster", "7.0.0",
     "Assign new hash slots to receiving node",
     "O(N) where N is the total number of the slots between the start slot and end slot arguments.",
     "start-slot end-slot [start-slot end-slot ...]"},
    {"bumpepoch", 2, kAdminStale, 0, 0, 0, 0, ClusterDisabledCmd, "cluster", "3.0.0",
     "Advance the cluster config epoch", "O(1)", ""},
    {"count-failure-reports", 3, kAdminStale, 0, 0, 0, 0, ClusterDisabledCmd, "cluster", "3.0.0",
     "Return the number of failure reports active for a given node",
     "O(N) where N is the number of failure reports", "node-id"},
    {"countkeysinslot", 3, kCmdStale, 0, 0, 0, 0, ClusterDisabledCmd, "cluster", "3.0.0",
     "Return the number of local keys in the specified hash slot", "O(1)", "slot"},
    {"delslots", -3, kAdminStale, 0, 0, 0, 0, ClusterDisabledCmd, "cluster", "3.0.0",
     "Set hash slots as unbound in receiving node",
     "O(N) where N is the total number of hash slot arguments", "slot [slot ...]"},
    {"delslotsrange", -4, kAdminStale, 0, 0, 0, 0, ClusterDisabledCmd, "cluster", "7.0.0",
     "Set hash slots as unbound in receiving node",
     "O(N) where N is the total number of the slots between the start slot and end slot arguments.",
     "start-slot end-slot [start-slot end-slot ...]"},
    {"failover", -2, kAdminStale, 0, 0, 0, 0, ClusterDisabledCmd, "cluster", "3.0.0",
     "Forces a replica to perform a manual failover of its master.", "O(1)", "[FORCE|TAKEOVER]"},
    {"flushslots", 2, kAdminStale, 0, 0, 0, 0, ClusterDisabledCmd, "cluster", "3.0.0",
     "Delete a node's own slots information", "O(1)", ""},
    {"forget", 3, kAdminStale, 0, 0, 0, 0, ClusterDisabledCmd, "cluster", "3.0.0",
     "Remove a node from the nodes table", "O(1)", "node-id"},
    {"getkeysinslot", 4, kCmdStale, 0, 0, 0, 0, ClusterDisabledCmd, "cluster", "3.0.0",
     "Return local key names in the specified hash slot",
     "O(log(N)) where N is the number of requested keys", "slot count"},
    {"help", 2, kCmdLoading | kCmdStale, 0, 0, 0, 0, ClusterDisabledCmd, "cluster", "5.0.0",
     "Show helpful text about the different subcommands", "O(1)", ""},
    {"info", 2, kCmdStale, 0, 0, 0, 0, ClusterDisabledCmd, "cluster", "3.0.0",
     "Provides info about Redis Cluster node state", "O(1)", ""},
    {"keyslot", 3, kCmdStale, 0, 0, 0, 0, ClusterDisabledCmd, "cluster", "3.0.0",
     "Returns the hash slot of the specified key", "O(N) where N is the number of bytes in the key",
     "key"},
    {"links", 2, kCmdStale, 0, 0, 0, 0, ClusterDisabledCmd, "cluster", "7.0.0",
     "Returns a list of all TCP links to and from peer nodes in cluster",
     "O(N) where N is the total number of Cluster nodes", ""},
    {"meet", -4, kAdminStale, 0, 0, 0, 0, ClusterDisabledCmd, "cluster", "3.0.0",
     "Force a node cluster to handshake with another node", "O(1)", "ip port [cluster_bus_port]"},
    {"myid", 2, kCmdStale, 0, 0, 0, 0, ClusterDisabledCmd, "cluster", "3.0.0", "Return the node id",
     "O(1)", ""},
    {"nodes", 2, kCmdStale, 0, 0, 0, 0, ClusterDisabledCmd, "cluster", "3.0.0",
     "Get Cluster config for the node", "O(N) where N is the total number of Cluster nodes", ""},
    {"replicas", 3, kAdminStale, 0, 0, 0, 0, ClusterDisabledCmd, "cluster", "5.0.0",
     "List replica nodes of the specified master node", "O(1)", "node-id"},
    {"replicate", 3, kAdminStale, 0, 0, 0, 0, ClusterDisabledCmd, "cluster", "3.0.0",
     "Reconfigure a node as a replica of the specified master node", "O(1)", "node-id"},
    {"reset", -2, kAdminStale | kCmdNoscript, 0, 0, 0, 0, ClusterDisabledCmd, "cluster", "3.0.0",
     "Reset a Redis Cluster node",
     "O(N) where N is the number of known nodes. The command may execute a FLUSHALL as a side "
     "effect.",
     "[HARD|SOFT]"},
    {"saveconfig", 2, kAdminStale, 0, 0, 0, 0, ClusterDisabledCmd, "cluster", "3.0.0",
     "Forces the node to save cluster state on disk", "O(1)", ""},
    {"set-config-epoch", 3, kAdminStale, 0, 0, 0, 0, ClusterDisabledCmd, "cluster", "3.0.0",
     "Set the configuration epoch in a new node", "O(1)", "config-epoch"},
    {"setslot", -4, kAdminStale, 0, 0, 0, 0, ClusterDisabledCmd, "cluster", "3.0.0",
     "Bind a hash slot to a specific node", "O(1)",
     "slot IMPORTING node-id|MIGRATING node-id|NODE node-id|STABLE"},
    {"shards", 2, kCmdStale, 0, 0, 0, 0, ClusterDisabledCmd, "cluster", "7.0.0",
     "Get array of cluster slots to node mappings",
     "O(N) where N is the total number of cluster nodes", ""},
    {"slaves", 3, kAdminStale, 0, 0, 0, 0, ClusterDisabledCmd, "cluster", "3.0.0",
     "List replica nodes of the specified master node", "O(1)", "node-id"},
    {"slots", 2, kCmdStale, 0, 0, 0, 0, ClusterDisabledCmd, "cluster", "3.0.0",
     "Get array of Cluster slot to node mappings",
     "O(N) where N is the total number of Cluster nodes", ""},
};

constexpr CommandSpec kClusterCommands[] = {
    {"cluster", -2, 0, 0, 0, 0, 0, nullptr, "cluster", "3.0.0", "A container for cluster commands",
     "Depends on subcommand.", "", kClusterSubcommands},
};

}  // namespace

std::span<const CommandSpec> ClusterCommands() {
  return kClusterCommands;
}

}  // namespace ordis
