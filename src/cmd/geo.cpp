// GEO commands: positions kept as sorted set members whose scores are
// 52-bit geohashes (kv/geohash.h), so every Z* command works on them.
// GEOADD is ZADD with computed scores; searches (GEORADIUS*, GEOSEARCH*)
// scan the score ranges of the nine geohash cells around the centre and
// filter by exact distance, as Redis 7.0 does, with its argument checks in
// its order and its error texts.
#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "cmd/args.h"
#include "cmd/families.h"
#include "kv/geohash.h"
#include "kv/zset_type.h"
#include "server/server.h"

namespace ordis {

namespace {

bool ArgGeoDouble(CommandContext& ctx, size_t i, double* out,
                  std::string_view error = err::kNotFloat) {
  if (ParseZScore(ctx.arg(i), out)) return true;
  ctx.reply.Error(error);
  return false;
}

// args[i], args[i+1] as longitude, latitude within the Mercator limits.
bool ArgLonLat(CommandContext& ctx, size_t i, double* lon, double* lat) {
  if (!ArgGeoDouble(ctx, i, lon) || !ArgGeoDouble(ctx, i + 1, lat)) return false;
  if (*lon < geo::kLonMin || *lon > geo::kLonMax || *lat < geo::kLatMin || *lat > geo::kLatMax) {
    char buf[160];
    snprintf(buf, sizeof(buf), "ERR invalid longitude,latitude pair %f,%f", *lon, *lat);
    ctx.reply.Error(buf);
    return false;
  }
  return true;
}

// Meters per unit; false (after replying) for an unknown unit.
bool ArgUnit(CommandContext& ctx, size_t i, double* to_meters) {
  std::string_view u = ctx.arg(i);
  if (EqualsNoCase(u, "m")) {
    *to_meters = 1;
  } else if (EqualsNoCase(u, "km")) {
    *to_meters = 1000;
  } else if (EqualsNoCase(u, "ft")) {
    *to_meters = 0.3048;
  } else if (EqualsNoCase(u, "mi")) {
    *to_meters = 1609.34;
  } else {
    ctx.reply.Error("ERR unsupported unit provided. please use M, KM, FT, MI");
    return false;
  }
  return true;
}

// "radius unit" at args[i].
bool ArgRadius(CommandContext& ctx, size_t i, geo::Shape* shape) {
  double r;
  if (!ArgGeoDouble(ctx, i, &r, "ERR need numeric radius")) return false;
  if (r < 0) {
    ctx.reply.Error("ERR radius cannot be negative");
    return false;
  }
  shape->radius = r;
  return ArgUnit(ctx, i + 1, &shape->to_meters);
}

// "width height unit" at args[i].
bool ArgBox(CommandContext& ctx, size_t i, geo::Shape* shape) {
  double w, h;
  if (!ArgGeoDouble(ctx, i, &w, "ERR need numeric width") ||
      !ArgGeoDouble(ctx, i + 1, &h, "ERR need numeric height"))
    return false;
  if (h < 0 || w < 0) {
    ctx.reply.Error("ERR height or width cannot be negative");
    return false;
  }
  shape->width = w;
  shape->height = h;
  return ArgUnit(ctx, i + 2, &shape->to_meters);
}

// A distance with exactly four decimals, rounded half to even as Redis's
// fixedpoint_d2string (llrint) does; a bulk string in both protocols.
void ReplyDistance(CommandContext& ctx, double d) {
  long long v = llrint(d * 10000.0);
  char buf[48];
  unsigned long long a = v < 0 ? 0ULL - static_cast<unsigned long long>(v) : v;
  int n = snprintf(buf, sizeof(buf), "%s%llu.%04llu", v < 0 ? "-" : "", a / 10000, a % 10000);
  ctx.reply.Bulk(std::string_view(buf, static_cast<size_t>(n)));
}

// A coordinate as Redis's addReplyHumanLongDouble: "%.17Lf" without
// trailing zeros; a bulk string in RESP2, a double in RESP3.
void ReplyCoordinate(CommandContext& ctx, double v) {
  char buf[96];
  int n = snprintf(buf, sizeof(buf), "%.17Lf", static_cast<long double>(v));
  if (std::string_view(buf, static_cast<size_t>(n)).find('.') != std::string_view::npos) {
    while (buf[n - 1] == '0') --n;
    if (buf[n - 1] == '.') --n;
  }
  std::string_view text(buf, static_cast<size_t>(n));
  if (text == "-0") text = "0";
  if (!ctx.reply.resp3()) return ctx.reply.Bulk(text);
  std::string raw = ",";
  raw.append(text);
  raw.append("\r\n");
  ctx.reply.Raw(raw);
}

// GEOADD key [NX|XX] [CH] longitude latitude member [...]
void GeoAddCmd(CommandContext& ctx) {
  ZAddFlags f;
  bool ch = false;
  size_t idx = 2;
  for (; idx < ctx.argc(); ++idx) {
    if (ArgIs(ctx, idx, "nx")) {
      f.nx = true;
    } else if (ArgIs(ctx, idx, "xx")) {
      f.xx = true;
    } else if (ArgIs(ctx, idx, "ch")) {
      ch = true;
    } else {
      break;
    }
  }
  size_t left = ctx.argc() - idx;
  if (left % 3 != 0 || (f.xx && f.nx) || left == 0) return ctx.reply.Error(err::kSyntax);
  size_t elements = left / 3;
  // Every pair is checked before anything is written.
  std::vector<double> scores(elements);
  std::vector<std::string_view> members(elements);
  for (size_t j = 0; j < elements; ++j) {
    double lon, lat;
    if (!ArgLonLat(ctx, idx + 3 * j, &lon, &lat)) return;
    scores[j] = static_cast<double>(geo::ScoreOf(lon, lat));
    members[j] = ctx.arg(idx + 3 * j + 2);
  }
  EncodingLimits limits = ctx.server.encoding_limits();
  auto r = ZSetOps(ctx.db(), limits).Add(ctx.arg(1), scores, members, f);
  if (ReplyIfError(ctx, r.status())) return;
  ctx.dirty += r->added + r->updated;
  ctx.reply.Integer(ch ? r->added + r->updated : r->added);
}

// GEOPOS key member [member ...]
void GeoPosCmd(CommandContext& ctx) {
  EncodingLimits limits = ctx.server.encoding_limits();
  auto r = ZSetOps(ctx.db(), limits).Scores(ctx.arg(1), ctx.args.subspan(2));
  if (ReplyIfError(ctx, r.status())) return;
  ctx.reply.ArrayHeader(static_cast<int64_t>(r->size()));
  for (const auto& s : *r) {
    if (!s) {
      ctx.reply.NullArray();
      continue;
    }
    double lon, lat;
    geo::DecodeScore(*s, &lon, &lat);
    ctx.reply.ArrayHeader(2);
    ReplyCoordinate(ctx, lon);
    ReplyCoordinate(ctx, lat);
  }
}

// GEOHASH key [member ...]
void GeoHashCmd(CommandContext& ctx) {
  EncodingLimits limits = ctx.server.encoding_limits();
  auto r = ZSetOps(ctx.db(), limits).Scores(ctx.arg(1), ctx.args.subspan(2));
  if (ReplyIfError(ctx, r.status())) return;
  ctx.reply.ArrayHeader(static_cast<int64_t>(r->size()));
  for (const auto& s : *r) {
    if (!s) {
      ctx.reply.Null();
      continue;
    }
    double lon, lat;
    geo::DecodeScore(*s, &lon, &lat);
    ctx.reply.Bulk(geo::GeohashString(lon, lat));
  }
}

// GEODIST key member1 member2 [M|KM|FT|MI]
void GeoDistCmd(CommandContext& ctx) {
  double to_meters = 1;
  if (ctx.argc() == 5) {
    if (!ArgUnit(ctx, 4, &to_meters)) return;
  } else if (ctx.argc() > 5) {
    return ctx.reply.Error(err::kSyntax);
  }
  EncodingLimits limits = ctx.server.encoding_limits();
  auto r = ZSetOps(ctx.db(), limits).Scores(ctx.arg(1), ctx.args.subspan(2, 2));
  if (ReplyIfError(ctx, r.status())) return;
  if (!(*r)[0] || !(*r)[1]) return ctx.reply.Null();
  double lon1, lat1, lon2, lat2;
  geo::DecodeScore(*(*r)[0], &lon1, &lat1);
  geo::DecodeScore(*(*r)[1], &lon2, &lat2);
  ReplyDistance(ctx, geo::Distance(lon1, lat1, lon2, lat2) / to_meters);
}

// --- searches ----------------------------------------------------------------

struct GeoPoint {
  double lon, lat;
  double dist;  // meters from the centre, later in the request's unit
  double score;
  std::string_view member;  // into the source set
};

// Appends the members of z inside shape, cell by cell in Redis's order.
// With limit > 0 (COUNT n ANY) stops as soon as limit points were found.
void CollectPoints(const ZSetObject& z, const geo::Shape& shape, size_t limit,
                   std::vector<GeoPoint>* out) {
  geo::SearchCells cells = geo::CellsForShape(shape);
  std::vector<ZRangeItem> items;
  int last = -1;
  for (int i = 0; i < 9; ++i) {
    const geo::HashBits& cell = cells.cells[i];
    if (cell.IsZero()) continue;
    // Huge radii can make neighbours coincide: never scan a cell twice in
    // a row.
    if (last > 0 && cell == cells.cells[last]) continue;
    if (limit && out->size() >= limit) break;
    uint64_t min, max;
    geo::ScoreRangeOfBox(cell, &min, &max);
    ZScoreRange range{static_cast<double>(min), static_cast<double>(max), false, true};
    items.clear();
    z.RangeByScore(range, 0, -1, false, &items);
    for (const ZRangeItem& it : items) {
      GeoPoint p;
      if (geo::WithinShape(shape, it.score, &p.lon, &p.lat, &p.dist)) {
        p.score = it.score;
        p.member = it.member;
        out->push_back(p);
      }
      if (limit && out->size() >= limit) break;
    }
    last = i;
  }
}

enum SearchFlags : unsigned {
  kByCoords = 1,      // GEORADIUS: centre from longitude latitude
  kByMember = 2,      // GEORADIUSBYMEMBER: centre from a member
  kNoStore = 4,       // the _RO variants: no STORE/STOREDIST
  kSearch = 8,        // GEOSEARCH syntax
  kSearchStore = 16,  // GEOSEARCHSTORE: destination first, STOREDIST flag
};

enum class Sort { kNone, kAsc, kDesc };

// Redis's georadiusGeneric: the source key at args[src].
void SearchGeneric(CommandContext& ctx, size_t src, unsigned flags) {
  auto found = FindObject<ZSetObject>(ctx.db(), ctx.arg(src), ValueType::kZSet, false);
  if (found.status() == OpStatus::kWrongType) return ctx.reply.Error(err::kWrongType);
  ZSetObject* zobj = found.ok() ? *found : nullptr;

  geo::Shape shape;
  size_t base;
  std::string_view storekey;
  bool has_store = false, storedist = false;
  if (flags & kByCoords) {
    base = 6;
    shape.type = geo::Shape::kCircle;
    if (!ArgLonLat(ctx, 2, &shape.lon, &shape.lat)) return;
    if (!ArgRadius(ctx, base - 2, &shape)) return;
  } else if (flags & kByMember) {
    base = 5;
    // Without a source the reply is empty, but the options are still
    // parsed to know its kind (STORE or not).
    if (zobj) {
      shape.type = geo::Shape::kCircle;
      auto score = zobj->Score(ctx.arg(2));
      if (!score) return ctx.reply.Error("ERR could not decode requested zset member");
      geo::DecodeScore(*score, &shape.lon, &shape.lat);
      if (!ArgRadius(ctx, base - 2, &shape)) return;
    }
  } else {
    base = 2;
    if (flags & kSearchStore) {
      base = 3;
      storekey = ctx.arg(1);
      has_store = true;
    }
  }

  bool withdist = false, withhash = false, withcoord = false, any = false;
  bool frommember = false, fromloc = false, byradius = false, bybox = false;
  Sort sort = Sort::kNone;
  int64_t count = 0;  // 0: no limit
  const bool search = flags & kSearch;
  const bool can_store = !(flags & kNoStore) && !search;
  for (size_t i = base; i < ctx.argc(); ++i) {
    size_t left = ctx.argc() - i - 1;  // arguments after this one
    if (ArgIs(ctx, i, "withdist")) {
      withdist = true;
    } else if (ArgIs(ctx, i, "withhash")) {
      withhash = true;
    } else if (ArgIs(ctx, i, "withcoord")) {
      withcoord = true;
    } else if (ArgIs(ctx, i, "any")) {
      any = true;
    } else if (ArgIs(ctx, i, "asc")) {
      sort = Sort::kAsc;
    } else if (ArgIs(ctx, i, "desc")) {
      sort = Sort::kDesc;
    } else if (ArgIs(ctx, i, "count") && left >= 1) {
      if (!ArgInt(ctx, i + 1, &count)) return;
      if (count <= 0) return ctx.reply.Error("ERR COUNT must be > 0");
      ++i;
    } else if (ArgIs(ctx, i, "store") && left >= 1 && can_store) {
      storekey = ctx.arg(++i);
      has_store = true;
      storedist = false;
    } else if (ArgIs(ctx, i, "storedist") && left >= 1 && can_store) {
      storekey = ctx.arg(++i);
      has_store = true;
      storedist = true;
    } else if (ArgIs(ctx, i, "storedist") && search && (flags & kSearchStore)) {
      storedist = true;
    } else if (ArgIs(ctx, i, "frommember") && left >= 1 && search && !fromloc) {
      if (zobj) {
        auto score = zobj->Score(ctx.arg(i + 1));
        if (!score) return ctx.reply.Error("ERR could not decode requested zset member");
        geo::DecodeScore(*score, &shape.lon, &shape.lat);
      }
      frommember = true;
      ++i;
    } else if (ArgIs(ctx, i, "fromlonlat") && left >= 2 && search && !frommember) {
      if (!ArgLonLat(ctx, i + 1, &shape.lon, &shape.lat)) return;
      fromloc = true;
      i += 2;
    } else if (ArgIs(ctx, i, "byradius") && left >= 2 && search && !bybox) {
      if (!ArgRadius(ctx, i + 1, &shape)) return;
      shape.type = geo::Shape::kCircle;
      byradius = true;
      i += 2;
    } else if (ArgIs(ctx, i, "bybox") && left >= 3 && search && !byradius) {
      if (!ArgBox(ctx, i + 1, &shape)) return;
      shape.type = geo::Shape::kBox;
      bybox = true;
      i += 3;
    } else {
      return ctx.reply.Error(err::kSyntax);
    }
  }

  if (has_store && (withdist || withhash || withcoord)) {
    return ctx.reply.Error((flags & kSearchStore)
                               ? "ERR GEOSEARCHSTORE is not compatible with WITHDIST, WITHHASH "
                                 "and WITHCOORD options"
                               : "ERR STORE option in GEORADIUS is not compatible with WITHDIST, "
                                 "WITHHASH and WITHCOORD options");
  }
  std::string name(ctx.arg(0));
  if (search && !(frommember || fromloc))
    return ctx.reply.Error("ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for " +
                           name);
  if (search && !(byradius || bybox))
    return ctx.reply.Error("ERR exactly one of BYRADIUS and BYBOX can be specified for " + name);
  if (any && !count) return ctx.reply.Error("ERR the ANY argument requires COUNT argument");

  EncodingLimits limits = ctx.server.encoding_limits();
  if (!zobj) {
    if (!has_store) return ctx.reply.EmptyArray();
    if (ctx.db().Delete(storekey)) ++ctx.dirty;
    return ctx.reply.Integer(0);
  }

  // The nearest COUNT points need sorting, unless any will do.
  if (count != 0 && sort == Sort::kNone && !any) sort = Sort::kAsc;

  std::vector<GeoPoint> points;
  CollectPoints(*zobj, shape, any ? static_cast<size_t>(count) : 0, &points);
  if (points.empty() && !has_store) return ctx.reply.EmptyArray();

  size_t returned = points.size();
  if (count != 0 && static_cast<size_t>(count) < returned) returned = static_cast<size_t>(count);
  if (sort != Sort::kNone) {
    // Stable, like the glibc qsort (a merge sort) Redis relies on.
    if (sort == Sort::kAsc) {
      std::stable_sort(points.begin(), points.end(),
                       [](const GeoPoint& a, const GeoPoint& b) { return a.dist < b.dist; });
    } else {
      std::stable_sort(points.begin(), points.end(),
                       [](const GeoPoint& a, const GeoPoint& b) { return a.dist > b.dist; });
    }
  }
  points.resize(returned);
  for (GeoPoint& p : points) p.dist /= shape.to_meters;

  if (has_store) {
    std::vector<ZRangeItem> items;
    items.reserve(points.size());
    for (const GeoPoint& p : points) items.push_back({p.member, storedist ? p.dist : p.score});
    if (ZSetOps(ctx.db(), limits).Store(storekey, items)) ctx.dirty += returned ? returned : 1;
    return ctx.reply.Integer(static_cast<int64_t>(returned));
  }

  int options = int{withdist} + int{withhash} + int{withcoord};
  ctx.reply.ArrayHeader(static_cast<int64_t>(returned));
  for (const GeoPoint& p : points) {
    if (options) ctx.reply.ArrayHeader(options + 1);
    ctx.reply.Bulk(p.member);
    if (withdist) ReplyDistance(ctx, p.dist);
    if (withhash) ctx.reply.Integer(static_cast<int64_t>(p.score));
    if (withcoord) {
      ctx.reply.ArrayHeader(2);
      ReplyCoordinate(ctx, p.lon);
      ReplyCoordinate(ctx, p.lat);
    }
  }
}

void GeoRadiusCmd(CommandContext& ctx) {
  SearchGeneric(ctx, 1, kByCoords);
}
void GeoRadiusRoCmd(CommandContext& ctx) {
  SearchGeneric(ctx, 1, kByCoords | kNoStore);
}
void GeoRadiusByMemberCmd(CommandContext& ctx) {
  SearchGeneric(ctx, 1, kByMember);
}
void GeoRadiusByMemberRoCmd(CommandContext& ctx) {
  SearchGeneric(ctx, 1, kByMember | kNoStore);
}
void GeoSearchCmd(CommandContext& ctx) {
  SearchGeneric(ctx, 1, kSearch);
}
void GeoSearchStoreCmd(CommandContext& ctx) {
  SearchGeneric(ctx, 2, kSearch | kSearchStore);
}

// Keys of GEORADIUS/GEORADIUSBYMEMBER as Redis's key specs find them: the
// source, then the key after the first STORE and the first STOREDIST
// keyword at or after `from` (the first optional argument).
std::vector<KeyRef> RadiusKeys(ArgList args, size_t from) {
  std::vector<KeyRef> keys{{1, "RO access"}};
  for (std::string_view word : {"store", "storedist"}) {
    for (size_t i = from; i + 1 < args.size(); ++i) {
      if (EqualsNoCase(args[i], word)) {
        keys.push_back({i + 1, "OW update"});
        break;
      }
    }
  }
  return keys;
}
std::vector<KeyRef> GeoRadiusKeys(ArgList args) {
  return RadiusKeys(args, 6);
}
std::vector<KeyRef> GeoRadiusByMemberKeys(ArgList args) {
  return RadiusKeys(args, 5);
}

constexpr const char* kSearchComplexity =
    "O(N+log(M)) where N is the number of elements inside the bounding box of the circular area "
    "delimited by center and radius and M is the number of items inside the index.";
constexpr const char* kRadiusSyntax =
    "key longitude latitude radius M|KM|FT|MI [WITHCOORD] [WITHDIST] [WITHHASH] [COUNT count "
    "[ANY]] [ASC|DESC] [STORE key] [STOREDIST key]";
constexpr const char* kRadiusRoSyntax =
    "key longitude latitude radius M|KM|FT|MI [WITHCOORD] [WITHDIST] [WITHHASH] [COUNT count "
    "[ANY]] [ASC|DESC]";
constexpr const char* kByMemberSyntax =
    "key member radius M|KM|FT|MI [WITHCOORD] [WITHDIST] [WITHHASH] [COUNT count [ANY]] "
    "[ASC|DESC] [STORE key] [STOREDIST key]";
constexpr const char* kByMemberRoSyntax =
    "key member radius M|KM|FT|MI [WITHCOORD] [WITHDIST] [WITHHASH] [COUNT count [ANY]] "
    "[ASC|DESC]";

constexpr CommandSpec kCommands[] = {
    {"geoadd",
     -5,
     kCmdWrite | kCmdDenyOom,
     kAclGeo,
     1,
     1,
     1,
     GeoAddCmd,
     "geo",
     "3.2.0",
     "Add one or more geospatial items in the geospatial index represented using a sorted set",
     "O(log(N)) for each item added, where N is the number of elements in the sorted set.",
     "key [NX|XX] [CH] longitude latitude member [longitude latitude member ...]",
     {},
     "RW update"},
    {"geopos", -2, kCmdReadonly, kAclGeo, 1, 1, 1, GeoPosCmd, "geo", "3.2.0",
     "Returns longitude and latitude of members of a geospatial index",
     "O(N) where N is the number of members requested.", "key [member [member ...]]"},
    {"geodist", -4, kCmdReadonly, kAclGeo, 1, 1, 1, GeoDistCmd, "geo", "3.2.0",
     "Returns the distance between two members of a geospatial index", "O(log(N))",
     "key member1 member2 [M|KM|FT|MI]"},
    {"geohash", -2, kCmdReadonly, kAclGeo, 1, 1, 1, GeoHashCmd, "geo", "3.2.0",
     "Returns members of a geospatial index as standard geohash strings",
     "O(log(N)) for each member requested, where N is the number of elements in the sorted set.",
     "key [member [member ...]]"},
    {"georadius",
     -6,
     kCmdWrite | kCmdDenyOom,
     kAclGeo,
     1,
     1,
     1,
     GeoRadiusCmd,
     "geo",
     "3.2.0",
     "Query a sorted set representing a geospatial index to fetch members matching a given "
     "maximum distance from a point",
     kSearchComplexity,
     kRadiusSyntax,
     {},
     "RO access,OW update",
     GeoRadiusKeys},
    {"georadius_ro", -6, kCmdReadonly, kAclGeo, 1, 1, 1, GeoRadiusRoCmd, "geo", "3.2.10",
     "A read-only variant for GEORADIUS", kSearchComplexity, kRadiusRoSyntax},
    {"georadiusbymember",
     -5,
     kCmdWrite | kCmdDenyOom,
     kAclGeo,
     1,
     1,
     1,
     GeoRadiusByMemberCmd,
     "geo",
     "3.2.0",
     "Query a sorted set representing a geospatial index to fetch members matching a given "
     "maximum distance from a member",
     kSearchComplexity,
     kByMemberSyntax,
     {},
     "RO access,OW update",
     GeoRadiusByMemberKeys},
    {"georadiusbymember_ro", -5, kCmdReadonly, kAclGeo, 1, 1, 1, GeoRadiusByMemberRoCmd, "geo",
     "3.2.10", "A read-only variant for GEORADIUSBYMEMBER", kSearchComplexity, kByMemberRoSyntax},
    {"geosearch", -7, kCmdReadonly, kAclGeo, 1, 1, 1, GeoSearchCmd, "geo", "6.2.0",
     "Query a sorted set representing a geospatial index to fetch members inside an area of a box "
     "or a circle.",
     "O(N+log(M)) where N is the number of elements in the grid-aligned bounding box area around "
     "the shape provided as the filter and M is the number of items inside the shape",
     "key FROMMEMBER member|FROMLONLAT longitude latitude BYRADIUS radius M|KM|FT|MI|BYBOX width "
     "height M|KM|FT|MI [ASC|DESC] [COUNT count [ANY]] [WITHCOORD] [WITHDIST] [WITHHASH]"},
    {"geosearchstore",
     -8,
     kCmdWrite | kCmdDenyOom,
     kAclGeo,
     1,
     2,
     1,
     GeoSearchStoreCmd,
     "geo",
     "6.2.0",
     "Query a sorted set representing a geospatial index to fetch members inside an area of a box "
     "or a circle, and store the result in another key.",
     "O(N+log(M)) where N is the number of elements in the grid-aligned bounding box area around "
     "the shape provided as the filter and M is the number of items inside the shape",
     "destination source FROMMEMBER member|FROMLONLAT longitude latitude BYRADIUS radius "
     "M|KM|FT|MI|BYBOX width height M|KM|FT|MI [ASC|DESC] [COUNT count [ANY]] [STOREDIST]",
     {},
     "OW update,RO access"},
};

}  // namespace

std::span<const CommandSpec> GeoCommands() {
  return kCommands;
}

}  // namespace ordis
