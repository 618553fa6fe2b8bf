// rxbench: benchmark and profiling harness for UDP/RTP video receive paths.
// This file is the command line only: it parses options into run settings, asks
// the runner for results and hands them to the reporters.
//
// Exit codes: 0 ok, 1 a run failed, 2 usage or configuration error (one line on
// stderr saying what is wrong).
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <optional>
#include <sstream>

#include "commands/command_line.h"
#include "commands/gen_command.h"
#include "commands/preflight.h"
#include "commands/recv_command.h"
#include "commands/subcommand_summary.h"
#include "netpath/veth_path.h"
#include "pipeline/pipeline.h"
#include "receivers/strategy.h"
#include "results/console_table.h"
#include "results/output_files.h"
#include "results/results_json.h"
#include "run/runner.h"
#include "run/scenario.h"

namespace rxbench::harness {
namespace {

constexpr int kExitOk = 0;
constexpr int kExitRunFailed = 1;
constexpr int kExitUsage = 2;

// Enough pairs for the paired statistics to reach p < 0.05 (the exact
// Wilcoxon signed-rank test cannot with fewer than 6), within the 90 s the
// default compare may take (README).
constexpr int kDefaultCompareRepetitions = 6;

// Everything a results file needs besides the runs: the command line, and
// for compare the analysis options (context.invocation, read by the wrapper's
// statistics).
struct Output {
  std::string file;  // "" = no results file
  nlohmann::json invocation = nlohmann::json::object();
};

// The results so far, written atomically: a long invocation that fails or is
// interrupted part-way keeps every repetition that finished.
bool SaveResults(const spec::RunSpec& base, const std::vector<RunResult>& results, const Output& output) {
  const char* handoff = std::getenv("RXBENCH_HANDOFF");
  const nlohmann::json json = ResultsJson(SettingsJson(base), results, output.invocation);
  std::string error;
  for (const std::string& path : {output.file, std::string(handoff != nullptr ? handoff : "")}) {
    if (!path.empty() && !WriteJsonFile(path, json, &error)) {
      std::fprintf(stderr, "rxbench: %s\n", error.c_str());
      return false;
    }
  }
  return true;
}

// Runs every (repetition, strategy) pair, interleaved: repetition 1 of every
// strategy, then repetition 2, ... so slow drifts of the machine spread evenly.
// The order rotates from one repetition to the next: a run right after another
// is cheaper than the same run first (caches, page cache, scheduler state;
// README, "Order matters"), so a fixed order would favour whoever comes second.
std::vector<RunResult> RunAll(const spec::RunSpec& base, const std::vector<Contender>& contenders, int repetitions,
                              const Output& output) {
  std::vector<RunResult> results;
  const std::size_t n = contenders.size();
  // A progress line for invocations longer than 2 s, when someone watches.
  const double total_s =
      static_cast<double>(base.traffic.TotalPackets()) / base.traffic.rate_pps * static_cast<double>(n) * repetitions;
  const bool progress = total_s > 2.0 && isatty(STDERR_FILENO);
  int done = 0;
  for (int rep = 0; rep < repetitions; ++rep) {
    for (std::size_t k = 0; k < n; ++k) {
      const Contender& contender = contenders[(k + static_cast<std::size_t>(rep)) % n];
      const receivers::StrategySpec& s = contender.spec;
      spec::RunSpec c = base;  // the whole model, once per run: the contender changes its strategy
      c.receive.receiver.strategy = s;
      if (contender.measure) c.receive.measurement.per_packet = *contender.measure == Measure::kFull;
      if (contender.path) c.path = *contender.path;
      // The receive side binds the receiving end of the pair; the generator sends there.
      if (c.path == spec::Path::kVeth) c.receive.socket.bind_host = netpath::kReceiverAddress;
      if (progress) {
        std::fprintf(stderr, "\r  run %d/%zu: %-30s repetition %d/%d", ++done, n * repetitions, s.name.c_str(), rep + 1,
                     repetitions);
      }
      RunResult r = RunOnce(c, /*progress=*/true);
      if (progress) std::fprintf(stderr, "\r%80s\r", "");
      r.repetition_index = rep;
      r.repetitions = repetitions;
      if (!r.ok)
        std::fprintf(stderr, "rxbench: %s (repetition %d) failed: %s\n", s.name.c_str(), rep + 1, r.error.c_str());
      if (r.generator_fell_behind) {
        std::fprintf(stderr,
                     "rxbench: %s (repetition %d): the generator fell behind: it offered %.0f pps where %.0f were "
                     "asked for (generator_fell_behind)\n",
                     s.name.c_str(), rep + 1, r.achieved_pps, r.offered_pps);
      }
      if (r.pipeline_flushed) {
        std::fprintf(stderr,
                     "rxbench: %s (repetition %d): the pipeline stopped delivering while it drained and was flushed; "
                     "what it held is counted in pipeline_drops (README, \"Known problems\")\n",
                     s.name.c_str(), rep + 1);
      }
      results.push_back(std::move(r));
      SaveResults(base, results, output);
    }
  }
  return results;
}

// Where the packets travel: "loopback", "veth (10.201.0.1 -> 10.201.0.2 ...)",
// or both for a compare over two paths.
std::string DescribePaths(const spec::RunSpec& c, const std::vector<Contender>& contenders) {
  bool veth = c.path == spec::Path::kVeth, other = false;
  for (const Contender& contender : contenders) {
    if (contender.path) other = true;
    if (contender.path == spec::Path::kVeth) veth = true;
  }
  std::string text = std::string(spec::ToString(c.path));
  if (other) text += std::string(" and ") + (c.path == spec::Path::kVeth ? "loopback" : "veth") + " (rows +path=)";
  if (veth) {
    const netpath::VethNames n = netpath::NamesFor(getpid());
    text += std::string("; veth: ") + netpath::kSenderAddress + " in " + n.sender_netns + " -> " +
            netpath::kReceiverAddress + " in " + n.receiver_netns + ", GRO on, " + spec::ToString(c.veth_napi) +
            " NAPI";
  }
  return text;
}

void PrintHeader(const spec::RunSpec& c, int repetitions, const std::vector<Contender>& contenders) {
  const std::size_t strategies = contenders.size();
  const spec::StreamsSpec& many = c.receive.streams;
  const std::string streams = !many.many() ? ""
                                           : " per stream x " + std::to_string(many.streams) + " streams (" +
                                                 spec::ToString(many.sockets) + ", " + std::to_string(many.receivers) +
                                                 " receiver" + (many.receivers == 1 ? "" : "s") + ")";
  std::printf(
      "scenario %s: %s %.0f pps offered%s, %zu B payload, %llu packets%s; %d repetition%s x %zu strateg%s%s; path "
      "%s\n",
      c.scenario.c_str(), traffic_gen::ToString(c.traffic.shape), c.traffic.rate_pps,
      c.traffic.shape == traffic_gen::Shape::kBurst ? (" at " + std::to_string(int(c.traffic.fps)) + " fps").c_str()
                                                    : "",
      c.traffic.payload_bytes, static_cast<unsigned long long>(c.traffic.TotalPackets()), streams.c_str(), repetitions,
      repetitions == 1 ? "" : "s", strategies, strategies == 1 ? "y" : "ies",
      !c.receive.measurement.per_packet ? " (measure minimal)" : "", DescribePaths(c, contenders).c_str());
  std::fflush(stdout);
}

int Report(const spec::RunSpec& base, const std::vector<RunResult>& results, const Output& output) {
  PrintResultsTable(results, stdout, isatty(STDOUT_FILENO));
  if (std::string counters = DescribeCounters(results); !counters.empty()) std::printf("%s\n", counters.c_str());
  if (!SaveResults(base, results, output)) return kExitRunFailed;
  if (!output.file.empty()) std::printf("results: %s\n", output.file.c_str());
  for (const RunResult& r : results) {
    if (!r.ok) return kExitRunFailed;
  }
  return kExitOk;
}

void PrintList() {
  std::printf("strategies (buffer/sync/recv/push):\n");
  for (const receivers::StrategySpec& s : receivers::Presets()) {
    std::printf("  %-14s %-32s %s\n", s.name.c_str(), s.Policies().c_str(), s.description.c_str());
  }
  std::printf("\nreceive wait (a fifth axis; every preset sleeps, override with +wait=... or --wait):\n");
  std::printf("  %-16s %s\n", "sleep", "block until a datagram comes (the default)");
  std::printf("  %-16s %s\n", "busy-poll", "SO_BUSY_POLL, and epoll busy polling where the loop waits in ppoll");
  std::printf("  %-16s %s\n", "prefer-busy-poll",
              "busy-poll with SO_PREFER_BUSY_POLL and a raised SO_BUSY_POLL_BUDGET (CAP_NET_ADMIN)");
  std::printf("  %-16s %s\n", "napi", "io_uring NAPI busy polling (recv=iouring only)");
  std::printf("  every busy wait polls --busy-poll-us; none has any effect without a NAPI instance (loopback)\n");
  std::printf("\nscenarios:\n");
  for (const Scenario& s : Scenarios()) std::printf("  %-14s %s\n", s.name.c_str(), s.description.c_str());
  std::printf("\ndefault pipeline:\n  %s\n", kDefaultPipeline);
}

// What `list` shows, for programs: the catalogue every results file carries
// (results_json.h), the scenarios and the default pipeline.
void PrintListJson() {
  nlohmann::json json = CatalogueJson();
  nlohmann::json& scenarios = json["scenarios"] = nlohmann::json::array();
  for (const Scenario& s : Scenarios()) scenarios.push_back({{"name", s.name}, {"description", s.description}});
  json["default_pipeline"] = kDefaultPipeline;
  std::printf("%s\n", json.dump(2).c_str());
}

// The whole command line as one string, for the results' context: enough to
// run the same thing again.
std::string CommandLine(int argc, char** argv) {
  std::string line;
  for (int i = 0; i < argc; ++i) {
    std::string arg = argv[i];
    const bool plain = !arg.empty() && arg.find_first_of(" \t'\"\\$`!*?;&|<>()[]{}~#") == std::string::npos;
    if (!plain) {
      std::string quoted = "'";
      for (char c : arg) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
      arg = quoted + "'";
    }
    line += (i ? " " : "") + arg;
  }
  return line;
}

// A PostgreSQL history (reports/history/db.py) is a URL, not a file.
bool IsPostgresUrl(const std::string& db) {
  return db.rfind("postgresql://", 0) == 0 || db.rfind("postgres://", 0) == 0;
}

// USER:PASSWORD@ before the host, or password= in the query.
bool UrlHasPassword(const std::string& url) {
  const std::size_t start = url.find("://") + 3;
  const std::size_t end = url.find_first_of("/?#", start);
  const std::string authority = url.substr(start, end == std::string::npos ? std::string::npos : end - start);
  const std::size_t at = authority.rfind('@');
  if (at != std::string::npos && authority.substr(0, at).find(':') != std::string::npos) return true;
  const std::size_t query = url.find('?');
  return query != std::string::npos &&
         (url.compare(query, 10, "?password=") == 0 || url.find("&password=", query) != std::string::npos);
}

// The analysis options of compare (the wrapper's statistics read them from
// context.invocation); output paths are checked here, before any traffic.
struct AnalysisOptions {
  std::string reference = receivers::kDefaultReference;
  std::string markdown, report, db, commit;
  bool record = false;

  nlohmann::json Invocation(const std::string& out_file) const {
    auto or_null = [](const std::string& s) { return s.empty() ? nlohmann::json(nullptr) : nlohmann::json(s); };
    return {{"command", "compare"},
            {"reference", reference},
            {"markdown", or_null(markdown)},
            {"report", or_null(report)},
            {"record", record},
            {"db", or_null(db)},
            {"commit", or_null(commit)},
            {"out_file", or_null(out_file)}};
  }

  void Check() const {
    if (!markdown.empty()) {
      if (std::string problem = CheckWritableFile(markdown, "--markdown"); !problem.empty()) throw UsageError{problem};
    }
    if (!report.empty()) {
      if (std::string problem = PrepareDirectory(report, "--report"); !problem.empty()) throw UsageError{problem};
    }
    if (IsPostgresUrl(db) && UrlHasPassword(db)) {
      // Not echoed: the URL would show the password. On the command line it is visible to
      // every user and would be saved in the results' context (command line, invocation).
      throw UsageError{
          "--db: a password in the URL would be visible to every user in /proc/PID/cmdline and saved in the "
          "results; give it in a password file (PGPASSFILE, default ~/.pgpass), PGPASSWORD, or a service file "
          "(PGSERVICEFILE, then --db 'postgresql://?service=NAME')"};
    }
    if (!db.empty() && !IsPostgresUrl(db)) {
      if (std::string problem = CheckWritableFile(db, "--db"); !problem.empty()) throw UsageError{problem};
    }
  }
};

// --port: a receive port of 127.0.0.1 chosen by the user (firewall rules, a
// capture filter); by default any free one.
void AddPortOption(CLI::App* command, Options* o) {
  command->add_option("--port", o->spec.receive.socket.port, "receive on this UDP port of 127.0.0.1 (0: any free port)")
      ->capture_default_str()
      ->check(CLI::Range(0, 65535));
}

// Whether any row runs over the veth path.
bool NeedsVeth(const spec::RunSpec& base, const std::vector<Contender>& contenders) {
  for (const Contender& contender : contenders) {
    if (contender.path.value_or(base.path) == spec::Path::kVeth) return true;
  }
  return false;
}

// The veth pair and its namespaces for the whole invocation, when a row
// needs them (null otherwise): made once, removed when it ends however it ends.
std::unique_ptr<netpath::VethPath> MakePath(const spec::RunSpec& base, const std::vector<Contender>& contenders) {
  if (!NeedsVeth(base, contenders)) return nullptr;
  std::string error;
  std::unique_ptr<netpath::VethPath> path =
      netpath::VethPath::Create(base.veth_napi == spec::VethNapi::kThreaded, &error);
  if (!path) throw UsageError{error};
  return path;
}

// What this host must offer each strategy (the port, io_uring, root for the
// veth path), before any traffic.
void CheckHostCanRun(const Options& o, const spec::RunSpec& base, const std::vector<Contender>& contenders) {
  if (std::string problem = VethNapiWithoutVeth(o, NeedsVeth(base, contenders)); !problem.empty())
    throw UsageError{problem};
  if (NeedsVeth(base, contenders)) {
    if (std::string problem = netpath::VethPath::CheckCanCreate(); !problem.empty()) throw UsageError{problem};
  }
  for (const Contender& contender : contenders) {
    spec::ReceiveSideSpec receive = base.receive;
    receive.receiver.strategy = contender.spec;
    if (std::string problem = Preflight(receive); !problem.empty()) throw UsageError{problem};
  }
}

int Main(int argc, char** argv) {
  CLI::App app{"rxbench: benchmark and profiling harness for UDP/RTP video receive paths"};
  app.require_subcommand(1);
  // ./rxbench names itself (RXBENCH_PROG): its users never see Bazel's path.
  if (const char* prog = std::getenv("RXBENCH_PROG"); prog != nullptr && *prog != '\0') app.name(prog);
  app.set_version_flag("--version", RxbenchVersion());

  bool list_json = false;
  CLI::App* list = app.add_subcommand("list", SubcommandSummary("list"));
  list->add_flag("--json", list_json,
                 "the strategies (with their roles and policies), thread-name rules and scenarios as JSON");

  Options run_options;
  std::string strategy, run_out;
  bool dry_run = false;
  CLI::App* run = app.add_subcommand("run", SubcommandSummary("run"));
  run->add_option("--strategy", strategy,
                  "strategy name (see `rxbench list`), optionally with overrides: pooled+buffer=gstpool")
      ->required();
  AddScenarioOptions(run, &run_options);
  run->add_option("--repetitions", run_options.repetitions, "repetitions (default 1)");
  AddPortOption(run, &run_options);
  AddPathOption(run, &run_options, /*list=*/false);
  run->add_option("--out", run_out, "results JSON file (Google Benchmark format)");
  run->add_flag("--dry-run", dry_run, "check the options and exit (0, or 2 with the problem) without sending traffic");

  Options compare_options;
  compare_options.repetitions = kDefaultCompareRepetitions;
  std::vector<std::string> strategies;
  std::string compare_out;
  AnalysisOptions analysis;
  CLI::App* compare = app.add_subcommand("compare", SubcommandSummary("compare"));
  compare
      ->add_option(
          "--strategies", strategies,
          "comma-separated strategies (default: all presets); each may carry overrides: pooled+buffer=gstpool+push=list")
      ->delimiter(',');
  AddScenarioOptions(compare, &compare_options);
  compare->add_option("--repetitions", compare_options.repetitions,
                      "interleaved repetitions (default " + std::to_string(kDefaultCompareRepetitions) + ")");
  compare->add_option("--out", compare_out, "directory for compare.json");
  AddPortOption(compare, &compare_options);
  AddPathOption(compare, &compare_options, /*list=*/true);
  compare->add_flag("--dry-run", dry_run,
                    "check the options and exit (0, or 2 with the problem) without sending traffic");
  compare->add_option("--reference", analysis.reference, "strategy the others are compared with (default baseline)");
  compare->add_option("--markdown", analysis.markdown, "also write the comparison as a Markdown table to FILE");
  compare->add_option("--report", analysis.report, "also write an HTML report (matplotlib) into DIR");
  compare->add_flag("--record", analysis.record, "record every repetition in the run history (SQLite)");
  compare->add_option("--db", analysis.db,
                      "history database: a SQLite file (default ~/.local/share/rxbench/history.db) or "
                      "postgresql://USER@HOST:PORT/DB (the password from PGPASSFILE or PGPASSWORD)");
  compare->add_option("--commit", analysis.commit, "the commit recorded with --record (default: git describe)");

  // The two halves of a run, each on its own (two hosts).
  RecvOptions recv_options;
  CLI::App* recv = AddRecvCommand(&app, &recv_options);
  GenOptions gen_options;
  CLI::App* gen = AddGenCommand(&app, &gen_options);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::string what = e.what();
    if (what.empty()) what = "missing subcommand: list, run, compare, recv or gen (see --help)";
    std::fprintf(stderr, "rxbench: %s\n", what.c_str());
    return kExitUsage;
  }

  try {
    if (list->parsed()) {
      if (list_json) {
        PrintListJson();
        return kExitOk;
      }
      PrintList();
      return kExitOk;
    }
    if (recv->parsed()) return RunRecv(recv_options, CommandLine(argc, argv));
    if (gen->parsed()) return RunGen(gen_options, CommandLine(argc, argv));
    Output output;
    output.invocation["command_line"] = CommandLine(argc, argv);
    if (app.got_subcommand("run")) {
      const spec::RunSpec base = MakeRunSpec(run_options);
      const Contender spec = ResolveStrategy(strategy, run_options);
      if (!run_out.empty()) {
        if (std::string problem = CheckWritableFile(run_out, "--out"); !problem.empty()) throw UsageError{problem};
      }
      CheckHostCanRun(run_options, base, {spec});
      if (dry_run) return kExitOk;
      output.file = run_out;
      const auto path = MakePath(base, {spec});
      PrintHeader(base, run_options.repetitions, {spec});
      return Report(base, RunAll(base, {spec}, run_options.repetitions, output), output);
    }
    const spec::RunSpec base = MakeRunSpec(compare_options);
    if (strategies.empty()) strategies = receivers::PresetNames();
    std::vector<Contender> specs;
    strategies = ExpandPaths(strategies, compare_options);
    for (const std::string& name : strategies) {
      specs.push_back(ResolveStrategy(name, compare_options));
      for (std::size_t i = 0; i + 1 < specs.size(); ++i) {
        if (specs[i].spec.name == specs.back().spec.name) {
          throw UsageError{"'" + name + "' is the same strategy as '" + strategies[i] + "' (" + specs.back().spec.name +
                           "): each row must differ"};
        }
      }
    }
    if (!compare_out.empty()) {
      if (std::string problem = PrepareDirectory(compare_out, "--out"); !problem.empty()) throw UsageError{problem};
      output.file = (std::filesystem::path(compare_out) / "compare.json").string();
    }
    analysis.Check();
    CheckHostCanRun(compare_options, base, specs);
    if (dry_run) return kExitOk;
    output.invocation["invocation"] = analysis.Invocation(output.file);
    const auto path = MakePath(base, specs);
    PrintHeader(base, compare_options.repetitions, specs);
    return Report(base, RunAll(base, specs, compare_options.repetitions, output), output);
  } catch (const UsageError& e) {
    std::fprintf(stderr, "rxbench: %s\n", e.message.c_str());
    return kExitUsage;
  }
}

}  // namespace
}  // namespace rxbench::harness

int main(int argc, char** argv) { return rxbench::harness::Main(argc, argv); }
