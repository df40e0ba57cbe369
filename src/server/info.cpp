#include "server/info.h"

#include <sys/resource.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <cstdarg>
#include <cstdio>
#include <random>
#include <set>
#include <vector>

#include "kv/keyspace.h"
#include "order/order_table.h"
#include "server/blocking.h"
#include "server/memory.h"
#include "server/persistence.h"
#include "server/pubsub.h"
#include "server/server.h"
#include "server/version.h"
#include "snapshot/snapshot_manager.h"
#include "util/strutil.h"

namespace ordis {

namespace {

// Order in which sections are emitted; `in_default` marks the ones a bare
// INFO (or "default") includes.
struct SectionDef {
  const char* name;
  bool in_default;
};
constexpr SectionDef kSections[] = {
    {"server", true},        {"clients", true},     {"memory", true},        {"persistence", true},
    {"stats", true},         {"replication", true}, {"cpu", true},           {"modules", true},
    {"commandstats", false}, {"errorstats", true},  {"latencystats", false}, {"cluster", true},
    {"keyspace", true},      {"orders", true},
};

void Appendf(std::string* out, const char* fmt, ...) __attribute__((format(printf, 2, 3)));
void Appendf(std::string* out, const char* fmt, ...) {
  char buf[512];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  if (n < 0) return;
  if (static_cast<size_t>(n) < sizeof buf) {
    out->append(buf, static_cast<size_t>(n));
    return;
  }
  std::string big(static_cast<size_t>(n) + 1, '\0');
  va_start(ap, fmt);
  vsnprintf(big.data(), big.size(), fmt, ap);
  va_end(ap);
  big.pop_back();
  out->append(big);
}

// INFO lines are "name:value"; names taken from user data (command and
// error names) must not break that shape.
std::string SafeName(std::string_view s) {
  std::string r(s);
  for (char& c : r)
    if (c == '#' || c == ':' || c == '\n' || c == '\r') c = '_';
  return r;
}

long long ToLL(uint64_t v) {
  return static_cast<long long>(v);
}

std::string NewHexId() {
  static const char kHex[] = "0123456789abcdef";
  std::random_device rd;
  std::string id;
  for (int i = 0; i < 40; ++i) id.push_back(kHex[rd() % 16]);
  return id;
}

std::string& MutableReplId() {
  static std::string id = NewHexId();
  return id;
}

void ServerSection(Server& s, std::string* out) {
  static utsname name;
  static bool have_name = uname(&name) == 0;
  const Config& c = s.config();
  int64_t now_us = Server::NowUs();
  int64_t uptime = (now_us / 1000 - s.stats().start_time_ms) / 1000;
  int port = s.host() ? s.host()->bound_port() : static_cast<int>(c.port);
  out->append("# Server\r\n");
  Appendf(out, "redis_version:%s\r\n", kRedisCompatVersion);
  Appendf(out, "ordis_version:%s\r\n", kOrdisVersion);
  out->append(
      "redis_git_sha1:00000000\r\n"
      "redis_git_dirty:0\r\n"
      "redis_build_id:0\r\n"
      "redis_mode:standalone\r\n");
  Appendf(out, "os:%s %s %s\r\n", have_name ? name.sysname : "", have_name ? name.release : "",
          have_name ? name.machine : "");
  Appendf(out, "arch_bits:%d\r\n", static_cast<int>(sizeof(void*) * 8));
  out->append(
      "monotonic_clock:POSIX clock_gettime\r\n"
      "multiplexing_api:epoll\r\n"
      "atomicvar_api:c11-builtin\r\n");
  Appendf(out, "gcc_version:%d.%d.%d\r\n", __GNUC__, __GNUC_MINOR__, __GNUC_PATCHLEVEL__);
  Appendf(out, "process_id:%d\r\n", static_cast<int>(getpid()));
  out->append("process_supervised:no\r\n");
  Appendf(out, "run_id:%s\r\n", s.run_id.c_str());
  Appendf(out, "tcp_port:%d\r\n", port);
  Appendf(out, "server_time_usec:%lld\r\n", static_cast<long long>(now_us));
  Appendf(out, "uptime_in_seconds:%lld\r\n", static_cast<long long>(uptime));
  Appendf(out, "uptime_in_days:%lld\r\n", static_cast<long long>(uptime / 86400));
  Appendf(out, "hz:%lld\r\n", static_cast<long long>(c.hz));
  Appendf(out, "configured_hz:%lld\r\n", static_cast<long long>(c.hz));
  Appendf(out, "lru_clock:%u\r\n", s.keyspace().ctx().lru_clock);
  Appendf(out, "executable:%s\r\n", s.executable.c_str());
  Appendf(out, "config_file:%s\r\n", c.config_file.c_str());
  out->append("io_threads_active:0\r\n");
}

void ClientsSection(Server& s, std::string* out) {
  size_t max_in = 0, max_out = 0;
  for (const auto& [id, c] : s.clients()) {
    max_in = std::max(max_in, c->in.capacity());
    max_out = std::max(max_out, c->out.size());
  }
  out->append("# Clients\r\n");
  Appendf(out, "connected_clients:%zu\r\n", s.clients().size());
  out->append("cluster_connections:0\r\n");
  Appendf(out, "maxclients:%lld\r\n", static_cast<long long>(s.config().maxclients));
  Appendf(out, "client_recent_max_input_buffer:%zu\r\n", max_in);
  Appendf(out, "client_recent_max_output_buffer:%zu\r\n", max_out);
  Appendf(out, "blocked_clients:%zu\r\n", s.blocking().blocked_count());
  out->append("tracking_clients:0\r\n");
  Appendf(out, "clients_in_timeout_table:%zu\r\n", s.blocking().timeout_count());
}

// Memory the server spends on bookkeeping rather than data: the startup
// footprint, hash table buckets and expire nodes, client buffers.
size_t MemoryOverhead(Server& s, size_t* clients_normal) {
  size_t clients = 0;
  for (const auto& [id, c] : s.clients())
    clients += c->in.capacity() + c->out.capacity() + sizeof(Client);
  if (clients_normal) *clients_normal = clients;
  size_t dbs = 0;
  Keyspace& ks = s.keyspace();
  for (int i = 0; i < ks.db_count(); ++i) dbs += ks.db(i).overhead_bytes();
  return StartupMemory() + clients + dbs;
}

void MemorySection(Server& s, std::string* out) {
  AllocatorStats a = ReadAllocatorStats();
  // The order tables' arena and completed ring are mmapped, not malloc'ed.
  size_t used = a.allocated + (s.orders_created() ? s.orders().stats().mapped_bytes : 0);
  size_t peak = std::max(PeakMemory(), used);
  size_t clients_normal = 0;
  size_t overhead = MemoryOverhead(s, &clients_normal);
  size_t startup = StartupMemory();
  size_t dataset = used > overhead ? used - overhead : 0;
  size_t net = used > startup ? used - startup : 0;
  double dataset_perc = net ? 100.0 * static_cast<double>(dataset) / static_cast<double>(net) : 0;
  double peak_perc = peak ? 100.0 * static_cast<double>(used) / static_cast<double>(peak) : 0;
  size_t total_mem = TotalSystemMemory();
  auto ratio = [](size_t a, size_t b) {
    return b ? static_cast<double>(a) / static_cast<double>(b) : 0;
  };
  auto diff = [](size_t a, size_t b) {
    return static_cast<long long>(a) - static_cast<long long>(b);
  };
  int64_t maxmemory = 0;
  if (auto v = s.config_registry().GetOne("maxmemory"); !v || !ParseMemory(*v, &maxmemory))
    maxmemory = 0;
  std::string policy = s.config_registry().GetOne("maxmemory-policy").value_or("noeviction");

  out->append("# Memory\r\n");
  Appendf(out, "used_memory:%zu\r\n", used);
  Appendf(out, "used_memory_human:%s\r\n", HumanBytes(used).c_str());
  Appendf(out, "used_memory_rss:%zu\r\n", a.rss);
  Appendf(out, "used_memory_rss_human:%s\r\n", HumanBytes(a.rss).c_str());
  Appendf(out, "used_memory_peak:%zu\r\n", peak);
  Appendf(out, "used_memory_peak_human:%s\r\n", HumanBytes(peak).c_str());
  Appendf(out, "used_memory_peak_perc:%.2f%%\r\n", peak_perc);
  Appendf(out, "used_memory_overhead:%zu\r\n", overhead);
  Appendf(out, "used_memory_startup:%zu\r\n", startup);
  Appendf(out, "used_memory_dataset:%zu\r\n", dataset);
  Appendf(out, "used_memory_dataset_perc:%.2f%%\r\n", dataset_perc);
  Appendf(out, "allocator_allocated:%zu\r\n", a.allocated);
  Appendf(out, "allocator_active:%zu\r\n", a.active);
  Appendf(out, "allocator_resident:%zu\r\n", a.resident);
  Appendf(out, "total_system_memory:%zu\r\n", total_mem);
  Appendf(out, "total_system_memory_human:%s\r\n", HumanBytes(total_mem).c_str());
  // No scripting engine: the script fields exist for clients that read them.
  out->append(
      "used_memory_lua:0\r\n"
      "used_memory_vm_eval:0\r\n"
      "used_memory_lua_human:0B\r\n"
      "used_memory_scripts_eval:0\r\n"
      "number_of_cached_scripts:0\r\n"
      "number_of_functions:0\r\n"
      "number_of_libraries:0\r\n"
      "used_memory_vm_functions:0\r\n"
      "used_memory_vm_total:0\r\n"
      "used_memory_vm_total_human:0B\r\n"
      "used_memory_functions:0\r\n"
      "used_memory_scripts:0\r\n"
      "used_memory_scripts_human:0B\r\n");
  Appendf(out, "maxmemory:%lld\r\n", static_cast<long long>(maxmemory));
  Appendf(out, "maxmemory_human:%s\r\n", HumanBytes(static_cast<uint64_t>(maxmemory)).c_str());
  Appendf(out, "maxmemory_policy:%s\r\n", policy.c_str());
  Appendf(out, "allocator_frag_ratio:%.2f\r\n", ratio(a.active, a.allocated));
  Appendf(out, "allocator_frag_bytes:%lld\r\n", diff(a.active, a.allocated));
  Appendf(out, "allocator_rss_ratio:%.2f\r\n", ratio(a.resident, a.active));
  Appendf(out, "allocator_rss_bytes:%lld\r\n", diff(a.resident, a.active));
  Appendf(out, "rss_overhead_ratio:%.2f\r\n", ratio(a.rss, a.resident));
  Appendf(out, "rss_overhead_bytes:%lld\r\n", diff(a.rss, a.resident));
  Appendf(out, "mem_fragmentation_ratio:%.2f\r\n", ratio(a.rss, used));
  Appendf(out, "mem_fragmentation_bytes:%lld\r\n", diff(a.rss, used));
  out->append(
      "mem_not_counted_for_evict:0\r\n"
      "mem_replication_backlog:0\r\n"
      "mem_total_replication_buffers:0\r\n"
      "mem_clients_slaves:0\r\n");
  Appendf(out, "mem_clients_normal:%zu\r\n", clients_normal);
  out->append(
      "mem_cluster_links:0\r\n"
      "mem_aof_buffer:0\r\n");
  Appendf(out, "mem_allocator:%s\r\n", AllocatorName());
  out->append(
      "active_defrag_running:0\r\n"
      "lazyfree_pending_objects:0\r\n"
      "lazyfreed_objects:0\r\n");
}

void PersistenceSection(Server& s, std::string* out) {
  // The rdb_* fields come from the snapshots (snapshot/snapshot_manager.h);
  // the aof_* fields report an idle, healthy state until the WAL.
  out->append("# Persistence\r\n");
  Appendf(out, "loading:%d\r\n", s.loading ? 1 : 0);
  out->append(
      "async_loading:0\r\n"
      "current_cow_peak:0\r\n"
      "current_cow_size:0\r\n"
      "current_cow_size_age:0\r\n"
      "current_fork_perc:0.00\r\n"
      "current_save_keys_processed:0\r\n"
      "current_save_keys_total:0\r\n");
  s.snapshots().AppendInfo(out);    // rdb_* and snapshot_* fields
  s.persistence().AppendInfo(out);  // aof_* and wal_* fields
}

uint64_t SampleAverage(const std::array<uint64_t, 16>& samples) {
  uint64_t sum = 0;
  for (uint64_t v : samples) sum += v;
  return sum / samples.size();
}

void StatsSection(Server& s, std::string* out) {
  const ServerStats& st = s.stats();
  const KeyspaceContext& kc = s.keyspace().ctx();
  out->append("# Stats\r\n");
  Appendf(out, "total_connections_received:%lld\r\n", ToLL(st.total_connections_received));
  Appendf(out, "total_commands_processed:%lld\r\n", ToLL(st.total_commands_processed));
  Appendf(out, "instantaneous_ops_per_sec:%lld\r\n", ToLL(SampleAverage(st.ops_samples)));
  Appendf(out, "total_net_input_bytes:%lld\r\n", ToLL(st.total_net_input_bytes));
  Appendf(out, "total_net_output_bytes:%lld\r\n", ToLL(st.total_net_output_bytes));
  out->append(
      "total_net_repl_input_bytes:0\r\n"
      "total_net_repl_output_bytes:0\r\n");
  Appendf(out, "instantaneous_input_kbps:%.2f\r\n",
          static_cast<double>(SampleAverage(st.in_samples)) / 1024);
  Appendf(out, "instantaneous_output_kbps:%.2f\r\n",
          static_cast<double>(SampleAverage(st.out_samples)) / 1024);
  out->append(
      "instantaneous_input_repl_kbps:0.00\r\n"
      "instantaneous_output_repl_kbps:0.00\r\n");
  Appendf(out, "rejected_connections:%lld\r\n", ToLL(st.rejected_connections));
  out->append(
      "sync_full:0\r\n"
      "sync_partial_ok:0\r\n"
      "sync_partial_err:0\r\n");
  Appendf(out, "expired_keys:%lld\r\n", ToLL(kc.expired_keys));
  Appendf(out, "expired_stale_perc:%.2f\r\n", static_cast<double>(kc.expired_stale_perc));
  Appendf(out, "expired_time_cap_reached_count:%lld\r\n", ToLL(kc.expired_time_cap_reached_count));
  out->append(
      "expire_cycle_cpu_milliseconds:0\r\n"
      "evicted_keys:0\r\n"
      "evicted_clients:0\r\n"
      "total_eviction_exceeded_time:0\r\n"
      "current_eviction_exceeded_time:0\r\n");
  Appendf(out, "keyspace_hits:%lld\r\n", ToLL(kc.keyspace_hits));
  Appendf(out, "keyspace_misses:%lld\r\n", ToLL(kc.keyspace_misses));
  Appendf(out, "pubsub_channels:%zu\r\n", s.pubsub().channel_count());
  Appendf(out, "pubsub_patterns:%zu\r\n", s.pubsub().pattern_count());
  Appendf(out, "pubsubshard_channels:%zu\r\n", s.pubsub().shard_channel_count());
  out->append(
      "latest_fork_usec:0\r\n"
      "total_forks:0\r\n"
      "migrate_cached_sockets:0\r\n"
      "slave_expires_tracked_keys:0\r\n"
      "active_defrag_hits:0\r\n"
      "active_defrag_misses:0\r\n"
      "active_defrag_key_hits:0\r\n"
      "active_defrag_key_misses:0\r\n"
      "total_active_defrag_time:0\r\n"
      "current_active_defrag_time:0\r\n"
      "tracking_total_keys:0\r\n"
      "tracking_total_items:0\r\n"
      "tracking_total_prefixes:0\r\n");
  Appendf(out, "unexpected_error_replies:%lld\r\n", ToLL(st.unexpected_error_replies));
  Appendf(out, "total_error_replies:%lld\r\n", ToLL(st.total_error_replies));
  out->append("dump_payload_sanitizations:0\r\n");
  Appendf(out, "total_reads_processed:%lld\r\n", ToLL(st.total_reads_processed));
  Appendf(out, "total_writes_processed:%lld\r\n", ToLL(st.total_writes_processed));
  Appendf(out, "io_threaded_reads_processed:%lld\r\n", ToLL(st.io_threaded_reads_processed));
  out->append(
      "io_threaded_writes_processed:0\r\n"
      "reply_buffer_shrinks:0\r\n"
      "reply_buffer_expands:0\r\n");
}

void ReplicationSection(std::string* out) {
  out->append(
      "# Replication\r\n"
      "role:master\r\n"
      "connected_slaves:0\r\n"
      "master_failover_state:no-failover\r\n");
  Appendf(out, "master_replid:%s\r\n", ReplicationId().c_str());
  out->append(
      "master_replid2:0000000000000000000000000000000000000000\r\n"
      "master_repl_offset:0\r\n"
      "second_repl_offset:-1\r\n"
      "repl_backlog_active:0\r\n"
      "repl_backlog_size:1048576\r\n"
      "repl_backlog_first_byte_offset:0\r\n"
      "repl_backlog_histlen:0\r\n");
}

void CpuSection(std::string* out) {
  rusage self{}, children{}, thread{};
  getrusage(RUSAGE_SELF, &self);
  getrusage(RUSAGE_CHILDREN, &children);
  getrusage(RUSAGE_THREAD, &thread);
  auto tv = [out](const char* name, const timeval& t) {
    Appendf(out, "%s:%ld.%06ld\r\n", name, static_cast<long>(t.tv_sec),
            static_cast<long>(t.tv_usec));
  };
  out->append("# CPU\r\n");
  tv("used_cpu_sys", self.ru_stime);
  tv("used_cpu_user", self.ru_utime);
  tv("used_cpu_sys_children", children.ru_stime);
  tv("used_cpu_user_children", children.ru_utime);
  tv("used_cpu_sys_main_thread", thread.ru_stime);
  tv("used_cpu_user_main_thread", thread.ru_utime);
}

void CommandStatsSection(Server& s, std::string* out) {
  out->append("# Commandstats\r\n");
  for (const auto& [name, cs] : s.stats().commands) {
    if (!cs.calls && !cs.failed_calls && !cs.rejected_calls) continue;
    double per_call = cs.calls ? static_cast<double>(cs.usec) / static_cast<double>(cs.calls) : 0;
    Appendf(out,
            "cmdstat_%s:calls=%lld,usec=%lld,usec_per_call=%.2f,rejected_calls=%lld,"
            "failed_calls=%lld\r\n",
            SafeName(name).c_str(), ToLL(cs.calls), ToLL(cs.usec), per_call,
            ToLL(cs.rejected_calls), ToLL(cs.failed_calls));
  }
}

void ErrorStatsSection(Server& s, std::string* out) {
  out->append("# Errorstats\r\n");
  for (const auto& [code, count] : s.stats().errors)
    Appendf(out, "errorstat_%s:count=%lld\r\n", SafeName(code).c_str(), ToLL(count));
}

void LatencyStatsSection(Server& s, std::string* out) {
  out->append("# Latencystats\r\n");
  const Config& c = s.config();
  if (!c.latency_tracking) return;
  for (const auto& [name, cs] : s.stats().commands) {
    if (cs.latency.count == 0) continue;
    Appendf(out, "latency_percentiles_usec_%s:", SafeName(name).c_str());
    const auto& ps = c.latency_tracking_info_percentiles;
    for (size_t i = 0; i < ps.size(); ++i) {
      Appendf(out, "%sp%s=%.3f", i ? "," : "", FormatPercentileName(ps[i]).c_str(),
              cs.latency.Percentile(ps[i]));
    }
    out->append("\r\n");
  }
}

void KeyspaceSection(Server& s, std::string* out) {
  out->append("# Keyspace\r\n");
  Keyspace& ks = s.keyspace();
  for (int i = 0; i < ks.db_count(); ++i) {
    Db& db = ks.db(i);
    if (db.size() == 0 && db.expires_size() == 0) continue;
    Appendf(out, "db%d:keys=%zu,expires=%zu,avg_ttl=%lld\r\n", i, db.size(), db.expires_size(),
            static_cast<long long>(db.avg_ttl_ms()));
  }
}

// The order tables (order/order_table.h). In the default set, like
// keyspace: it describes the dataset and costs O(1) to produce.
void OrdersSection(Server& s, std::string* out) {
  out->append("# Orders\r\n");
  order::OrderTableStats st = s.orders().stats();
  Appendf(out, "orders_live:%llu\r\n", ToLL(st.live));
  Appendf(out, "orders_capacity:%llu\r\n", ToLL(st.capacity));
  Appendf(out, "order_record_bytes:%zu\r\n", st.record_bytes);
  Appendf(out, "order_memory_bytes:%zu\r\n", st.memory_bytes);
  Appendf(out, "order_memory_per_live_order:%zu\r\n",
          st.live ? st.memory_bytes / st.live : size_t{0});
  Appendf(out, "order_memory_mode:%s\r\n", st.memory_mode);
  Appendf(out, "numa_node:%d\r\n", st.numa_node);
  Appendf(out, "symbols:%zu\r\n", st.symbols);
  Appendf(out, "price_levels:%zu\r\n", st.price_levels);
  Appendf(out, "order_users:%zu\r\n", st.users);
  Appendf(out, "orders_completed_kept:%llu\r\n", ToLL(st.completed));
  Appendf(out, "order_completed_memory_bytes:%zu\r\n", st.completed_memory_bytes);
  Appendf(out, "orders_placed:%llu\r\n", ToLL(st.placed));
  Appendf(out, "orders_canceled:%llu\r\n", ToLL(st.canceled));
  Appendf(out, "orders_filled:%llu\r\n", ToLL(st.filled));
  Appendf(out, "orders_expired:%llu\r\n", ToLL(st.expired));
}

void RenderSection(Server& s, std::string_view name, std::string* out) {
  if (name == "server") return ServerSection(s, out);
  if (name == "clients") return ClientsSection(s, out);
  if (name == "memory") return MemorySection(s, out);
  if (name == "persistence") return PersistenceSection(s, out);
  if (name == "stats") return StatsSection(s, out);
  if (name == "replication") return ReplicationSection(out);
  if (name == "cpu") return CpuSection(out);
  if (name == "modules") return out->append("# Modules\r\n"), void();
  if (name == "commandstats") return CommandStatsSection(s, out);
  if (name == "errorstats") return ErrorStatsSection(s, out);
  if (name == "latencystats") return LatencyStatsSection(s, out);
  if (name == "cluster") return out->append("# Cluster\r\ncluster_enabled:0\r\n"), void();
  if (name == "keyspace") return KeyspaceSection(s, out);
  if (name == "orders") return OrdersSection(s, out);
}

}  // namespace

const std::string& ReplicationId() {
  return MutableReplId();
}

void ChangeReplicationId() {
  MutableReplId() = NewHexId();
}

std::string FormatPercentileName(double p) {
  char buf[64];
  snprintf(buf, sizeof buf, "%f", p);
  std::string r = buf;
  if (r.find('.') != std::string::npos) {
    while (!r.empty() && r.back() == '0') r.pop_back();
    if (!r.empty() && r.back() == '.') r.pop_back();
  }
  return r;
}

std::string RenderInfo(Server& server, std::span<const std::string_view> sections) {
  bool all = false;
  std::set<std::string> wanted;
  auto add_defaults = [&] {
    for (const SectionDef& d : kSections)
      if (d.in_default) wanted.insert(d.name);
  };
  if (sections.empty()) add_defaults();
  for (std::string_view a : sections) {
    std::string name = ToLower(a);
    if (name == "default") {
      add_defaults();
    } else if (name == "all" || name == "everything") {
      all = true;
    } else if (name == "module_list") {
      wanted.insert("modules");
    } else {
      wanted.insert(std::move(name));
    }
  }
  std::string out;
  for (const SectionDef& d : kSections) {
    if (!all && !wanted.count(d.name)) continue;
    if (!out.empty()) out.append("\r\n");
    RenderSection(server, d.name, &out);
  }
  return out;
}

}  // namespace ordis
