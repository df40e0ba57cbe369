// Placeholder: filled in by the sort family work.
#include "cmd/families.h"

namespace ordis {

std::span<const CommandSpec> SortCommands() {
  return {};
}

}  // namespace ordis
