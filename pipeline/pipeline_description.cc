#include "pipeline/pipeline_description.h"

#include <regex>

namespace rxbench::harness {
namespace {

// The appsrc element with its properties, up to the next link.
const std::regex& AppsrcElement() {
  static const std::regex element(R"(appsrc\b[^!]*\bname=src\b[^!]*)");
  return element;
}

}  // namespace

std::string CheckDescription(const std::string& description) {
  if (!std::regex_search(description, AppsrcElement())) return "pipeline must contain an element 'appsrc name=src'";
  static const std::regex sink(R"((^|[\s!])name=sink(\s|!|$))");
  if (!std::regex_search(description, sink)) return "pipeline must contain an element named 'sink'";
  return "";
}

const std::vector<std::string>& PresetNames() {
  static const std::vector<std::string> names = {"production", "h264", "h264-depay"};
  return names;
}

const char* PresetDescription(const std::string& preset) {
  if (preset == "production") return kDefaultPipeline;
  if (preset == "h264") return kH264Pipeline;
  if (preset == "h264-depay") return kH264DepayPipeline;
  return nullptr;
}

std::string WithUdpsrc(const std::string& description) {
  return std::regex_replace(description, AppsrcElement(), "udpsrc name=src ", std::regex_constants::format_first_only);
}

}  // namespace rxbench::harness
