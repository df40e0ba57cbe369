#include "util/strutil.h"

#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace ordis {

bool ParseUint64(std::string_view s, uint64_t* out) {
  if (s.empty() || s.size() > 20) return false;
  if (s.size() == 1 && s[0] == '0') {
    *out = 0;
    return true;
  }
  if (s[0] < '1' || s[0] > '9') return false;
  uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    uint64_t d = static_cast<uint64_t>(c - '0');
    if (v > (UINT64_MAX - d) / 10) return false;
    v = v * 10 + d;
  }
  *out = v;
  return true;
}

bool ParseInt64(std::string_view s, int64_t* out) {
  if (s.empty()) return false;
  bool neg = false;
  if (s[0] == '-') {
    neg = true;
    s.remove_prefix(1);
    if (s.empty() || s == "0") return false;  // "-" and "-0" are not canonical
  }
  uint64_t v;
  if (!ParseUint64(s, &v)) return false;
  if (neg) {
    if (v > static_cast<uint64_t>(INT64_MAX) + 1) return false;
    *out = static_cast<int64_t>(0 - v);
  } else {
    if (v > static_cast<uint64_t>(INT64_MAX)) return false;
    *out = static_cast<int64_t>(v);
  }
  return true;
}

bool ParseLongDouble(std::string_view s, long double* out) {
  if (s.empty() || s.size() > 5000) return false;
  if (std::isspace(static_cast<unsigned char>(s[0]))) return false;
  std::string buf(s);
  char* end = nullptr;
  errno = 0;
  long double v = strtold(buf.c_str(), &end);
  if (end != buf.c_str() + buf.size()) return false;
  if (std::isnan(v)) return false;
  if (errno == ERANGE && (v == HUGE_VALL || v == -HUGE_VALL || v == 0)) return false;
  *out = v;
  return true;
}

bool ParseDouble(std::string_view s, double* out) {
  if (s.empty() || s.size() > 5000) return false;
  if (std::isspace(static_cast<unsigned char>(s[0]))) return false;
  std::string buf(s);
  char* end = nullptr;
  errno = 0;
  double v = strtod(buf.c_str(), &end);
  if (end != buf.c_str() + buf.size()) return false;
  if (std::isnan(v)) return false;
  if (errno == ERANGE && v == 0) return false;  // underflow
  *out = v;
  return true;
}

size_t AppendInt64(std::string* out, int64_t v) {
  char buf[24];
  char* p = buf + sizeof(buf);
  uint64_t u = v < 0 ? 0 - static_cast<uint64_t>(v) : static_cast<uint64_t>(v);
  do {
    *--p = static_cast<char>('0' + u % 10);
    u /= 10;
  } while (u);
  if (v < 0) *--p = '-';
  size_t n = static_cast<size_t>(buf + sizeof(buf) - p);
  out->append(p, n);
  return n;
}

std::string Int64ToString(int64_t v) {
  std::string s;
  AppendInt64(&s, v);
  return s;
}

std::string LongDoubleToString(long double v) {
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  char buf[5200];
  int n = snprintf(buf, sizeof(buf), "%.17Lf", v);
  if (n <= 0 || static_cast<size_t>(n) >= sizeof(buf)) return "0";
  std::string s(buf, static_cast<size_t>(n));
  if (s.find('.') != std::string::npos) {
    while (!s.empty() && s.back() == '0') s.pop_back();
    if (!s.empty() && s.back() == '.') s.pop_back();
  }
  if (s == "-0") s = "0";
  return s;
}

std::string DoubleToString(double v) {
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  char buf[128];
  int n = snprintf(buf, sizeof(buf), "%.17g", v);
  return std::string(buf, static_cast<size_t>(n));
}

static inline char Fold(char c, bool nocase) {
  return nocase ? static_cast<char>(std::tolower(static_cast<unsigned char>(c))) : c;
}

// Matches one non-star pattern unit at p against c; sets *next to the unit's
// end. Every unit other than '*' consumes exactly one character, which is
// what makes the single-backtrack loop in GlobMatch correct and linear-ish.
static bool MatchUnit(const char* p, const char* pend, char c, bool nocase, const char** next) {
  switch (*p) {
    case '?':
      *next = p + 1;
      return true;
    case '[': {
      ++p;
      bool negate = false;
      if (p < pend && *p == '^') {
        negate = true;
        ++p;
      }
      bool match = false;
      while (p < pend && *p != ']') {
        if (*p == '\\' && p + 1 < pend) {
          ++p;
          if (Fold(*p, nocase) == Fold(c, nocase)) match = true;
        } else if (p + 2 < pend && p[1] == '-') {
          char a = Fold(p[0], nocase), b = Fold(p[2], nocase), x = Fold(c, nocase);
          if (a > b) std::swap(a, b);
          if (x >= a && x <= b) match = true;
          p += 2;
        } else if (Fold(*p, nocase) == Fold(c, nocase)) {
          match = true;
        }
        ++p;
      }
      *next = p < pend ? p + 1 : pend;  // unterminated class ends the pattern
      return negate ? !match : match;
    }
    case '\\':
      if (p + 1 < pend) ++p;
      [[fallthrough]];
    default:
      *next = p + 1;
      return Fold(*p, nocase) == Fold(c, nocase);
  }
}

// Redis's matcher recurses once per '*' group and gives up (no match) past a
// depth of 1000. Every '*' group followed by more pattern costs one level on
// any successful match, so a pattern with more than 1000 such groups never
// matches there; we answer the same without recursing.
static bool TooManyStarGroups(std::string_view pattern) {
  if (pattern.size() <= 2000) return false;  // needs > 1000 groups and separators
  size_t groups = 0;
  for (size_t i = 0; i < pattern.size(); ++i) {
    char c = pattern[i];
    if (c == '\\') {
      ++i;
    } else if (c == '[') {
      while (i + 1 < pattern.size() && pattern[i + 1] != ']') i += pattern[i + 1] == '\\' ? 2 : 1;
      ++i;
    } else if (c == '*') {
      while (i + 1 < pattern.size() && pattern[i + 1] == '*') ++i;
      if (i + 1 < pattern.size()) ++groups;
    }
  }
  return groups > 1000;
}

bool GlobMatch(std::string_view pattern, std::string_view str, bool nocase) {
  if (TooManyStarGroups(pattern)) return false;
  const char* p = pattern.data();
  const char* pend = p + pattern.size();
  const char* s = str.data();
  const char* send = s + str.size();
  const char* star_p = nullptr;  // pattern position after the last '*'
  const char* star_s = nullptr;  // string position that '*' will absorb next
  while (s < send) {
    if (p < pend && *p == '*') {
      while (p < pend && *p == '*') ++p;
      if (p == pend) return true;
      star_p = p;
      star_s = s;
      continue;
    }
    const char* next;
    if (p < pend && MatchUnit(p, pend, *s, nocase, &next)) {
      p = next;
      ++s;
      continue;
    }
    if (!star_p) return false;
    p = star_p;
    s = ++star_s;
  }
  while (p < pend && *p == '*') ++p;
  return p == pend;
}

bool EqualsNoCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  }
  return true;
}

void ToLowerInPlace(std::string* s) {
  for (char& c : *s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
}

std::string ToLower(std::string_view s) {
  std::string r(s);
  ToLowerInPlace(&r);
  return r;
}

static int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::optional<std::vector<std::string>> SplitArgs(std::string_view line) {
  std::vector<std::string> out;
  size_t i = 0, n = line.size();
  while (true) {
    while (i < n && std::isspace(static_cast<unsigned char>(line[i]))) ++i;
    if (i >= n) return out;
    std::string cur;
    bool inq = false, insq = false, done = false;
    while (!done) {
      if (inq) {
        if (i >= n) return std::nullopt;
        if (line[i] == '\\' && i + 3 < n && line[i + 1] == 'x' && HexValue(line[i + 2]) >= 0 &&
            HexValue(line[i + 3]) >= 0) {
          cur.push_back(static_cast<char>(HexValue(line[i + 2]) * 16 + HexValue(line[i + 3])));
          i += 3;
        } else if (line[i] == '\\' && i + 1 < n) {
          ++i;
          char c;
          switch (line[i]) {
            case 'n':
              c = '\n';
              break;
            case 'r':
              c = '\r';
              break;
            case 't':
              c = '\t';
              break;
            case 'b':
              c = '\b';
              break;
            case 'a':
              c = '\a';
              break;
            default:
              c = line[i];
              break;
          }
          cur.push_back(c);
        } else if (line[i] == '"') {
          // closing quote must be followed by a space or nothing
          if (i + 1 < n && !std::isspace(static_cast<unsigned char>(line[i + 1])))
            return std::nullopt;
          done = true;
        } else {
          cur.push_back(line[i]);
        }
      } else if (insq) {
        if (i >= n) return std::nullopt;
        if (line[i] == '\\' && i + 1 < n && line[i + 1] == '\'') {
          ++i;
          cur.push_back('\'');
        } else if (line[i] == '\'') {
          if (i + 1 < n && !std::isspace(static_cast<unsigned char>(line[i + 1])))
            return std::nullopt;
          done = true;
        } else {
          cur.push_back(line[i]);
        }
      } else {
        if (i >= n) {
          done = true;
          break;
        }
        switch (line[i]) {
          case ' ':
          case '\n':
          case '\r':
          case '\t':
          case '\0':
            done = true;
            break;
          case '"':
            inq = true;
            break;
          case '\'':
            insq = true;
            break;
          default:
            cur.push_back(line[i]);
            break;
        }
      }
      if (i < n) ++i;
    }
    out.push_back(std::move(cur));
  }
}

bool ParseMemory(std::string_view s, int64_t* out) {
  if (s.empty()) return false;
  std::string low = ToLower(s);
  int64_t mul = 1;
  size_t cut = low.size();
  struct Unit {
    const char* suffix;
    int64_t mul;
  };
  static const Unit kUnits[] = {{"gb", 1024LL * 1024 * 1024},
                                {"mb", 1024LL * 1024},
                                {"kb", 1024},
                                {"g", 1000LL * 1000 * 1000},
                                {"m", 1000LL * 1000},
                                {"k", 1000},
                                {"b", 1}};
  for (const Unit& u : kUnits) {
    size_t l = strlen(u.suffix);
    if (low.size() > l && low.compare(low.size() - l, l, u.suffix) == 0) {
      mul = u.mul;
      cut = low.size() - l;
      break;
    }
  }
  int64_t v;
  if (!ParseInt64(std::string_view(low).substr(0, cut), &v) || v < 0) return false;
  if (v > INT64_MAX / mul) return false;
  *out = v * mul;
  return true;
}

std::string HumanBytes(uint64_t n) {
  char buf[64];
  double d = static_cast<double>(n);
  if (n < 1024) {
    snprintf(buf, sizeof(buf), "%lluB", static_cast<unsigned long long>(n));
  } else if (n < 1024ULL * 1024) {
    snprintf(buf, sizeof(buf), "%.2fK", d / 1024);
  } else if (n < 1024ULL * 1024 * 1024) {
    snprintf(buf, sizeof(buf), "%.2fM", d / (1024 * 1024));
  } else {
    snprintf(buf, sizeof(buf), "%.2fG", d / (1024.0 * 1024 * 1024));
  }
  return buf;
}

}  // namespace ordis
