// The pipeline text: what a --pipeline must contain, and the udpsrc swap.
#include "pipeline/pipeline_description.h"

#include <gtest/gtest.h>

namespace rxbench::harness {
namespace {

TEST(PipelineDescriptionTest, DefaultPasses) { EXPECT_EQ(CheckDescription(kDefaultPipeline), ""); }

TEST(PipelineDescriptionTest, NeedsAnAppsrcNamedSrcAndAnElementNamedSink) {
  EXPECT_NE(CheckDescription("fakesrc ! fakesink name=sink").find("appsrc name=src"), std::string::npos);
  EXPECT_NE(CheckDescription("appsrc name=source ! fakesink name=sink").find("appsrc name=src"), std::string::npos);
  EXPECT_NE(CheckDescription("appsrc name=src ! fakesink").find("sink"), std::string::npos);
  EXPECT_NE(CheckDescription("appsrc name=src ! fakesink name=sink2").find("sink"), std::string::npos);
  EXPECT_EQ(CheckDescription("appsrc is-live=true name=src ! queue ! fakesink name=sink sync=false"), "");
}

TEST(PipelineDescriptionTest, UdpsrcTakesAppsrcsPlaceAndProperties) {
  EXPECT_EQ(WithUdpsrc("appsrc name=src is-live=true max-bytes=10 ! queue ! fakesink name=sink"),
            "udpsrc name=src ! queue ! fakesink name=sink");
  // Only the source; the rest of the pipeline is left as it was.
  EXPECT_EQ(WithUdpsrc("appsrc name=src ! appsink name=sink"), "udpsrc name=src ! appsink name=sink");
}

// Every named preset is a pipeline the harness can run; production is the
// default; a name no preset has is refused, not taken as the default.
TEST(PipelineDescriptionTest, Presets) {
  ASSERT_EQ(PresetNames().size(), 3u);
  for (const std::string& name : PresetNames()) {
    ASSERT_NE(PresetDescription(name), nullptr) << name;
    EXPECT_EQ(CheckDescription(PresetDescription(name)), "") << name;
  }
  EXPECT_STREQ(PresetDescription("production"), kDefaultPipeline);
  EXPECT_EQ(PresetDescription("h265"), nullptr);
  EXPECT_EQ(PresetDescription(""), nullptr);
}

}  // namespace
}  // namespace rxbench::harness
