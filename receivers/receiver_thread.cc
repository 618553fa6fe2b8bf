#include "receivers/receiver_thread.h"

#include "platform/this_thread.h"

namespace rxbench::receivers {

void SetUpReceiverThread(const char* name, const ReceiverConfig& config) {
  platform::NameCurrentThread(name);
  if (config.spec->cpu >= 0) platform::PinThread(0, config.spec->cpu);  // the CPU was validated by the command line
  if (config.on_thread_start) config.on_thread_start(platform::CurrentTid());
}

}  // namespace rxbench::receivers
