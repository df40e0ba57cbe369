// GEO commands against Redis 7.0.15's replies and error texts, and the
// geohash functions they rest on (kv/geohash.h).
#include <catch2/catch.hpp>
#include <cmath>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "harness.h"
#include "kv/geohash.h"

using ordis::Entry;
using ordis::test::RespValue;
using ordis::test::TestServer;
using ordis::test::UseResp3;
namespace geo = ordis::geo;

namespace {

const char* kWrongType = "WRONGTYPE Operation against a key holding the wrong kind of value";

using V = std::vector<std::string>;

std::string EncodingOf(TestServer& t, const std::string& key) {
  Entry* e = t.server().keyspace().db(0).FindQuiet(key);
  return e ? e->EncodingName() : "(none)";
}

void AddSicily(TestServer& t) {
  REQUIRE(t.Run({"GEOADD", "Sicily", "13.361389", "38.115556", "Palermo", "15.087269", "37.502669",
                 "Catania"}) == 2);
}

}  // namespace

// --- geohash ---------------------------------------------------------------

TEST_CASE("geohash encodes scores as Redis does", "[geo]") {
  // Scores Redis 7.0.15 stores for these GEOADDs (ZSCORE).
  CHECK(geo::ScoreOf(13.361389, 38.115556) == 3479099956230698ULL);
  CHECK(geo::ScoreOf(15.087269, 37.502669) == 3479447370796909ULL);
  double lon, lat;
  geo::DecodeScore(3479099956230698.0, &lon, &lat);
  CHECK(lon == Approx(13.36138933897018433).epsilon(1e-15));
  CHECK(lat == Approx(38.11555639549629859).epsilon(1e-15));
  CHECK(geo::GeohashString(lon, lat) == "sqc8b49rny0");
}

TEST_CASE("geohash round trip stays within a cell", "[geo]") {
  std::mt19937_64 rng(42);
  std::uniform_real_distribution<double> lon_d(geo::kLonMin, geo::kLonMax);
  std::uniform_real_distribution<double> lat_d(geo::kLatMin, geo::kLatMax);
  for (int i = 0; i < 2000; ++i) {
    double lon = lon_d(rng), lat = lat_d(rng);
    double dlon, dlat;
    geo::DecodeScore(static_cast<double>(geo::ScoreOf(lon, lat)), &dlon, &dlat);
    // A step-26 cell is 360/2^26 degrees wide.
    CHECK(std::fabs(dlon - lon) <= 360.0 / (1 << 26));
    CHECK(std::fabs(dlat - lat) <= 171.0 / (1 << 26));
  }
}

TEST_CASE("geohash neighbours are the adjacent cells", "[geo]") {
  geo::HashBits h;
  REQUIRE(geo::EncodeWGS84(10, 20, 10, &h));
  geo::Area c;
  REQUIRE(geo::DecodeWGS84(h, &c));
  geo::Neighbors n = geo::NeighborsOf(h);
  geo::Area a;
  REQUIRE(geo::DecodeWGS84(n.north, &a));
  CHECK(a.lat.min == Approx(c.lat.max));
  CHECK(a.lon.min == Approx(c.lon.min));
  REQUIRE(geo::DecodeWGS84(n.south_west, &a));
  CHECK(a.lat.max == Approx(c.lat.min));
  CHECK(a.lon.max == Approx(c.lon.min));
  REQUIRE(geo::DecodeWGS84(n.east, &a));
  CHECK(a.lon.min == Approx(c.lon.max));
  CHECK(a.lat.min == Approx(c.lat.min));
  // East of the last column wraps to the first.
  REQUIRE(geo::EncodeWGS84(179.99, 0, 4, &h));
  REQUIRE(geo::DecodeWGS84(geo::NeighborsOf(h).east, &a));
  CHECK(a.lon.min == Approx(-180));
}

TEST_CASE("geohash distance and step estimate", "[geo]") {
  CHECK(geo::Distance(13.361389, 38.115556, 15.087269, 37.502669) ==
        Approx(166274.15).epsilon(1e-6));
  CHECK(geo::Distance(1, 2, 1, 3) == Approx(geo::LatDistance(2, 3)));
  CHECK(geo::EstimateStepsByRadius(0, 0) == 26);
  CHECK(geo::EstimateStepsByRadius(100000, 0) == 7);
  CHECK(geo::EstimateStepsByRadius(100000, 70) == 6);
  CHECK(geo::EstimateStepsByRadius(100000, 85) == 5);
  CHECK(geo::EstimateStepsByRadius(1e9, 0) == 1);
}

// --- commands ----------------------------------------------------------------

TEST_CASE("GEOADD options and errors", "[geo]") {
  TestServer t;
  AddSicily(t);
  CHECK(t.Run({"TYPE", "Sicily"}) == "zset");
  CHECK(t.Run({"ZSCORE", "Sicily", "Palermo"}) == "3479099956230698");
  CHECK(t.Run({"GEOADD", "Sicily", "200", "100", "x"})
            .is_error("ERR invalid longitude,latitude pair 200.000000,100.000000"));
  CHECK(t.Run({"GEOADD", "Sicily", "1", "86", "x"})
            .is_error("ERR invalid longitude,latitude pair 1.000000,86.000000"));
  CHECK(t.Run({"GEOADD", "Sicily", "x", "1", "m"}).is_error("ERR value is not a valid float"));
  CHECK(t.Run({"GEOADD", "Sicily", "1", "1", "m", "2"}).is_error("ERR syntax error"));
  CHECK(t.Run({"GEOADD", "Sicily", "nx", "xx", "1", "1", "m"}).is_error("ERR syntax error"));
  CHECK(t.Run({"GEOADD", "Sicily", "gt", "1", "m"}).is_error("ERR value is not a valid float"));
  CHECK(t.Run({"GEOADD", "Sicily", "ch", "ch", "ch"}).is_error("ERR syntax error"));
  // A bad pair anywhere means nothing is added.
  CHECK(t.Run({"GEOADD", "k", "1", "1", "a", "200", "1", "b"}).is_error("ERR invalid*"));
  CHECK(t.Run({"EXISTS", "k"}) == 0);

  CHECK(t.Run({"GEOADD", "k", "nx", "ch", "1", "1", "a", "2", "2", "b"}) == 2);
  CHECK(t.Run({"GEOADD", "k", "nx", "1", "5", "a", "3", "3", "c"}) == 1);
  CHECK(t.Run({"GEOADD", "k", "xx", "ch", "1", "2", "a", "4", "4", "d"}) == 1);
  CHECK(t.Run({"GEOADD", "k", "1", "3", "a"}) == 0);
  CHECK(t.Run({"GEOADD", "k", "ch", "1", "4", "a"}) == 1);
  CHECK(t.Run({"ZCARD", "k"}) == 3);

  CHECK(t.Run({"SET", "str", "x"}) == "OK");
  CHECK(t.Run({"GEOADD", "str", "1", "1", "a"}).is_error(kWrongType));
  // Coordinates are checked before the key's type.
  CHECK(t.Run({"GEOADD", "str", "1", "100", "a"}).is_error("ERR invalid*"));
}

TEST_CASE("GEOPOS, GEOHASH, GEODIST", "[geo]") {
  TestServer t;
  AddSicily(t);
  RespValue r = t.Run({"GEOPOS", "Sicily", "Palermo", "nonex"});
  REQUIRE(r.size() == 2);
  CHECK(r[0].strings() == V{"13.36138933897018433", "38.11555639549629859"});
  CHECK(r[1].type == RespValue::kNullArray);
  CHECK(t.Run({"GEOPOS", "Sicily"}).size() == 0);
  CHECK(t.Run({"GEOPOS", "nokey", "a"})[0].is_null());

  r = t.Run({"GEOHASH", "Sicily", "Palermo", "Catania", "nonex"});
  REQUIRE(r.size() == 3);
  CHECK(r[0] == "sqc8b49rny0");
  CHECK(r[1] == "sqdtr74hyu0");
  CHECK(r[2].type == RespValue::kNull);

  CHECK(t.Run({"GEODIST", "Sicily", "Palermo", "Catania"}) == "166274.1516");
  CHECK(t.Run({"GEODIST", "Sicily", "Palermo", "Catania", "km"}) == "166.2742");
  CHECK(t.Run({"GEODIST", "Sicily", "Palermo", "Catania", "MI"}) == "103.3182");
  CHECK(t.Run({"GEODIST", "Sicily", "Palermo", "Catania", "ft"}) == "545518.8700");
  CHECK(t.Run({"GEODIST", "Sicily", "Palermo", "Palermo"}) == "0.0000");
  CHECK(t.Run({"GEODIST", "Sicily", "Palermo", "Catania", "yd"})
            .is_error("ERR unsupported unit provided. please use M, KM, FT, MI"));
  CHECK(t.Run({"GEODIST", "Sicily", "Palermo", "Catania", "km", "x"}).is_error("ERR syntax error"));
  CHECK(t.Run({"GEODIST", "Sicily", "Palermo", "nonex"}).is_null());
  CHECK(t.Run({"GEODIST", "nokey", "a", "b"}).is_null());

  CHECK(t.Run({"SET", "str", "x"}) == "OK");
  CHECK(t.Run({"GEOPOS", "str", "a"}).is_error(kWrongType));
  CHECK(t.Run({"GEOHASH", "str", "a"}).is_error(kWrongType));
  CHECK(t.Run({"GEODIST", "str", "a", "b"}).is_error(kWrongType));

  UseResp3(t);
  r = t.Run({"GEOPOS", "Sicily", "Palermo", "nonex"});
  CHECK(r[0][0].type == RespValue::kDouble);
  CHECK(r[0][0] == "13.36138933897018433");
  CHECK(r[1].is_null());
  CHECK(t.Run({"GEODIST", "Sicily", "Palermo", "Catania", "km"}).type == RespValue::kBulk);
}

TEST_CASE("GEORADIUS replies and options", "[geo]") {
  TestServer t;
  AddSicily(t);
  CHECK(t.Run({"GEORADIUS", "Sicily", "15", "37", "100", "km"}).strings() == V{"Catania"});
  CHECK(t.Run({"GEORADIUS", "Sicily", "15", "37", "200", "km", "ASC"}).strings() ==
        V{"Catania", "Palermo"});
  CHECK(t.Run({"GEORADIUS", "Sicily", "15", "37", "200", "km", "DESC"}).strings() ==
        V{"Palermo", "Catania"});
  CHECK(t.Run({"GEORADIUS", "Sicily", "15", "37", "200", "km", "COUNT", "1"}).strings() ==
        V{"Catania"});
  CHECK(t.Run({"GEORADIUS", "Sicily", "0", "0", "1", "km"}).size() == 0);

  RespValue r =
      t.Run({"GEORADIUS", "Sicily", "15", "37", "200", "km", "WITHDIST", "WITHCOORD", "WITHHASH"});
  REQUIRE(r.size() == 2);
  REQUIRE(r[0].size() == 4);
  CHECK(r[0][0] == "Palermo");
  CHECK(r[0][1] == "190.4424");
  CHECK(r[0][2] == 3479099956230698);
  CHECK(r[0][3].strings() == V{"13.36138933897018433", "38.11555639549629859"});
  CHECK(r[1][0] == "Catania");
  CHECK(r[1][1] == "56.4413");
  CHECK(r[1][2] == 3479447370796909);

  CHECK(t.Run({"GEORADIUSBYMEMBER", "Sicily", "Palermo", "200", "km", "WITHDIST"})[1].strings() ==
        V{"Catania", "166.2742"});
  CHECK(t.Run({"GEORADIUSBYMEMBER_RO", "Sicily", "Palermo", "10", "km"}).strings() == V{"Palermo"});

  // Errors, in Redis's order.
  CHECK(t.Run({"GEORADIUS", "Sicily", "200", "37", "1", "km"}).is_error("ERR invalid*"));
  CHECK(t.Run({"GEORADIUS", "Sicily", "15", "37", "x", "km"}).is_error("ERR need numeric radius"));
  CHECK(t.Run({"GEORADIUS", "Sicily", "15", "37", "-1", "km"})
            .is_error("ERR radius cannot be negative"));
  CHECK(t.Run({"GEORADIUS", "Sicily", "15", "37", "1", "yd"}).is_error("ERR unsupported unit*"));
  CHECK(t.Run({"GEORADIUS", "Sicily", "15", "37", "1", "km", "COUNT", "0"})
            .is_error("ERR COUNT must be > 0"));
  CHECK(t.Run({"GEORADIUS", "Sicily", "15", "37", "1", "km", "COUNT", "x"})
            .is_error("ERR value is not an integer or out of range"));
  CHECK(
      t.Run({"GEORADIUS", "Sicily", "15", "37", "1", "km", "COUNT"}).is_error("ERR syntax error"));
  CHECK(t.Run({"GEORADIUS", "Sicily", "15", "37", "1", "km", "ANY"})
            .is_error("ERR the ANY argument requires COUNT argument"));
  CHECK(t.Run({"GEORADIUS", "Sicily", "15", "37", "1", "km", "STORE", "d", "WITHDIST"})
            .is_error("ERR STORE option in GEORADIUS is not compatible with WITHDIST, WITHHASH and "
                      "WITHCOORD options"));
  CHECK(t.Run({"GEORADIUS_RO", "Sicily", "15", "37", "1", "km", "STORE", "d"})
            .is_error("ERR syntax error"));
  CHECK(t.Run({"GEORADIUSBYMEMBER", "Sicily", "nonex", "1", "km"})
            .is_error("ERR could not decode requested zset member"));
  // No source: the options are parsed, the member is not looked at.
  CHECK(t.Run({"GEORADIUSBYMEMBER", "nokey", "m", "x", "km"}).size() == 0);
  CHECK(t.Run({"GEORADIUS", "nokey", "1", "1", "1", "km"}).size() == 0);
  CHECK(t.Run({"SET", "str", "x"}) == "OK");
  CHECK(t.Run({"GEORADIUS", "str", "200", "1", "1", "km"}).is_error(kWrongType));
}

TEST_CASE("GEORADIUS COUNT ANY stops at the first matches", "[geo]") {
  TestServer t;
  CHECK(t.Run({"GEOADD", "k", "10", "10", "a", "10.01", "10.01", "b", "10.02", "10.02", "c"}) == 3);
  // Unsorted: the first match in score order; sorted: the nearest of those.
  CHECK(t.Run({"GEORADIUS", "k", "10.02", "10.02", "100", "km", "COUNT", "1", "ANY"}).strings() ==
        V{"a"});
  CHECK(t.Run({"GEORADIUS", "k", "10.02", "10.02", "100", "km", "COUNT", "2", "ANY", "ASC"})
            .strings() == V{"b", "a"});
  CHECK(t.Run({"GEORADIUS", "k", "10.02", "10.02", "100", "km", "COUNT", "2"}).strings() ==
        V{"c", "b"});
}

TEST_CASE("GEOSEARCH shapes and errors", "[geo]") {
  TestServer t;
  AddSicily(t);
  CHECK(t.Run({"GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYBOX", "400", "400", "km", "ASC"})
            .strings() == V{"Catania", "Palermo"});
  CHECK(t.Run({"GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYBOX", "200", "200", "km"})
            .strings() == V{"Catania"});
  CHECK(t.Run({"GEOSEARCH", "Sicily", "FROMMEMBER", "Palermo", "BYRADIUS", "200", "km", "DESC"})
            .strings() == V{"Catania", "Palermo"});

  CHECK(t.Run({"GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "FROMMEMBER", "Palermo", "BYBOX",
               "1", "1", "km"})
            .is_error("ERR syntax error"));
  CHECK(
      t.Run({"GEOSEARCH", "Sicily", "BYBOX", "1", "1", "km", "ASC"})
          .is_error("ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for GEOSEARCH"));
  CHECK(t.Run({"geosearch", "Sicily", "FROMLONLAT", "15", "37", "ASC", "DESC"})
            .is_error("ERR exactly one of BYRADIUS and BYBOX can be specified for geosearch"));
  CHECK(t.Run({"GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "1", "km", "BYBOX", "1",
               "1", "km"})
            .is_error("ERR syntax error"));
  CHECK(
      t.Run({"GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "1", "km", "STORE", "x"})
          .is_error("ERR syntax error"));
  CHECK(t.Run({"GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYBOX", "-1", "1", "km"})
            .is_error("ERR height or width cannot be negative"));
  CHECK(t.Run({"GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYBOX", "x", "1", "km"})
            .is_error("ERR need numeric width"));
  CHECK(t.Run({"GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYBOX", "1", "x", "km"})
            .is_error("ERR need numeric height"));
  CHECK(t.Run({"GEOSEARCH", "Sicily", "FROMMEMBER", "nonex", "BYBOX", "1", "1", "km"})
            .is_error("ERR could not decode requested zset member"));
  CHECK(t.Run({"GEOSEARCH", "nokey", "FROMMEMBER", "nonex", "BYBOX", "1", "1", "km"}).size() == 0);
}

TEST_CASE("GEORADIUS STORE and STOREDIST, GEOSEARCHSTORE", "[geo]") {
  TestServer t;
  AddSicily(t);
  CHECK(t.Run({"SET", "dst", "x", "EX", "100"}) == "OK");
  CHECK(t.Run({"GEORADIUS", "Sicily", "15", "37", "200", "km", "STORE", "dst"}) == 2);
  CHECK(t.Run({"TTL", "dst"}) == -1);
  CHECK(t.Run({"ZRANGE", "dst", "0", "-1", "WITHSCORES"}).strings() ==
        V{"Palermo", "3479099956230698", "Catania", "3479447370796909"});
  CHECK(EncodingOf(t, "dst") == "listpack");
  CHECK(t.Run({"GEORADIUS", "Sicily", "15", "37", "200", "km", "STOREDIST", "dst"}) == 2);
  RespValue r = t.Run({"ZRANGE", "dst", "0", "-1", "WITHSCORES"});
  REQUIRE(r.size() == 4);
  CHECK(r[0] == "Catania");
  CHECK(std::stod(r[1].str) == Approx(56.4413).epsilon(1e-6));
  CHECK(t.Run({"GEORADIUSBYMEMBER", "Sicily", "Palermo", "1", "km", "STORE", "dst"}) == 1);
  CHECK(t.Run({"ZRANGE", "dst", "0", "-1"}).strings() == V{"Palermo"});
  // Nothing found, or no source: the destination is deleted.
  CHECK(t.Run({"GEORADIUS", "Sicily", "0", "0", "1", "km", "STORE", "dst"}) == 0);
  CHECK(t.Run({"EXISTS", "dst"}) == 0);
  CHECK(t.Run({"SET", "dst", "x"}) == "OK");
  CHECK(t.Run({"GEORADIUS", "nokey", "0", "0", "1", "km", "STORE", "dst"}) == 0);
  CHECK(t.Run({"EXISTS", "dst"}) == 0);

  CHECK(t.Run({"GEOSEARCHSTORE", "dst", "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km",
               "STOREDIST", "COUNT", "1"}) == 1);
  r = t.Run({"ZRANGE", "dst", "0", "-1", "WITHSCORES"});
  REQUIRE(r.size() == 2);
  CHECK(r[0] == "Catania");
  CHECK(t.Run({"GEOSEARCHSTORE", "dst", "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km",
               "WITHDIST"})
            .is_error("ERR GEOSEARCHSTORE is not compatible with WITHDIST, WITHHASH and WITHCOORD "
                      "options"));
  // The destination may be the source.
  CHECK(t.Run({"GEOSEARCHSTORE", "Sicily", "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "100",
               "km"}) == 1);
  CHECK(t.Run({"ZRANGE", "Sicily", "0", "-1"}).strings() == V{"Catania"});

  // A large result is stored as a skiplist.
  std::vector<std::string> add{"GEOADD", "many"};
  for (int i = 0; i < 200; ++i) {
    add.push_back(std::to_string(10 + i * 0.0001));
    add.push_back("10");
    add.push_back("m" + std::to_string(i));
  }
  CHECK(t.Run(add) == 200);
  CHECK(t.Run({"GEOSEARCHSTORE", "d2", "many", "FROMLONLAT", "10", "10", "BYRADIUS", "10", "km"}) ==
        200);
  CHECK(EncodingOf(t, "d2") == "skiplist");
}

TEST_CASE("GEO key positions: movablekeys only where STORE exists", "[geo]") {
  TestServer t;
  CHECK(t.Run({"COMMAND", "GETKEYS", "GEORADIUS", "k", "1", "1", "1", "km", "STORE", "a"})
            .strings() == V{"k", "a"});
  CHECK(t.Run({"COMMAND", "GETKEYS", "GEORADIUS", "k", "1", "1", "1", "km"}).strings() == V{"k"});
  CHECK(t.Run({"COMMAND", "GETKEYS", "GEORADIUSBYMEMBER", "k", "m", "1", "km", "STOREDIST", "b"})
            .strings() == V{"k", "b"});
  CHECK(t.Run({"COMMAND", "GETKEYS", "GEOSEARCHSTORE", "a", "b", "FROMLONLAT", "1", "1", "BYRADIUS",
               "1", "km"})
            .strings() == V{"a", "b"});
  auto flags = [&](const std::string& cmd) {
    return t.Run({"COMMAND", "INFO", cmd})[0][2].strings();
  };
  CHECK(flags("georadius") == V{"write", "denyoom", "movablekeys"});
  CHECK(flags("georadiusbymember") == V{"write", "denyoom", "movablekeys"});
  CHECK(flags("georadius_ro") == V{"readonly"});
  CHECK(flags("georadiusbymember_ro") == V{"readonly"});

  // A STORE invalidates a WATCH on its destination.
  CHECK(t.Run({"GEOADD", "src", "1", "1", "a"}) == 1);
  CHECK(t.Run({"WATCH", "dst"}) == "OK");
  CHECK(t.RunOn(1, {"GEORADIUS", "src", "1", "1", "1", "km", "STORE", "dst"}) == 1);
  CHECK(t.Run({"MULTI"}) == "OK");
  CHECK(t.Run({"GET", "x"}) == "QUEUED");
  CHECK(t.Run({"EXEC"}).is_null());
}

TEST_CASE("GEOSEARCH agrees with a brute-force scan", "[geo]") {
  TestServer t;
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> off(-2, 2);
  const double clon = 30, clat = 60;
  std::vector<std::string> add{"GEOADD", "pts"};
  for (int i = 0; i < 300; ++i) {
    add.push_back(std::to_string(clon + off(rng)));
    add.push_back(std::to_string(clat + off(rng)));
    add.push_back("p" + std::to_string(i));
  }
  REQUIRE(t.Run(add) == 300);
  RespValue all = t.Run({"ZRANGE", "pts", "0", "-1", "WITHSCORES"});
  for (double radius_km : {1.0, 20.0, 90.0, 250.0}) {
    std::set<std::string> expect;
    for (size_t i = 0; i < all.size(); i += 2) {
      double lon, lat;
      geo::DecodeScore(std::stod(all[i + 1].str), &lon, &lat);
      if (geo::Distance(clon, clat, lon, lat) <= radius_km * 1000) expect.insert(all[i].str);
    }
    RespValue got = t.Run({"GEOSEARCH", "pts", "FROMLONLAT", std::to_string(clon),
                           std::to_string(clat), "BYRADIUS", std::to_string(radius_km), "km"});
    auto s = got.strings();
    CHECK(std::set<std::string>(s.begin(), s.end()) == expect);
  }
}
