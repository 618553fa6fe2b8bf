// The strategy catalogue the reports read instead of re-typing names
// (`rxbench list --json`, context.catalogue): each preset's role, the preset a
// variant's name belongs to, and the thread-name rules the CPU attribution
// itself uses.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "pipeline/thread_roles.h"
#include "receivers/strategy.h"
#include "results/results_json.h"

namespace rxbench::harness {
namespace {

TEST(StrategyCatalogue, RolesFollowTheReceiverKind) {
  using receivers::StrategyRole;
  EXPECT_EQ(receivers::FindPreset("udpsrc")->Role(), StrategyRole::kReference);
  EXPECT_EQ(receivers::FindPreset("null")->Role(), StrategyRole::kFloor);
  EXPECT_EQ(receivers::FindPreset("null+gro")->Role(), StrategyRole::kFloor);
  EXPECT_EQ(receivers::FindPreset("baseline")->Role(), StrategyRole::kOrdinary);
  EXPECT_TRUE(receivers::FindPreset(receivers::kDefaultReference));
}

TEST(StrategyCatalogue, TheLongestPresetThatStartsAVariantsName) {
  EXPECT_EQ(receivers::PresetNameOf("pooled+buffer=freelist"), "pooled");
  EXPECT_EQ(receivers::PresetNameOf("null+gro"), "null+gro");
  EXPECT_EQ(receivers::PresetNameOf("null+gro+measure=minimal"), "null+gro");
  EXPECT_EQ(receivers::PresetNameOf("null+measure=minimal"), "null");
  EXPECT_EQ(receivers::PresetNameOf("combined-list"), "combined-list");
  // A name a preset's name merely starts is not that preset.
  EXPECT_EQ(receivers::PresetNameOf("pooledx"), "");
  EXPECT_EQ(receivers::PresetNameOf("nosuch+buffer=alloc"), "");
}

TEST(StrategyCatalogue, ListsEveryPresetInOrderWithItsPolicies) {
  const nlohmann::json catalogue = CatalogueJson();
  const nlohmann::json& strategies = catalogue["strategies"];
  ASSERT_EQ(strategies.size(), receivers::Presets().size());
  for (std::size_t i = 0; i < strategies.size(); ++i) {
    EXPECT_EQ(strategies[i]["name"], receivers::Presets()[i].name);
  }
  auto of = [&](const std::string& name) {
    for (const nlohmann::json& s : strategies) {
      if (s["name"] == name) return s;
    }
    return nlohmann::json();
  };
  EXPECT_EQ(of("combined-list")["push"], "list");
  EXPECT_EQ(of("combined-list")["role"], "ordinary");
  // A kind without a policy has it null, never a made-up value.
  EXPECT_TRUE(of("udpsrc")["recv"].is_null());
  EXPECT_EQ(of("null+gro")["recv"], "gro");
  EXPECT_TRUE(of("null+gro")["buffer"].is_null());
  EXPECT_EQ(catalogue["default_reference"], receivers::kDefaultReference);
}

TEST(StrategyCatalogue, ThreadNameRulesAreTheOnesAttributionUses) {
  const nlohmann::json catalogue = CatalogueJson();
  std::set<std::string> prefixes;
  for (const nlohmann::json& rule : catalogue["thread_names"]) {
    if (rule.contains("comm_prefix")) prefixes.insert(rule["comm_prefix"].get<std::string>());
  }
  ASSERT_FALSE(prefixes.empty());
  // Every prefix the catalogue states makes a thread the receiver's here too,
  // whenever it was born (1 predates the run).
  ThreadRoles roles({1}, 99);
  for (const std::string& prefix : prefixes) {
    EXPECT_EQ(roles.Identify(1, prefix + "7").role, ThreadRole::kReceiver) << prefix;
  }
  EXPECT_EQ(catalogue["thread_otherwise"], "pipeline");
}

}  // namespace
}  // namespace rxbench::harness
