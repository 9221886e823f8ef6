//! The `kubesim` command line. It owns everything the library must not do: reading files,
//! writing outputs atomically, the terminal, and exit codes.

mod bench;
mod junit;
mod report;
mod test_cmd;

/// mimalloc: a run allocates many small strings (timeline rows, statuses); it is markedly
/// faster than the system allocator for that (reports/lifecycle-throughput.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::{Arc, Mutex};

use clap::{Parser, Subcommand, ValueEnum};

use sim_core::diag::{Diagnostics, SourceReader};
use sim_core::engine::{RunOptions, Simulation, StopReason};
use sim_core::output::{self, Format};
use sim_core::scenario::load::{Scenario, load_scenario};
use sim_core::time::{SimDuration, SimTime};

/// Exit codes (documented in the README).
mod exit {
    pub const OK: u8 = 0;
    /// A scenario or manifest is invalid, or a named object does not exist.
    pub const INVALID_INPUT: u8 = 1;
    /// `kubesim test`: an expectation failed.
    pub const TEST_FAILED: u8 = 1;
    // 2 is clap's usage error.
    /// kubesim broke one of its own invariants: a bug, please report it.
    pub const INVARIANT: u8 = 3;
    /// An output file could not be written.
    pub const OUTPUT: u8 = 4;
    /// The run stopped at its max-events bound before its end time.
    pub const MAX_EVENTS: u8 = 5;
}

#[derive(Parser)]
#[command(
    name = "kubesim",
    version,
    about = "Deterministic discrete-event simulator of a Kubernetes cluster"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Copy, Clone, ValueEnum)]
enum FormatArg {
    Jsonl,
    Csv,
    Log,
}

impl From<FormatArg> for Format {
    fn from(f: FormatArg) -> Format {
        match f {
            FormatArg::Jsonl => Format::Jsonl,
            FormatArg::Csv => Format::Csv,
            FormatArg::Log => Format::Log,
        }
    }
}

#[derive(clap::Args)]
struct RunArgs {
    /// The scenario file.
    scenario: PathBuf,
    /// Override the scenario's seed.
    #[arg(long)]
    seed: Option<u64>,
    /// Override the scenario's end time (a Go duration: 90s, 10m, 1h30m).
    #[arg(long, value_parser = parse_duration)]
    until: Option<SimDuration>,
    /// Override the scenario's max-events bound.
    #[arg(long)]
    max_events: Option<u64>,
    /// Record every scheduling attempt's filter verdicts and scores (SchedulingAttempt rows;
    /// `describe pod` shows them), as `spec.scheduler.explain: true` does.
    #[arg(long)]
    explain_scheduling: bool,
}

#[derive(Subcommand)]
enum Command {
    /// Run a scenario and print its timeline.
    Run {
        #[command(flatten)]
        run: RunArgs,
        /// Write the timeline to DIR/timeline.<format> (created atomically) instead of stdout.
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// Timeline format: jsonl (default with --out), csv, or log (default on stdout).
        #[arg(long, value_enum)]
        format: Option<FormatArg>,
        /// Print only the header and the summary, not the timeline.
        #[arg(long, short)]
        quiet: bool,
    },
    /// Validate scenario files and Kubernetes manifests; report every problem.
    Validate {
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Print `kubectl get` tables at a simulated time.
    Get {
        /// Resource type: pods (po) or nodes (no).
        resource: String,
        #[command(flatten)]
        run: RunArgs,
        /// The simulated time to look at (a Go duration since the start).
        #[arg(long, value_parser = parse_duration)]
        at: SimDuration,
        /// Output format: wide adds IP, NODE, NOMINATED NODE and READINESS GATES.
        #[arg(short = 'o', long = "output")]
        output: Option<String>,
        /// Namespace.
        #[arg(short = 'n', long, default_value = "default")]
        namespace: String,
        /// List pods of every namespace, with a NAMESPACE column.
        #[arg(short = 'A', long)]
        all_namespaces: bool,
    },
    /// Print `kubectl describe` of one object at a simulated time.
    Describe {
        /// Resource type: pod (po) or node (no).
        resource: String,
        /// The object's name.
        name: String,
        #[command(flatten)]
        run: RunArgs,
        #[arg(long, value_parser = parse_duration)]
        at: SimDuration,
        #[arg(short = 'n', long, default_value = "default")]
        namespace: String,
    },
    /// Explain in plain language why a pod is in its state at a simulated time.
    Explain {
        /// Resource type: pod (po).
        resource: String,
        /// The pod's name.
        name: String,
        #[command(flatten)]
        run: RunArgs,
        #[arg(long, value_parser = parse_duration)]
        at: SimDuration,
        #[arg(short = 'n', long, default_value = "default")]
        namespace: String,
    },
    /// Run scenarios and check their expectations; ends with `N passed, N failed`.
    Test {
        /// Scenario files or directories (searched recursively); default `scenarios`.
        paths: Vec<PathBuf>,
        /// Run every scenario with each of these seeds (`1..100`, or one seed) in parallel.
        #[arg(long, value_parser = test_cmd::parse_seeds)]
        seeds: Option<test_cmd::Seeds>,
        /// Also write the results as JUnit XML to this file.
        #[arg(long, value_name = "FILE")]
        junit: Option<PathBuf>,
    },
    /// Benchmark a component: `bench scheduler <workload>` runs an upstream scheduler_perf
    /// workload and prints measured pods/s and the placement hash.
    Bench {
        /// The component: scheduler.
        component: String,
        /// The workload (SchedulingBasic, SchedulingPodAntiAffinity, SchedulingPodAffinity,
        /// SchedulingNodeAffinity, TopologySpreading, PreemptionBasic, Unschedulable).
        workload: String,
        /// Seed for node labels and host-selection tie-breaks.
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
}

fn parse_duration(s: &str) -> Result<SimDuration, String> {
    s.parse::<SimDuration>().map_err(|e| e.to_string())
}

/// Reads files relative to the scenario's directory and keeps their text for error snippets.
pub(crate) struct FsReader {
    base: PathBuf,
    texts: Mutex<BTreeMap<String, String>>,
}

impl FsReader {
    pub(crate) fn new(base: &Path) -> Self {
        FsReader {
            base: base.to_path_buf(),
            texts: Mutex::new(BTreeMap::new()),
        }
    }

    pub(crate) fn text(&self, name: &str) -> Option<String> {
        self.texts.lock().ok()?.get(name).cloned()
    }
}

impl SourceReader for FsReader {
    fn read(&self, path: &str) -> Result<(String, String), String> {
        let full = if Path::new(path).is_absolute() {
            PathBuf::from(path)
        } else {
            self.base.join(path)
        };
        let display = full.display().to_string();
        let text =
            std::fs::read_to_string(&full).map_err(|e| format!("cannot read {display}: {e}"))?;
        if let Ok(mut t) = self.texts.lock() {
            t.insert(display.clone(), text.clone());
        }
        Ok((display, text))
    }
}

fn load(path: &Path) -> Result<(Arc<Scenario>, Diagnostics), u8> {
    let reader = FsReader::new(path.parent().unwrap_or(Path::new(".")));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let (scenario, diags) = load_scenario(&name, &reader);
    report::print_diagnostics(&diags, &|f| reader.text(f));
    match scenario {
        Some(s) if !diags.has_errors() => Ok((Arc::new(s), diags)),
        _ => {
            let n = diags.errors().count();
            eprintln!(
                "error: {} is invalid ({n} problem{})",
                path.display(),
                if n == 1 { "" } else { "s" }
            );
            Err(exit::INVALID_INPUT)
        }
    }
}

fn options(scenario: &Scenario, args: &RunArgs, until: Option<SimDuration>) -> RunOptions {
    RunOptions {
        seed: args.seed.unwrap_or(scenario.seed),
        until: SimTime::ZERO + until.or(args.until).unwrap_or(scenario.until),
        max_events: args.max_events.unwrap_or(scenario.max_events),
        check_invariants: cfg!(debug_assertions)
            || std::env::var_os("KUBESIM_CHECK_INVARIANTS").is_some(),
    }
}

fn stop_exit(sim: &Simulation) -> u8 {
    match sim.stop_reason() {
        Some(StopReason::Invariant(v)) => {
            eprintln!(
                "error: {v}\nThis is a kubesim bug; please report it with the scenario file."
            );
            exit::INVARIANT
        }
        Some(StopReason::MaxEvents) => exit::MAX_EVENTS,
        _ => exit::OK,
    }
}

fn cmd_run(args: RunArgs, out: Option<PathBuf>, format: Option<FormatArg>, quiet: bool) -> u8 {
    let (scenario, _) = match load_run(&args) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let opts = options(&scenario, &args, None);
    report::print_header(&scenario, &args.scenario, &opts);
    let mut sim = Simulation::new(Arc::clone(&scenario), opts.clone());
    sim.run();
    let records = sim.timeline().records();
    match out {
        Some(dir) => {
            let format: Format = format.map_or(Format::Jsonl, Format::from);
            let bytes = match format {
                Format::Jsonl => output::jsonl(records),
                Format::Csv => match output::csv(records) {
                    Ok(b) => b,
                    Err(e) => {
                        eprintln!("error: cannot encode the timeline as CSV: {e}");
                        return exit::OUTPUT;
                    }
                },
                Format::Log => output::log(records),
            };
            let path = dir.join(format!("timeline.{}", format.extension()));
            if let Err(e) = write_atomically(&dir, &path, &bytes) {
                eprintln!("error: cannot write {}: {e}", path.display());
                return exit::OUTPUT;
            }
            println!("timeline: {} ({} records)", path.display(), records.len());
        }
        None if !quiet => {
            let format: Format = format.map_or(Format::Log, Format::from);
            let bytes = match format {
                Format::Jsonl => output::jsonl(records),
                Format::Csv => output::csv(records).unwrap_or_default(),
                Format::Log => output::log(records),
            };
            let mut stdout = std::io::stdout().lock();
            if stdout.write_all(&bytes).is_err() {
                return exit::OUTPUT;
            }
        }
        None => {}
    }
    report::print_summary(&sim, &opts);
    stop_exit(&sim)
}

/// Writes to a temporary file in the same directory, then renames it over the target, so a
/// crash never leaves a half-written timeline.
pub(crate) fn write_atomically(dir: &Path, path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

fn cmd_validate(files: Vec<PathBuf>) -> u8 {
    let mut failed = 0;
    for path in &files {
        let reader = FsReader::new(path.parent().unwrap_or(Path::new(".")));
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        let diags = sim_core::scenario::load::validate_file(&name, &reader);
        report::print_diagnostics(&diags, &|f| reader.text(f));
        let errors = diags.errors().count();
        if errors == 0 {
            println!("{}: valid", path.display());
        } else {
            println!(
                "{}: {errors} problem{}",
                path.display(),
                if errors == 1 { "" } else { "s" }
            );
            failed += 1;
        }
    }
    if failed > 0 {
        exit::INVALID_INPUT
    } else {
        exit::OK
    }
}

/// Loads the scenario of `args`, with `--explain-scheduling` applied.
fn load_run(args: &RunArgs) -> Result<(Arc<Scenario>, Diagnostics), u8> {
    let (mut scenario, diags) = load(&args.scenario)?;
    if args.explain_scheduling {
        Arc::make_mut(&mut scenario).explain_scheduling = true;
    }
    Ok((scenario, diags))
}

fn run_to(args: &RunArgs, at: SimDuration) -> Result<Simulation, u8> {
    let (scenario, _) = load_run(args)?;
    let opts = options(&scenario, args, Some(at));
    let mut sim = Simulation::new(scenario, opts);
    sim.run_until(SimTime::ZERO + at);
    if let Some(StopReason::Invariant(_)) = sim.stop_reason() {
        return Err(stop_exit(&sim));
    }
    if let Some(StopReason::MaxEvents) = sim.stop_reason() {
        eprintln!(
            "warning: the max-events bound stopped the run at {} before {at}",
            sim.now()
        );
    }
    Ok(sim)
}

fn cmd_get(
    resource: &str,
    args: RunArgs,
    at: SimDuration,
    output: Option<String>,
    namespace: Option<&str>,
) -> u8 {
    let wide = match output.as_deref() {
        None => false,
        Some("wide") => true,
        Some(other) => {
            eprintln!("error: unsupported output format \"{other}\": kubesim get supports -o wide");
            return exit::INVALID_INPUT;
        }
    };
    let kind = match resource {
        "pods" | "pod" | "po" => "pods",
        "nodes" | "node" | "no" => "nodes",
        "deployments" | "deployment" | "deploy" => "deployments",
        "replicasets" | "replicaset" | "rs" => "replicasets",
        "jobs" | "job" => "jobs",
        "statefulsets" | "statefulset" | "sts" => "statefulsets",
        "daemonsets" | "daemonset" | "ds" => "daemonsets",
        "cronjobs" | "cronjob" | "cj" => "cronjobs",
        "poddisruptionbudgets" | "poddisruptionbudget" | "pdb" => "pdb",
        other => {
            eprintln!(
                "error: the server doesn't have a resource type \"{other}\" (kubesim get supports pods, nodes, deployments, replicasets, statefulsets, daemonsets, jobs, cronjobs and pdb)"
            );
            return exit::INVALID_INPUT;
        }
    };
    let sim = match run_to(&args, at) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let now = SimTime::ZERO + at;
    let text = match kind {
        "pods" => sim_core::kubectl::pods::get_pods(sim.cluster(), now, namespace, wide),
        "deployments" => {
            sim_core::kubectl::workloads::get_deployments(sim.workloads(), now, namespace, wide)
        }
        "replicasets" => {
            sim_core::kubectl::workloads::get_replica_sets(sim.workloads(), now, namespace, wide)
        }
        "jobs" => sim_core::kubectl::workloads::get_jobs(sim.workloads(), now, namespace, wide),
        "cronjobs" => sim_core::kubectl::workloads::get_cron_jobs(
            sim.workloads(),
            now,
            sim.scenario().wall_clock.epoch_seconds,
            namespace,
            wide,
        ),
        "daemonsets" => {
            sim_core::kubectl::workloads::get_daemon_sets(sim.workloads(), now, namespace, wide)
        }
        "statefulsets" => {
            sim_core::kubectl::workloads::get_stateful_sets(sim.workloads(), now, namespace, wide)
        }
        "pdb" => sim_core::kubectl::workloads::get_pdbs(&sim.disruption_budgets(), now, namespace),
        _ => sim_core::kubectl::describe::get_nodes(sim.cluster(), now, wide),
    };
    print!("{text}");
    exit::OK
}

fn cmd_describe(resource: &str, name: &str, args: RunArgs, at: SimDuration, namespace: &str) -> u8 {
    let sim = match run_to(&args, at) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let now = SimTime::ZERO + at;
    let wall = sim.scenario().wall_clock;
    let text = match resource {
        "pod" | "pods" | "po" => {
            sim_core::kubectl::describe::describe_pod(sim.cluster(), namespace, name, now, &wall)
                .map(|mut text| {
                    // The recorded scheduling attempts follow kubectl's Events section.
                    if let Some(attempts) = sim_core::scheduler::explanation::describe_attempts(
                        sim.timeline().records(),
                        namespace,
                        name,
                        now,
                    ) {
                        text.push_str(&attempts);
                    }
                    text
                })
        }
        "node" | "nodes" | "no" => {
            sim_core::kubectl::describe::describe_node(sim.cluster(), name, now, &wall)
        }
        other => {
            eprintln!(
                "error: the server doesn't have a resource type \"{other}\" (kubesim describe supports pod and node)"
            );
            return exit::INVALID_INPUT;
        }
    };
    match text {
        Some(t) => {
            print!("{t}");
            exit::OK
        }
        None => {
            eprintln!("Error from server (NotFound): {resource}s \"{name}\" not found (at {at})");
            exit::INVALID_INPUT
        }
    }
}

fn cmd_explain(resource: &str, name: &str, args: RunArgs, at: SimDuration, namespace: &str) -> u8 {
    if !matches!(resource, "pod" | "pods" | "po") {
        eprintln!(
            "error: kubesim explain supports pods (kubesim explain pod NAME SCENARIO --at T)"
        );
        return exit::INVALID_INPUT;
    }
    let (scenario, _) = match load_run(&args) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let opts = options(&scenario, &args, None);
    let result =
        sim_core::explain::explain_run(&scenario, opts, SimTime::ZERO + at, namespace, name);
    match result {
        Err(v) => {
            eprintln!(
                "error: {v:?}\nThis is a kubesim bug; please report it with the scenario file."
            );
            exit::INVARIANT
        }
        Ok(Some(text)) => {
            print!("{text}");
            exit::OK
        }
        Ok(None) => {
            eprintln!("Error from server (NotFound): pods \"{name}\" not found (at {at})");
            exit::INVALID_INPUT
        }
    }
}
fn main() -> ExitCode {
    let cli = Cli::parse();
    let code = match cli.command {
        Command::Run {
            run,
            out,
            format,
            quiet,
        } => cmd_run(run, out, format, quiet),
        Command::Validate { files } => cmd_validate(files),
        Command::Get {
            resource,
            run,
            at,
            output,
            namespace,
            all_namespaces,
        } => {
            let ns = if all_namespaces {
                None
            } else {
                Some(namespace.as_str())
            };
            cmd_get(&resource, run, at, output, ns)
        }
        Command::Describe {
            resource,
            name,
            run,
            at,
            namespace,
        } => cmd_describe(&resource, &name, run, at, &namespace),
        Command::Explain {
            resource,
            name,
            run,
            at,
            namespace,
        } => cmd_explain(&resource, &name, run, at, &namespace),
        Command::Test {
            paths,
            seeds,
            junit,
        } => test_cmd::cmd_test(paths, seeds.map(|s| s.0), junit),
        Command::Bench {
            component,
            workload,
            seed,
        } => bench::cmd_bench(&component, &workload, seed),
    };
    ExitCode::from(code)
}
