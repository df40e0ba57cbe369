#include "harness.h"

#include <stdexcept>

namespace ordis::test {

const RespValue& RespValue::at(std::string_view key) const {
  for (size_t i = 0; i + 1 < elems.size(); i += 2)
    if (elems[i].str == key) return elems[i + 1];
  throw std::out_of_range("no key " + std::string(key) + " in " + ToString());
}

std::vector<std::string> RespValue::strings() const {
  std::vector<std::string> out;
  for (const RespValue& e : elems)
    out.push_back(e.type == kInteger ? std::to_string(e.integer) : e.str);
  return out;
}

bool RespValue::operator==(std::string_view s) const {
  switch (type) {
    case kSimple:
    case kBulk:
    case kDouble:
    case kBigNum:
    case kVerbatim:
      return str == s;
    case kInteger:
      return std::to_string(integer) == s;
    default:
      return false;
  }
}

std::string RespValue::ToString() const {
  switch (type) {
    case kSimple:
      return "+" + str;
    case kError:
      return "-" + str;
    case kInteger:
      return ":" + std::to_string(integer);
    case kBulk:
      return "\"" + str + "\"";
    case kNull:
      return "(nil)";
    case kNullArray:
      return "(nil array)";
    case kDouble:
      return "," + str;
    case kBool:
      return integer ? "#t" : "#f";
    case kBigNum:
      return "(" + str;
    case kVerbatim:
      return "=" + str;
    default: {
      std::string r = type == kMap ? "{" : "[";
      for (size_t i = 0; i < elems.size(); ++i) r += (i ? ", " : "") + elems[i].ToString();
      return r + (type == kMap ? "}" : "]");
    }
  }
}

static bool ReadLine(const std::string& buf, size_t* pos, std::string* line) {
  size_t e = buf.find("\r\n", *pos);
  if (e == std::string::npos) return false;
  *line = buf.substr(*pos, e - *pos);
  *pos = e + 2;
  return true;
}

bool DecodeResp(const std::string& buf, size_t* pos, RespValue* out) {
  if (*pos >= buf.size()) return false;
  char t = buf[(*pos)++];
  std::string line;
  if (!ReadLine(buf, pos, &line)) return false;
  auto count = [&](int64_t* n) { return ParseInt64(line, n); };
  int64_t n = 0;
  switch (t) {
    case '+':
      out->type = RespValue::kSimple;
      out->str = line;
      return true;
    case '-':
      out->type = RespValue::kError;
      out->str = line;
      return true;
    case ':':
      out->type = RespValue::kInteger;
      return count(&out->integer);
    case '_':
      out->type = RespValue::kNull;
      return true;
    case ',':
      out->type = RespValue::kDouble;
      out->str = line;
      return true;
    case '(':
      out->type = RespValue::kBigNum;
      out->str = line;
      return true;
    case '#':
      out->type = RespValue::kBool;
      out->integer = line == "t";
      return true;
    case '$':
    case '=': {
      if (!count(&n)) return false;
      if (n < 0) {
        out->type = RespValue::kNull;
        return true;
      }
      if (buf.size() < *pos + static_cast<size_t>(n) + 2) return false;
      out->type = t == '$' ? RespValue::kBulk : RespValue::kVerbatim;
      out->str = buf.substr(*pos, static_cast<size_t>(n));
      if (t == '=') out->str = out->str.substr(4);
      *pos += static_cast<size_t>(n) + 2;
      return true;
    }
    case '*':
    case '~':
    case '>':
    case '%': {
      if (!count(&n)) return false;
      if (n < 0) {
        out->type = RespValue::kNullArray;
        return true;
      }
      out->type = t == '*'   ? RespValue::kArray
                  : t == '~' ? RespValue::kSet
                  : t == '>' ? RespValue::kPush
                             : RespValue::kMap;
      int64_t items = t == '%' ? n * 2 : n;
      for (int64_t i = 0; i < items; ++i) {
        RespValue v;
        if (!DecodeResp(buf, pos, &v)) return false;
        out->elems.push_back(std::move(v));
      }
      return true;
    }
    default:
      return false;
  }
}

TestServer::TestServer(Config cfg) : server_(std::make_unique<Server>(std::move(cfg))) {
  client(0);
}

TestServer::~TestServer() {
  for (auto& c : clients_) server_->RemoveClient(c.get());
}

Client& TestServer::client(int i) {
  while (static_cast<int>(clients_.size()) <= i) {
    auto c = std::make_unique<Client>();
    c->id = server_->NextClientId();
    c->ctime_ms = c->last_interaction_ms = Server::NowMs();
    c->authenticated = server_->config().requirepass.empty();
    c->addr = "127.0.0.1:" + std::to_string(40000 + clients_.size());
    c->laddr = "127.0.0.1:6379";
    server_->AddClient(c.get());
    clients_.push_back(std::move(c));
  }
  return *clients_[static_cast<size_t>(i)];
}

RespValue TestServer::Run(const std::vector<std::string>& args) {
  return RunOn(0, args);
}

RespValue TestServer::RunOn(int ci, const std::vector<std::string>& args) {
  Client& c = client(ci);
  c.out.Clear();
  std::vector<std::string_view> views(args.begin(), args.end());
  if (c.flags & Client::kReplySkipNext) {
    c.flags &= ~Client::kReplySkipNext;
    c.flags |= Client::kReplySkip;
  }
  server_->Dispatch(c, views);
  c.flags &= ~Client::kReplySkip;
  std::string buf(c.out.view());
  c.out.Clear();
  RespValue v;
  size_t pos = 0;
  if (buf.empty()) {
    v.type = RespValue::kNull;
    v.str = "(no reply)";
    return v;
  }
  if (!DecodeResp(buf, &pos, &v) || pos != buf.size())
    throw std::runtime_error("undecodable or multiple replies: " + buf.substr(0, 200));
  return v;
}

std::vector<RespValue> TestServer::Drain(int ci) {
  Client& c = client(ci);
  std::string buf(c.out.view());
  c.out.Clear();
  std::vector<RespValue> out;
  size_t pos = 0;
  while (pos < buf.size()) {
    RespValue v;
    if (!DecodeResp(buf, &pos, &v)) break;
    out.push_back(std::move(v));
  }
  return out;
}

}  // namespace ordis::test
