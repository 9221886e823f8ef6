//! Shared helpers of the integration tests: load scenarios from the repository and run them.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

use sim_core::diag::SourceReader;
use sim_core::engine::{RunOptions, Simulation};
use sim_core::scenario::load::{Scenario, load_scenario};
use sim_core::time::SimTime;

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

struct DirReader(PathBuf);

impl SourceReader for DirReader {
    fn read(&self, path: &str) -> Result<(String, String), String> {
        let full = self.0.join(path);
        std::fs::read_to_string(&full)
            .map(|t| (full.display().to_string(), t))
            .map_err(|e| format!("{}: {e}", full.display()))
    }
}

/// Loads a scenario file; panics with every diagnostic if it is invalid.
pub fn load(path: &Path) -> Arc<Scenario> {
    let reader = DirReader(path.parent().expect("a parent directory").to_path_buf());
    let name = path
        .file_name()
        .expect("a file name")
        .to_string_lossy()
        .to_string();
    let (scenario, diags) = load_scenario(&name, &reader);
    match scenario {
        Some(s) => Arc::new(s),
        None => panic!(
            "{} is invalid:\n{:#?}",
            path.display(),
            diags.errors().collect::<Vec<_>>()
        ),
    }
}

/// Loads a scenario from text (relative files resolve against the repository root).
pub fn load_text(text: &str) -> Arc<Scenario> {
    struct Inline<'a>(&'a str);
    impl SourceReader for Inline<'_> {
        fn read(&self, path: &str) -> Result<(String, String), String> {
            if path == "inline.yaml" {
                Ok((path.to_string(), self.0.to_string()))
            } else {
                DirReader(repo()).read(path)
            }
        }
    }
    let (scenario, diags) = load_scenario("inline.yaml", &Inline(text));
    match scenario {
        Some(s) => Arc::new(s),
        None => panic!(
            "inline scenario is invalid:\n{:#?}",
            diags.errors().collect::<Vec<_>>()
        ),
    }
}

pub fn options(scenario: &Scenario, seed: Option<u64>) -> RunOptions {
    RunOptions {
        seed: seed.unwrap_or(scenario.seed),
        until: SimTime::ZERO + scenario.until,
        max_events: scenario.max_events,
        check_invariants: true,
    }
}

/// Runs a scenario to its end with invariant checks on.
pub fn run(scenario: &Arc<Scenario>, seed: Option<u64>) -> Simulation {
    let mut sim = Simulation::new(Arc::clone(scenario), options(scenario, seed));
    sim.run();
    if let Some(sim_core::engine::StopReason::Invariant(v)) = sim.stop_reason() {
        panic!("{}: {v}", scenario.name);
    }
    sim
}

/// Every scenario file under `scenarios/` (kind: Scenario), skipping `scenarios/invalid/`.
pub fn all_scenarios() -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        let mut entries: Vec<_> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                if p.file_name().is_some_and(|n| n == "invalid") {
                    continue;
                }
                walk(&p, out);
            } else if p.extension().is_some_and(|e| e == "yaml" || e == "yml")
                && std::fs::read_to_string(&p).is_ok_and(|t| t.contains("kind: Scenario"))
            {
                out.push(p);
            }
        }
    }
    let mut out = Vec::new();
    walk(&repo().join("scenarios"), &mut out);
    out
}

/// Runs the `kubesim` binary from the repository root: (exit code, stdout, stderr).
pub fn kubesim(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_kubesim"))
        .args(args)
        .current_dir(repo())
        .output()
        .expect("kubesim runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).to_string(),
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}
