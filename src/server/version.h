// Version strings reported by INFO, HELLO and --version.
#pragma once

namespace ordis {

inline constexpr const char* kOrdisVersion = "0.1.0";
// Clients check redis_version; we answer as the Redis we are compatible with.
inline constexpr const char* kRedisCompatVersion = "7.0.15";
#ifdef ORDIS_JEMALLOC
inline constexpr const char* kAllocatorName = "jemalloc-5.3.0";
#else
inline constexpr const char* kAllocatorName = "libc";
#endif

}  // namespace ordis
