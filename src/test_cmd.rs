//! `kubesim test [paths...]`: runs scenario files, judges their expectations, prints one line
//! per expectation and per scenario, and ends with `N passed, N failed`. Whole runs go to
//! worker threads; each run stays single-threaded and deterministic.

use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use sim_core::diag::{Diagnostics, Severity};
use sim_core::engine::RunOptions;
use sim_core::expect::eval::{Judgement, RunResult, check_run};
use sim_core::expect::stats::{SeedVerdict, fold};
use sim_core::scenario::load::{Scenario, load_scenario, validate_file};
use sim_core::time::SimTime;

use crate::junit::{Case, Suite};
use crate::{FsReader, exit, report};

/// The seeds of `--seeds` (`1..100`).
#[derive(Clone, Debug)]
pub struct Seeds(pub Vec<u64>);

pub fn parse_seeds(text: &str) -> Result<Seeds, String> {
    sim_core::expect::stats::parse_seeds(text).map(Seeds)
}

/// What one file turned out to be.
enum Planned {
    /// A scenario to run with these seeds.
    Run {
        scenario: Arc<Scenario>,
        seeds: Vec<u64>,
    },
    /// A file whose header says `kubesim validate` must reject it with a given error.
    ExpectedInvalid {
        expected: String,
        found: Vec<String>,
    },
    /// A scenario that does not load.
    Invalid { errors: Vec<String> },
    /// Not a scenario (a manifest used by one).
    Skipped,
}

struct FileJob {
    path: PathBuf,
    plan: Planned,
}

/// Every `.yaml`/`.yml`/`.kyaml` file under `paths`, directories recursively, sorted.
fn collect(paths: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), String> {
        let entries =
            std::fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
        let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        paths.sort();
        for p in paths {
            if p.is_dir() {
                walk(&p, out)?;
            } else if p
                .extension()
                .is_some_and(|e| e == "yaml" || e == "yml" || e == "kyaml")
            {
                out.push(p);
            }
        }
        Ok(())
    }
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            walk(p, &mut out)?;
        } else if p.exists() {
            out.push(p.clone());
        } else {
            return Err(format!("{} does not exist", p.display()));
        }
    }
    Ok(out)
}

/// The `file:line:col: error: message` a file's header comment says validation reports
/// (scenarios/invalid/*.yaml), without the file part.
fn expected_error(text: &str) -> Option<String> {
    let header: Vec<&str> = text
        .lines()
        .take_while(|l| l.starts_with('#'))
        .map(|l| l.trim_start_matches('#').trim())
        .collect();
    let at = header.iter().position(|l| l.starts_with("Expected:"))?;
    header[at + 1..]
        .iter()
        .find_map(|l| l.find(": error: ").map(|_| l))
        .and_then(|l| location_suffix(l))
}

/// `path/file.yaml:12:5: error: msg` → `12:5: error: msg`.
fn location_suffix(line: &str) -> Option<String> {
    let err = line.find(": error: ")?;
    let head = &line[..err];
    let mut parts = head.rsplitn(3, ':');
    let col = parts.next()?;
    let row = parts.next()?;
    (col.parse::<u32>().is_ok() && row.parse::<u32>().is_ok())
        .then(|| format!("{row}:{col}{}", &line[err..]))
}

fn rendered_errors(diags: &Diagnostics) -> Vec<String> {
    diags
        .errors()
        .map(|d| match &d.location {
            Some(l) => format!("{}:{}: error: {}", l.line, l.col, d.message),
            None => format!("error: {}", d.message),
        })
        .collect()
}

fn is_scenario(text: &str) -> bool {
    sim_core::yaml::parse_documents(text).is_ok_and(|docs| {
        docs.first().is_some_and(|d| {
            d.root.get("kind").and_then(|k| k.as_str()) == Some(sim_core::scenario::KIND)
        })
    })
}

fn plan(path: &Path, seeds: Option<&[u64]>) -> Planned {
    let reader = FsReader::new(path.parent().unwrap_or(Path::new(".")));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => {
            return Planned::Invalid {
                errors: vec![format!("cannot read {}: {e}", path.display())],
            };
        }
    };
    if let Some(expected) = expected_error(&text) {
        let found = rendered_errors(&validate_file(&name, &reader));
        return Planned::ExpectedInvalid { expected, found };
    }
    if !is_scenario(&text) {
        return Planned::Skipped;
    }
    let (scenario, diags) = load_scenario(&name, &reader);
    match scenario {
        Some(s) if !diags.has_errors() => Planned::Run {
            seeds: seeds.map_or_else(|| vec![s.seed], <[u64]>::to_vec),
            scenario: Arc::new(s),
        },
        _ => {
            let errors = Diagnostics(
                diags
                    .0
                    .into_iter()
                    .filter(|d| d.severity == Severity::Error)
                    .collect(),
            );
            report::print_diagnostics(&errors, &|f| reader.text(f));
            Planned::Invalid {
                errors: rendered_errors(&errors),
            }
        }
    }
}

fn options(scenario: &Scenario, seed: u64) -> RunOptions {
    RunOptions {
        seed,
        until: SimTime::ZERO + scenario.until,
        max_events: scenario.max_events,
        check_invariants: cfg!(debug_assertions)
            || std::env::var_os("KUBESIM_CHECK_INVARIANTS").is_some(),
    }
}

/// A finished run and its wall time, or the message of the panic that ended it (a kubesim bug).
type Outcome = Result<(RunResult, Duration), String>;

/// Runs every (scenario, seed) pair on a pool of threads; results in job order. A run that
/// panics is reported as such instead of taking the other runs down.
fn run_all(jobs: &[(Arc<Scenario>, u64)]) -> Vec<Outcome> {
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Outcome>> =
        Mutex::new(vec![Err("the run did not finish".to_string()); jobs.len()]);
    let threads = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(jobs.len().max(1));
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some((scenario, seed)) = jobs.get(i) else {
                        break;
                    };
                    let started = Instant::now();
                    let r = std::panic::catch_unwind(AssertUnwindSafe(|| {
                        check_run(scenario, options(scenario, *seed))
                    }));
                    let outcome = match r {
                        Ok(r) => Ok((r, started.elapsed())),
                        Err(p) => Err(p
                            .downcast_ref::<&str>()
                            .map(|s| s.to_string())
                            .or_else(|| p.downcast_ref::<String>().cloned())
                            .unwrap_or_else(|| "a panic".to_string())),
                    };
                    if let Ok(mut all) = results.lock() {
                        all[i] = outcome;
                    }
                }
            });
        }
    });
    results.into_inner().unwrap_or_default()
}

#[derive(Default)]
struct Tally {
    passed: usize,
    failed: usize,
    skipped: usize,
    suites: Vec<Suite>,
}

impl Tally {
    /// Closes one scenario's report: its summary line, and the counts.
    fn finish(
        &mut self,
        scenario: &Scenario,
        file: &str,
        mut suite: Suite,
        ok: usize,
        bad: usize,
        detail: &str,
    ) {
        if scenario.expectations.is_empty() && bad == 0 {
            println!("  skip   no expectations");
            self.skipped += 1;
            suite
                .cases
                .push(Case::skipped("expectations", "no expectations"));
        }
        println!(
            "{} {file}: {ok} passed, {bad} failed ({detail})",
            if bad == 0 { "ok  " } else { "FAIL" },
        );
        self.passed += ok;
        self.failed += bad;
        self.suites.push(suite);
    }
}

fn secs(d: Duration) -> String {
    format!("{:.2}s", d.as_secs_f64())
}

fn print_failure(j: &Judgement, repro: &str) {
    println!("         expected: {}", j.expected);
    println!("         actual:   {} (at {})", j.actual, j.at);
    for d in &j.diff {
        println!("         {d}");
    }
    println!("         reproduce: {repro}");
}

fn failure_text(j: &Judgement, repro: &str) -> String {
    let mut s = format!(
        "expected: {}\nactual: {} (at {})\n",
        j.expected, j.actual, j.at
    );
    for d in &j.diff {
        s.push_str(d);
        s.push('\n');
    }
    s.push_str(&format!("reproduce: {repro}\n"));
    s
}

fn seeds_label(seeds: &[u64]) -> String {
    match seeds {
        [one] => format!("seed {one}"),
        [first, .., last] => format!("seeds {first}..{last}"),
        [] => "no seeds".to_string(),
    }
}

fn report_single(path: &Path, scenario: &Scenario, run: &RunResult, took: Duration, t: &mut Tally) {
    let file = path.display().to_string();
    let repro = format!("kubesim run {file} --seed {}", run.seed);
    println!("{file} ({})", seeds_label(&[run.seed]));
    let mut suite = Suite::new(&file, took);
    let (mut ok, mut bad) = (0, 0);
    for (e, j) in scenario.expectations.iter().zip(&run.judgements) {
        let label = format!("line {}: {}", e.line, e.name);
        if j.passed {
            println!("  ok     {label}");
            ok += 1;
            suite.cases.push(Case::passed(&label));
        } else {
            println!("  FAIL   {label}");
            print_failure(j, &repro);
            bad += 1;
            suite.cases.push(Case::failed(
                &label,
                &j.diff.join("; "),
                &failure_text(j, &repro),
            ));
        }
    }
    if let Some(why) = run.clean_stop() {
        println!("  FAIL   the run: {why}");
        println!("         reproduce: {repro}");
        bad += 1;
        suite.cases.push(Case::failed(
            "the run",
            &why,
            &format!("{why}\nreproduce: {repro}\n"),
        ));
    }
    let detail = format!(
        "{} simulated, {} events, {}",
        run.end,
        run.events,
        secs(took)
    );
    t.finish(scenario, &file, suite, ok, bad, &detail);
}

fn report_seeds(path: &Path, scenario: &Scenario, runs: &[(RunResult, Duration)], t: &mut Tally) {
    let file = path.display().to_string();
    let seeds: Vec<u64> = runs.iter().map(|(r, _)| r.seed).collect();
    let took: Duration = runs.iter().map(|(_, d)| *d).sum();
    println!("{file} ({})", seeds_label(&seeds));
    let results: Vec<RunResult> = runs.iter().map(|(r, _)| r.clone()).collect();
    let verdicts = fold(&scenario.expectations, &results);
    let mut suite = Suite::new(&file, took);
    let (mut ok, mut bad) = (0, 0);
    for (e, v) in scenario.expectations.iter().zip(&verdicts) {
        let label = format!("line {}: {}", e.line, e.name);
        let counts = format!(
            "{}/{} seeds, {} required",
            v.passed_seeds, v.total_seeds, v.requirement
        );
        if v.passed {
            println!("  ok     {label} ({counts})");
            ok += 1;
            suite.cases.push(Case::passed(&label));
        } else {
            println!("  FAIL   {label} ({counts})");
            let text = seed_failure(&file, v);
            for l in text.lines() {
                println!("         {l}");
            }
            bad += 1;
            suite.cases.push(Case::failed(&label, &counts, &text));
        }
    }
    let broken: Vec<String> = results
        .iter()
        .filter_map(|r| r.clean_stop().map(|w| format!("seed {}: {w}", r.seed)))
        .collect();
    if !broken.is_empty() {
        println!(
            "  FAIL   the runs: {} seed(s) did not finish cleanly",
            broken.len()
        );
        for b in broken.iter().take(5) {
            println!("         {b}");
        }
        bad += 1;
        suite
            .cases
            .push(Case::failed("the runs", &broken[0], &broken.join("\n")));
    }
    let detail = format!("{} runs, {} of run time", runs.len(), secs(took));
    t.finish(scenario, &file, suite, ok, bad, &detail);
}

fn seed_failure(file: &str, v: &SeedVerdict) -> String {
    let mut s = String::new();
    if !v.failing_seeds.is_empty() {
        let shown: Vec<String> = v
            .failing_seeds
            .iter()
            .take(20)
            .map(u64::to_string)
            .collect();
        let more = v.failing_seeds.len().saturating_sub(20);
        s.push_str(&format!(
            "failing seeds: {}{}\n",
            shown.join(", "),
            if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            }
        ));
    }
    if let Some((seed, j)) = &v.example {
        let repro = if *seed == 0 {
            format!("kubesim test {file} --seeds <range>")
        } else {
            format!("kubesim run {file} --seed {seed}")
        };
        if *seed != 0 {
            s.push_str(&format!("seed {seed}:\n"));
        }
        s.push_str(&failure_text(j, &repro));
    }
    s
}

pub fn cmd_test(paths: Vec<PathBuf>, seeds: Option<Vec<u64>>, junit: Option<PathBuf>) -> u8 {
    let started = Instant::now();
    let paths = if paths.is_empty() {
        vec![PathBuf::from("scenarios")]
    } else {
        paths
    };
    let files = match collect(&paths) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("error: {e}");
            return exit::INVALID_INPUT;
        }
    };
    let planned: Vec<FileJob> = files
        .into_iter()
        .map(|path| FileJob {
            plan: plan(&path, seeds.as_deref()),
            path,
        })
        .collect();
    let mut jobs = Vec::new();
    for f in &planned {
        if let Planned::Run { scenario, seeds } = &f.plan {
            jobs.extend(seeds.iter().map(|s| (Arc::clone(scenario), *s)));
        }
    }
    let total_runs = jobs.len();
    let mut results = run_all(&jobs).into_iter();
    let mut t = Tally::default();
    let mut skipped_files = 0;
    for f in &planned {
        let file = f.path.display().to_string();
        match &f.plan {
            Planned::Skipped => skipped_files += 1,
            Planned::ExpectedInvalid { expected, found } => {
                let mut suite = Suite::new(&file, Duration::ZERO);
                let label = "rejected as its header says";
                if found.iter().any(|e| e == expected) {
                    println!("ok   {file}: invalid as expected ({expected})");
                    t.passed += 1;
                    suite.cases.push(Case::passed(label));
                } else {
                    println!("FAIL {file}: expected validation to report");
                    println!("         {expected}");
                    println!("       found:");
                    for e in found {
                        println!("         {e}");
                    }
                    if found.is_empty() {
                        println!("         (no errors: the file is valid)");
                    }
                    println!("         reproduce: kubesim validate {file}");
                    t.failed += 1;
                    let text = format!("expected: {expected}\nfound:\n{}\n", found.join("\n"));
                    suite.cases.push(Case::failed(label, expected, &text));
                }
                t.suites.push(suite);
            }
            Planned::Invalid { errors } => {
                println!(
                    "FAIL {file}: the scenario is invalid ({} problem(s))",
                    errors.len()
                );
                for e in errors {
                    println!("         {e}");
                }
                println!("         reproduce: kubesim validate {file}");
                t.failed += 1;
                let mut suite = Suite::new(&file, Duration::ZERO);
                suite.cases.push(Case::failed(
                    "loads",
                    errors.first().map_or("", String::as_str),
                    &errors.join("\n"),
                ));
                t.suites.push(suite);
            }
            Planned::Run { scenario, seeds: s } => {
                let mut runs: Vec<(RunResult, Duration)> = Vec::new();
                for (seed, outcome) in s.iter().zip(results.by_ref()) {
                    match outcome {
                        Ok(r) => runs.push(r),
                        Err(msg) => {
                            println!("FAIL {file}: the run with seed {seed} panicked: {msg}");
                            println!(
                                "         this is a kubesim bug; reproduce: kubesim run {file} --seed {seed}"
                            );
                            t.failed += 1;
                        }
                    }
                }
                if runs.is_empty() {
                    continue;
                }
                if seeds.is_some() {
                    report_seeds(&f.path, scenario, &runs, &mut t);
                } else if let Some((run, took)) = runs.first() {
                    report_single(&f.path, scenario, run, *took, &mut t);
                }
            }
        }
    }
    let elapsed = started.elapsed();
    if let Some(path) = &junit {
        let xml = crate::junit::render(&t.suites, elapsed);
        let dir = path.parent().map_or(PathBuf::from("."), Path::to_path_buf);
        if let Err(e) = crate::write_atomically(&dir, path, xml.as_bytes()) {
            eprintln!("error: cannot write {}: {e}", path.display());
            return exit::OUTPUT;
        }
        println!("JUnit report: {}", path.display());
    }
    println!();
    let mut notes = Vec::new();
    if t.skipped > 0 {
        notes.push(format!("{} scenario(s) without expectations", t.skipped));
    }
    if skipped_files > 0 {
        notes.push(format!(
            "{skipped_files} manifest file(s) skipped (not scenarios)"
        ));
    }
    println!(
        "{total_runs} run(s) in {}{}",
        secs(elapsed),
        if notes.is_empty() {
            String::new()
        } else {
            format!("; {}", notes.join("; "))
        }
    );
    println!("{} passed, {} failed", t.passed, t.failed);
    if t.failed > 0 {
        exit::TEST_FAILED
    } else {
        exit::OK
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expected_error_headers() {
        let text = "# A misspelled field.\n# Expected: `kubesim validate x.yaml` exits 1 with\n# scenarios/invalid/x.yaml:11:5: error: Pod \"typo\" is invalid: boom\napiVersion: v1\n";
        assert_eq!(
            expected_error(text).as_deref(),
            Some("11:5: error: Pod \"typo\" is invalid: boom")
        );
        assert_eq!(expected_error("apiVersion: v1\n"), None);
        assert_eq!(location_suffix("no location: error: x"), None);
    }
}
