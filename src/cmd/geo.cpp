// Placeholder: filled in by the geo family work.
#include "cmd/families.h"

namespace ordis {

std::span<const CommandSpec> GeoCommands() {
  return {};
}

}  // namespace ordis
