// Geohash arithmetic behind the GEO commands, as Redis 7.0 does it: pure
// functions, no keyspace access.
//
// A position is stored as the score of a sorted set member: a 52-bit
// interleaved geohash (26 steps of longitude and latitude bits) over the
// Web Mercator limits (longitude -180..180, latitude -85.05112878..
// 85.05112878), converted to double exactly (52 bits fit the mantissa).
// Bit layout, as in Redis: latitude bits at even positions, longitude bits
// at odd positions, most significant step first.
//
// Distances are great-circle (haversine) distances on a sphere of Redis's
// radius, 6372797.560856 m, so results match Redis to the last digit.
#pragma once

#include <cstdint>
#include <string>

namespace ordis::geo {

inline constexpr double kLonMin = -180;
inline constexpr double kLonMax = 180;
inline constexpr double kLatMin = -85.05112878;
inline constexpr double kLatMax = 85.05112878;
inline constexpr int kStepMax = 26;  // 26 * 2 = 52 bits
inline constexpr double kEarthRadiusMeters = 6372797.560856;

// A geohash of `step` bits per coordinate. bits == 0 && step == 0 is the
// "no box" value (an excluded neighbour).
struct HashBits {
  uint64_t bits = 0;
  uint8_t step = 0;
  bool IsZero() const { return bits == 0 && step == 0; }
  bool operator==(const HashBits&) const = default;
};

struct Range {
  double min = 0, max = 0;
};

// The cell a hash designates.
struct Area {
  HashBits hash;
  Range lon, lat;
};

struct Neighbors {
  HashBits north, south, east, west, north_east, north_west, south_east, south_west;
};

// Encodes (lon, lat) in the given coordinate ranges. Returns false when
// step is outside 1..32 or the point is outside the Mercator limits or the
// ranges.
bool Encode(Range lon_range, Range lat_range, double lon, double lat, uint8_t step, HashBits* out);
// The Mercator ranges above.
bool EncodeWGS84(double lon, double lat, uint8_t step, HashBits* out);
// The cell of hash within the ranges; false for a zero hash.
bool Decode(Range lon_range, Range lat_range, HashBits hash, Area* out);
bool DecodeWGS84(HashBits hash, Area* out);
// The centre of hash's cell, clamped to the Mercator limits.
bool DecodeToLonLat(HashBits hash, double* lon, double* lat);

// hash's bits shifted to the 52-bit score scale.
uint64_t Align52(HashBits hash);
// The sorted set score of a position. REQUIRES: a valid lon/lat pair.
uint64_t ScoreOf(double lon, double lat);
// The position a score stands for (the cell centre). Any score decodes, as
// in Redis, even if it was not made by GEOADD.
void DecodeScore(double score, double* lon, double* lat);
// The half-open score interval [*min, *max) holding every point of hash's
// cell.
void ScoreRangeOfBox(HashBits hash, uint64_t* min, uint64_t* max);

// The eight cells around hash at the same step (wrapping around).
Neighbors NeighborsOf(HashBits hash);

// Haversine distance in meters between two points given in degrees.
double Distance(double lon1, double lat1, double lon2, double lat2);
// Distance along a meridian between two latitudes.
double LatDistance(double lat1, double lat2);

// The standard 11-character geohash string (-90..90 latitude range) of a
// position; the 11th character is always '0' (52 bits only), as in Redis.
std::string GeohashString(double lon, double lat);

// The area a search covers: a circle of `radius`, or an axis-aligned box of
// width x height, around (lon, lat). Sizes are in the unit of
// `to_meters` (meters per unit).
struct Shape {
  enum Type { kCircle, kBox } type = kCircle;
  double lon = 0, lat = 0;
  double radius = 0;
  double width = 0, height = 0;
  double to_meters = 1;
};

// [min lon, min lat, max lon, max lat] of the shape's bounding box.
struct Bounds {
  double min_lon, min_lat, max_lon, max_lat;
};
Bounds BoundingBox(const Shape& shape);

// The step whose cells are about as large as range_meters at latitude lat.
uint8_t EstimateStepsByRadius(double range_meters, double lat);

// The nine cells (centre first, then N, S, E, W, NE, NW, SE, SW) that
// cover the shape; cells that cannot contain a match are zero.
struct SearchCells {
  HashBits cells[9];
  Area centre;
};
SearchCells CellsForShape(const Shape& shape);

// True when the point encoded by score is inside the shape; *lon/*lat
// receive its position and *dist its distance in meters from the centre.
bool WithinShape(const Shape& shape, double score, double* lon, double* lat, double* dist);

}  // namespace ordis::geo
