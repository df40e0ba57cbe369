#include "kv/geohash.h"

#include <cmath>

namespace ordis::geo {

namespace {

constexpr double kDegToRad = M_PI / 180.0;
// Redis's bound for step estimation: half the Mercator world width.
constexpr double kMercatorMax = 20037726.37;

double DegToRad(double d) {
  return d * kDegToRad;
}
double RadToDeg(double r) {
  return r / kDegToRad;
}

// Spreads the low 32 bits of v to the even bit positions.
uint64_t Spread(uint32_t v) {
  uint64_t x = v;
  x = (x | (x << 16)) & 0x0000FFFF0000FFFFULL;
  x = (x | (x << 8)) & 0x00FF00FF00FF00FFULL;
  x = (x | (x << 4)) & 0x0F0F0F0F0F0F0F0FULL;
  x = (x | (x << 2)) & 0x3333333333333333ULL;
  x = (x | (x << 1)) & 0x5555555555555555ULL;
  return x;
}

// Inverse of Spread: gathers the even bits of v into the low 32 bits.
uint32_t Gather(uint64_t v) {
  uint64_t x = v & 0x5555555555555555ULL;
  x = (x | (x >> 1)) & 0x3333333333333333ULL;
  x = (x | (x >> 2)) & 0x0F0F0F0F0F0F0F0FULL;
  x = (x | (x >> 4)) & 0x00FF00FF00FF00FFULL;
  x = (x | (x >> 8)) & 0x0000FFFF0000FFFFULL;
  x = (x | (x >> 16)) & 0x00000000FFFFFFFFULL;
  return static_cast<uint32_t>(x);
}

constexpr Range kLonRange{kLonMin, kLonMax};
constexpr Range kLatRange{kLatMin, kLatMax};

bool RangeIsZero(Range r) {
  return r.min == 0 && r.max == 0;
}

// Moves hash one cell along longitude (odd bits) or latitude (even bits),
// d = +1 or -1, wrapping around. The other coordinate's bits are kept.
void Move(HashBits* hash, int d, bool longitude) {
  const uint64_t mine_mask = longitude ? 0xaaaaaaaaaaaaaaaaULL : 0x5555555555555555ULL;
  const uint64_t other_mask = ~mine_mask;
  uint64_t mine = hash->bits & mine_mask;
  uint64_t other = hash->bits & other_mask;
  // The other coordinate's bit positions within the hash: setting them to
  // one makes a carry (or borrow) propagate across them.
  uint64_t fill = other_mask >> (64 - hash->step * 2);
  if (d > 0) {
    mine = mine + (fill + 1);
  } else {
    mine = (mine | fill) - (fill + 1);
  }
  mine &= mine_mask >> (64 - hash->step * 2);
  hash->bits = mine | other;
}

}  // namespace

bool Encode(Range lon_range, Range lat_range, double lon, double lat, uint8_t step, HashBits* out) {
  if (step > 32 || step == 0 || RangeIsZero(lat_range) || RangeIsZero(lon_range)) return false;
  if (lon > kLonMax || lon < kLonMin || lat > kLatMax || lat < kLatMin) return false;
  out->bits = 0;
  out->step = step;
  if (lat < lat_range.min || lat > lat_range.max || lon < lon_range.min || lon > lon_range.max)
    return false;
  double lat_offset = (lat - lat_range.min) / (lat_range.max - lat_range.min);
  double lon_offset = (lon - lon_range.min) / (lon_range.max - lon_range.min);
  lat_offset *= static_cast<double>(1ULL << step);
  lon_offset *= static_cast<double>(1ULL << step);
  // Truncation to an integer cell index, as Redis's conversion to uint32.
  out->bits =
      Spread(static_cast<uint32_t>(lat_offset)) | (Spread(static_cast<uint32_t>(lon_offset)) << 1);
  return true;
}

bool EncodeWGS84(double lon, double lat, uint8_t step, HashBits* out) {
  return Encode(kLonRange, kLatRange, lon, lat, step, out);
}

bool Decode(Range lon_range, Range lat_range, HashBits hash, Area* out) {
  if (hash.IsZero() || RangeIsZero(lat_range) || RangeIsZero(lon_range)) return false;
  out->hash = hash;
  double cells = static_cast<double>(1ULL << hash.step);
  uint32_t ilat = Gather(hash.bits);
  uint32_t ilon = Gather(hash.bits >> 1);
  double lat_scale = lat_range.max - lat_range.min;
  double lon_scale = lon_range.max - lon_range.min;
  out->lat.min = lat_range.min + (ilat * 1.0 / cells) * lat_scale;
  out->lat.max = lat_range.min + ((ilat + 1) * 1.0 / cells) * lat_scale;
  out->lon.min = lon_range.min + (ilon * 1.0 / cells) * lon_scale;
  out->lon.max = lon_range.min + ((ilon + 1) * 1.0 / cells) * lon_scale;
  return true;
}

bool DecodeWGS84(HashBits hash, Area* out) {
  return Decode(kLonRange, kLatRange, hash, out);
}

bool DecodeToLonLat(HashBits hash, double* lon, double* lat) {
  Area a;
  if (!DecodeWGS84(hash, &a)) return false;
  *lon = std::fmin(std::fmax((a.lon.min + a.lon.max) / 2, kLonMin), kLonMax);
  *lat = std::fmin(std::fmax((a.lat.min + a.lat.max) / 2, kLatMin), kLatMax);
  return true;
}

uint64_t Align52(HashBits hash) {
  return hash.bits << (52 - hash.step * 2);
}

uint64_t ScoreOf(double lon, double lat) {
  HashBits h;
  EncodeWGS84(lon, lat, kStepMax, &h);
  return Align52(h);
}

void DecodeScore(double score, double* lon, double* lat) {
  // The double -> uint64 conversion as x86-64 performs Redis's C cast,
  // kept defined for scores a GEOADD never produced (negative, huge, NaN).
  uint64_t bits;
  if (std::isnan(score)) {
    bits = 0x8000000000000000ULL;
  } else if (score < 0) {
    bits = score > -9223372036854775808.0 ? static_cast<uint64_t>(static_cast<int64_t>(score))
                                          : 0x8000000000000000ULL;
  } else {
    bits = score < 18446744073709551616.0 ? static_cast<uint64_t>(score) : 0;
  }
  DecodeToLonLat(HashBits{bits, kStepMax}, lon, lat);
}

void ScoreRangeOfBox(HashBits hash, uint64_t* min, uint64_t* max) {
  *min = Align52(hash);
  ++hash.bits;
  *max = Align52(hash);
}

Neighbors NeighborsOf(HashBits hash) {
  auto moved = [&](int dx, int dy) {
    HashBits h = hash;
    if (dx) Move(&h, dx, true);
    if (dy) Move(&h, dy, false);
    return h;
  };
  Neighbors n;
  n.east = moved(1, 0);
  n.west = moved(-1, 0);
  n.south = moved(0, -1);
  n.north = moved(0, 1);
  n.north_west = moved(-1, 1);
  n.north_east = moved(1, 1);
  n.south_east = moved(1, -1);
  n.south_west = moved(-1, -1);
  return n;
}

double LatDistance(double lat1, double lat2) {
  return kEarthRadiusMeters * std::fabs(DegToRad(lat2) - DegToRad(lat1));
}

double Distance(double lon1, double lat1, double lon2, double lat2) {
  double lon1r = DegToRad(lon1);
  double lon2r = DegToRad(lon2);
  double v = std::sin((lon2r - lon1r) / 2);
  // Same meridian: the haversine reduces to the latitude difference.
  if (v == 0.0) return LatDistance(lat1, lat2);
  double lat1r = DegToRad(lat1);
  double lat2r = DegToRad(lat2);
  double u = std::sin((lat2r - lat1r) / 2);
  double a = u * u + std::cos(lat1r) * std::cos(lat2r) * v * v;
  return 2.0 * kEarthRadiusMeters * std::asin(std::sqrt(a));
}

std::string GeohashString(double lon, double lat) {
  static constexpr char kAlphabet[] = "0123456789bcdefghjkmnpqrstuvwxyz";
  // The standard geohash uses -90..90 for latitude, not Mercator's limits.
  HashBits h;
  Encode(Range{-180, 180}, Range{-90, 90}, lon, lat, kStepMax, &h);
  std::string out(11, '0');
  for (int i = 0; i < 10; ++i) out[i] = kAlphabet[(h.bits >> (52 - (i + 1) * 5)) & 0x1f];
  return out;
}

Bounds BoundingBox(const Shape& shape) {
  bool circle = shape.type == Shape::kCircle;
  double height = shape.to_meters * (circle ? shape.radius : shape.height / 2);
  double width = shape.to_meters * (circle ? shape.radius : shape.width / 2);
  double lat_delta = RadToDeg(height / kEarthRadiusMeters);
  double lon_delta_top =
      RadToDeg(width / kEarthRadiusMeters / std::cos(DegToRad(shape.lat + lat_delta)));
  double lon_delta_bottom =
      RadToDeg(width / kEarthRadiusMeters / std::cos(DegToRad(shape.lat - lat_delta)));
  // Meridians converge towards the pole: the wider edge of the box is the
  // one nearer the equator.
  bool south = shape.lat < 0;
  Bounds b;
  b.min_lon = shape.lon - (south ? lon_delta_bottom : lon_delta_top);
  b.max_lon = shape.lon + (south ? lon_delta_bottom : lon_delta_top);
  b.min_lat = shape.lat - lat_delta;
  b.max_lat = shape.lat + lat_delta;
  return b;
}

uint8_t EstimateStepsByRadius(double range_meters, double lat) {
  if (range_meters == 0) return 26;
  int step = 1;
  while (range_meters < kMercatorMax) {
    range_meters *= 2;
    ++step;
  }
  step -= 2;  // so that the range fits in most cases
  // Cells narrow towards the poles.
  if (lat > 66 || lat < -66) {
    --step;
    if (lat > 80 || lat < -80) --step;
  }
  if (step < 1) step = 1;
  if (step > 26) step = 26;
  return static_cast<uint8_t>(step);
}

SearchCells CellsForShape(const Shape& shape) {
  Bounds b = BoundingBox(shape);
  double radius_meters = shape.type == Shape::kCircle
                             ? shape.radius
                             : std::sqrt((shape.width / 2) * (shape.width / 2) +
                                         (shape.height / 2) * (shape.height / 2));
  radius_meters *= shape.to_meters;

  int steps = EstimateStepsByRadius(radius_meters, shape.lat);
  HashBits hash;
  Area area;
  EncodeWGS84(shape.lon, shape.lat, static_cast<uint8_t>(steps), &hash);
  Neighbors n = NeighborsOf(hash);
  DecodeWGS84(hash, &area);

  // Near a cell edge the estimated step can be too fine for the 3x3 block
  // to cover the bounding box: use cells twice as large then.
  Area north, south, east, west;
  DecodeWGS84(n.north, &north);
  DecodeWGS84(n.south, &south);
  DecodeWGS84(n.east, &east);
  DecodeWGS84(n.west, &west);
  bool decrease = north.lat.max < b.max_lat || south.lat.min > b.min_lat ||
                  east.lon.max < b.max_lon || west.lon.min > b.min_lon;
  if (steps > 1 && decrease) {
    --steps;
    EncodeWGS84(shape.lon, shape.lat, static_cast<uint8_t>(steps), &hash);
    n = NeighborsOf(hash);
    DecodeWGS84(hash, &area);
  }

  // Drop the neighbours the bounding box does not reach.
  if (steps >= 2) {
    if (area.lat.min < b.min_lat) n.south = n.south_west = n.south_east = HashBits{};
    if (area.lat.max > b.max_lat) n.north = n.north_east = n.north_west = HashBits{};
    if (area.lon.min < b.min_lon) n.west = n.south_west = n.north_west = HashBits{};
    if (area.lon.max > b.max_lon) n.east = n.south_east = n.north_east = HashBits{};
  }
  SearchCells out{{hash, n.north, n.south, n.east, n.west, n.north_east, n.north_west, n.south_east,
                   n.south_west},
                  area};
  return out;
}

bool WithinShape(const Shape& shape, double score, double* lon, double* lat, double* dist) {
  DecodeScore(score, lon, lat);
  if (shape.type == Shape::kCircle) {
    *dist = Distance(shape.lon, shape.lat, *lon, *lat);
    return *dist <= shape.radius * shape.to_meters;
  }
  // Box: the latitude test is cheaper, so it goes first.
  double width = shape.width * shape.to_meters;
  double height = shape.height * shape.to_meters;
  if (LatDistance(*lat, shape.lat) > height / 2) return false;
  if (Distance(*lon, *lat, shape.lon, *lat) > width / 2) return false;
  *dist = Distance(shape.lon, shape.lat, *lon, *lat);
  return true;
}

}  // namespace ordis::geo
