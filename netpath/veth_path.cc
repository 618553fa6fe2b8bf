#include "netpath/veth_path.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <thread>
#include <vector>

extern char** environ;

namespace rxbench::netpath {
namespace {

// The path is made with iproute2 and ethtool, run as programs: creating a
// veth pair across namespaces, addresses and routes, and ethtool's feature
// flags by hand means rtnetlink and ETHTOOL_MSG_FEATURES_SET messages, a few
// hundred lines that the two tools already get right. They are not on the
// measured path: a run makes the path once, before any traffic.
// Where `tool` is: on PATH, else in /usr/sbin or /sbin, where Debian puts
// ethtool and ip and where a PATH without the sbin directories (a test's, a
// user's under sudo -E) would not look. "" when nowhere.
std::string Locate(const std::string& tool) {
  const char* env = std::getenv("PATH");
  std::string dirs = std::string(env != nullptr ? env : "") + ":/usr/sbin:/sbin";
  std::size_t start = 0;
  while (start <= dirs.size()) {
    const std::size_t end = std::min(dirs.find(':', start), dirs.size());
    const std::string dir = dirs.substr(start, end - start);
    if (!dir.empty() && access((dir + "/" + tool).c_str(), X_OK) == 0) return dir + "/" + tool;
    start = end + 1;
  }
  return "";
}

// Runs argv; "" when it exited 0, else its first line of stderr.
std::string Run(const std::vector<std::string>& argv) {
  int err_pipe[2];
  if (pipe2(err_pipe, O_CLOEXEC) != 0) return std::string("pipe: ") + std::strerror(errno);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, err_pipe[1], STDERR_FILENO);
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  const std::string program = Locate(argv[0]);
  pid_t child = -1;
  const int rc =
      program.empty() ? ENOENT : posix_spawn(&child, program.c_str(), &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(err_pipe[1]);
  std::string err;
  char buf[512];
  for (ssize_t n; (n = read(err_pipe[0], buf, sizeof buf)) > 0;) err.append(buf, static_cast<std::size_t>(n));
  close(err_pipe[0]);
  std::string line;
  for (const std::string& a : argv) line += (line.empty() ? "" : " ") + a;
  if (rc != 0) return line + ": " + std::strerror(rc);
  int status = 0;
  while (waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return "";
  const std::string first = err.substr(0, err.find('\n'));
  return line + ": " + (first.empty() ? "failed" : first);
}

bool Alive(pid_t pid) { return kill(pid, 0) == 0 || errno == EPERM; }

std::vector<std::string> Entries(const char* dir) {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) names.push_back(entry.path().filename());
  return names;
}

// Removes both namespaces (the pair goes with them); what is already gone is
// not an error.
void Remove(const VethNames& names) {
  for (const std::string* ns : {&names.sender_netns, &names.receiver_netns}) {
    if (std::filesystem::exists("/run/netns/" + *ns)) Run({"ip", "netns", "del", *ns});
  }
}

// The one path of this process, for the signal watcher.
std::mutex g_mutex;
const VethNames* g_names = nullptr;  // under g_mutex; null once removed
int g_signal_pipe[2] = {-1, -1};
std::thread* g_watcher = nullptr;
constexpr int kSignals[] = {SIGINT, SIGTERM, SIGHUP};
struct sigaction g_previous[3];

void OnSignal(int sig) {
  const unsigned char s = static_cast<unsigned char>(sig);
  [[maybe_unused]] ssize_t n = write(g_signal_pipe[1], &s, 1);
}

// On a stop signal: removes the path, then dies of the signal as the process
// would have without the path (exit status 128 + signal to a shell).
void Watch() {
  unsigned char sig = 0;
  ssize_t n;
  while ((n = read(g_signal_pipe[0], &sig, 1)) < 0 && errno == EINTR) {
  }
  if (n != 1) return;  // the path was removed: nothing to watch
  {
    std::lock_guard<std::mutex> lock(g_mutex);
    if (g_names != nullptr) {
      Remove(*g_names);
      std::fprintf(stderr, "rxbench: stopped by signal %d; removed network namespaces %s and %s\n", sig,
                   g_names->sender_netns.c_str(), g_names->receiver_netns.c_str());
      g_names = nullptr;
    }
  }
  signal(sig, SIG_DFL);
  raise(sig);
}

void WatchSignals(const VethNames* names) {
  g_names = names;
  // Without a pipe the signals stay as they were: a kill -9 the next start cleans up.
  if (pipe2(g_signal_pipe, O_CLOEXEC) != 0) return;
  g_watcher = new std::thread(Watch);
  for (int i = 0; i < 3; ++i) {
    sigaction(kSignals[i], nullptr, &g_previous[i]);
    // A signal this process was started ignoring (nohup, a shell's
    // background job) stays ignored: it cannot end the run.
    if (g_previous[i].sa_handler == SIG_IGN) continue;
    struct sigaction action {};
    action.sa_handler = OnSignal;
    sigemptyset(&action.sa_mask);
    sigaction(kSignals[i], &action, nullptr);
  }
}

void StopWatching() {
  if (g_watcher == nullptr) return;  // never watched: no pipe for one
  for (int i = 0; i < 3; ++i) sigaction(kSignals[i], &g_previous[i], nullptr);
  close(g_signal_pipe[1]);  // the watcher reads the end and returns
  g_watcher->join();
  delete g_watcher;
  g_watcher = nullptr;
  close(g_signal_pipe[0]);
}

}  // namespace

std::string VethPath::CheckCanCreate() {
  if (geteuid() != 0) {
    return "--path veth needs root: it creates network namespaces and a veth pair (CAP_SYS_ADMIN, CAP_NET_ADMIN); "
           "run it with sudo, or use --path loopback";
  }
  for (const char* tool : {"ip", "ethtool"}) {
    if (Locate(tool).empty()) {
      return std::string("--path veth needs `") + tool + "` (" + (tool[0] == 'i' ? "iproute2" : "ethtool") +
             "; bootstrap/debian-packages.txt)";
    }
  }
  return "";
}

void RemoveLeftBehind() {
  const pid_t self = getpid();
  for (const std::string& ns : LeftBehind(Entries("/run/netns"), self, Alive)) {
    const std::string problem = Run({"ip", "netns", "del", ns});
    std::fprintf(stderr, "rxbench: %s network namespace %s left by a run (pid %d) that no longer runs%s%s\n",
                 problem.empty() ? "removed" : "could not remove", ns.c_str(), *OwnerOf(ns),
                 problem.empty() ? "" : ": ", problem.c_str());
  }
  // A pair outside the namespaces: only if a run died between creating it
  // and moving it (today it is created inside them; kept for older leftovers).
  for (const std::string& dev : LeftBehind(Entries("/sys/class/net"), self, Alive)) {
    const std::string problem = Run({"ip", "link", "del", dev});
    std::fprintf(stderr, "rxbench: %s veth %s left by a run (pid %d) that no longer runs%s%s\n",
                 problem.empty() ? "removed" : "could not remove", dev.c_str(), *OwnerOf(dev),
                 problem.empty() ? "" : ": ", problem.c_str());
  }
}

std::unique_ptr<VethPath> VethPath::Create(bool threaded_napi, std::string* error) {
  if (std::string problem = CheckCanCreate(); !problem.empty()) {
    *error = problem;
    return nullptr;
  }
  std::unique_lock<std::mutex> lock(g_mutex);
  if (g_watcher != nullptr) {
    *error = "one veth path per process";
    return nullptr;
  }
  RemoveLeftBehind();
  std::unique_ptr<VethPath> path(new VethPath(NamesFor(getpid())));
  const VethNames& n = path->names_;
  // Watched from before the first namespace exists: a Ctrl-C while they are
  // made removes what was made so far.
  WatchSignals(&n);
  const std::string sender_cidr = std::string(kSenderAddress) + "/" + std::to_string(kPrefixLength);
  const std::string receiver_cidr = std::string(kReceiverAddress) + "/" + std::to_string(kPrefixLength);
  std::vector<std::vector<std::string>> steps = {
      {"ip", "netns", "add", n.sender_netns},
      {"ip", "netns", "add", n.receiver_netns},
      // Both ends made inside their namespaces: no moment where a device of
      // this run is in the caller's namespace.
      {"ip", "link", "add", n.sender_dev, "netns", n.sender_netns, "type", "veth", "peer", "name", n.receiver_dev,
       "netns", n.receiver_netns},
      {"ip", "-n", n.sender_netns, "addr", "add", sender_cidr, "dev", n.sender_dev},
      {"ip", "-n", n.receiver_netns, "addr", "add", receiver_cidr, "dev", n.receiver_dev},
      {"ip", "-n", n.sender_netns, "link", "set", n.sender_dev, "up"},
      {"ip", "-n", n.receiver_netns, "link", "set", n.receiver_dev, "up"},
      // GRO gives the receiving veth its NAPI instance (and kernel GRO);
      // rx-udp-gro-forwarding lets UDP be coalesced for a local socket too.
      {"ip", "netns", "exec", n.receiver_netns, Locate("ethtool"), "-K", n.receiver_dev, "gro", "on",
       "rx-udp-gro-forwarding", "on"},
  };
  // Threaded NAPI: the receiving end's poll runs in a kernel thread of its
  // own (napi/DEV-N) instead of in the sender's softirq right after each
  // packet, so packets wait for it and GRO has more than one to coalesce.
  // Set after GRO is on (GRO is what gives the veth its NAPI instance). Its
  // sysfs file is the device's only in the receiver's namespace: `ip netns
  // exec` mounts that namespace's /sys for the shell.
  if (threaded_napi) {
    steps.push_back({"ip", "netns", "exec", n.receiver_netns, "/bin/sh", "-c",
                     "echo 1 > /sys/class/net/" + n.receiver_dev + "/threaded"});
  }
  for (const std::vector<std::string>& step : steps) {
    if (std::string problem = Run(step); !problem.empty()) {
      *error = "--path veth: " + problem;
      Remove(n);
      g_names = nullptr;
      lock.unlock();  // StopWatching joins the watcher, which may wait for the lock
      StopWatching();
      return nullptr;
    }
  }
  return path;
}

VethPath::~VethPath() {
  {
    std::lock_guard<std::mutex> lock(g_mutex);
    if (g_names != nullptr) Remove(names_);
    g_names = nullptr;
  }
  StopWatching();
}

}  // namespace rxbench::netpath
