#include "platform/boot_id.h"

#include <fstream>

namespace rxbench::platform {

std::string BootId() {
  std::ifstream in("/proc/sys/kernel/random/boot_id");
  std::string id;
  std::getline(in, id);
  return id;
}

}  // namespace rxbench::platform
