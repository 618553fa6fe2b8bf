#include "pipeline/element_names.h"

#include <cctype>

namespace rxbench::harness {

std::string ReportedName(GstElement* element) {
  const std::string name = GST_OBJECT_NAME(element);
  GstElementFactory* factory = gst_element_get_factory(element);
  if (factory == nullptr) return name;
  const std::string factory_name = GST_OBJECT_NAME(factory);
  if (name.size() <= factory_name.size() || name.compare(0, factory_name.size(), factory_name) != 0) return name;
  for (std::size_t i = factory_name.size(); i < name.size(); ++i) {
    if (!std::isdigit(static_cast<unsigned char>(name[i]))) return name;
  }
  return factory_name;
}

}  // namespace rxbench::harness
