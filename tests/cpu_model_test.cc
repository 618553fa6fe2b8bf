#include "platform/cpu_model.h"

#include <gtest/gtest.h>

namespace rxbench::platform {
namespace {

TEST(CpuModelTest, FirstModelNameTrimmed) {
  const char* cpuinfo =
      "processor\t: 0\n"
      "vendor_id\t: GenuineIntel\n"
      "model\t\t: 85\n"
      "model name\t: Intel(R) Xeon(R) Platinum 8259CL CPU @ 2.50GHz  \n"
      "processor\t: 1\n"
      "model name\t: Something Else\n";
  EXPECT_EQ(CpuModelFrom(cpuinfo), "Intel(R) Xeon(R) Platinum 8259CL CPU @ 2.50GHz");
}

TEST(CpuModelTest, OtherKeysThatStartAlikeAreNotIt) {
  // "model" alone is the model number, not its name.
  EXPECT_EQ(CpuModelFrom("model\t\t: 85\nmodel names: x\n"), "");
  EXPECT_EQ(CpuModelFrom("CPU part\t: 0xd0c\n"), "");
  EXPECT_EQ(CpuModelFrom(""), "");
}

TEST(CpuModelTest, ThisMachineHasAName) { EXPECT_FALSE(CpuModel().empty()); }

}  // namespace
}  // namespace rxbench::platform
