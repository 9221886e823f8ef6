//! Terminal reports: diagnostics with source snippets (miette), the run header and summary.

use miette::{Diagnostic as MietteDiagnostic, NamedSource, SourceSpan};
use sim_core::diag::{Diagnostics, Severity};
use sim_core::engine::{RunOptions, Simulation, StopReason};
use sim_core::scenario::load::Scenario;
use thiserror::Error;

#[derive(Debug, Error, MietteDiagnostic)]
#[error("{message}")]
struct Located {
    message: String,
    #[source_code]
    src: NamedSource<String>,
    #[label("{label}")]
    span: SourceSpan,
    label: String,
    #[help]
    help: Option<String>,
}

/// Prints every error with its file:line:col and a snippet, then one grouped "not simulated"
/// note listing each field once.
pub fn print_diagnostics(diags: &Diagnostics, text_of: &dyn Fn(&str) -> Option<String>) {
    // No wrapping: the first (message) line is printed by us above the snippet and skipped.
    let handler =
        miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor())
            .with_wrap_lines(false);
    for d in diags.errors() {
        let mut rendered = String::new();
        let header = match &d.location {
            Some(l) => format!("{}:{}:{}: error: {}", l.file, l.line, l.col, d.message),
            None => format!("error: {}", d.message),
        };
        eprintln!("{header}");
        if let Some(l) = &d.location
            && let Some(text) = text_of(&l.file)
        {
            let len = l.len.max(1).min(text.len().saturating_sub(l.offset).max(1));
            let diag = Located {
                message: d.message.clone(),
                src: NamedSource::new(l.file.clone(), text),
                span: (l.offset, len).into(),
                label: d.field.clone().unwrap_or_else(|| "here".to_string()),
                help: d.help.clone(),
            };
            if handler.render_report(&mut rendered, &diag).is_ok() {
                // Skip miette's own first line: the header above already says it.
                for line in rendered.lines().skip(1) {
                    eprintln!("{line}");
                }
                continue;
            }
        }
        if let Some(h) = &d.help {
            eprintln!("  help: {h}");
        }
    }
    let notes: Vec<_> = diags
        .0
        .iter()
        .filter(|d| d.severity == Severity::NotSimulated)
        .collect();
    if !notes.is_empty() {
        eprintln!("note: accepted but not simulated ({}):", notes.len());
        for d in notes {
            let place = d
                .location
                .as_ref()
                .map(|l| format!("{}:{}: ", l.file, l.line))
                .unwrap_or_default();
            eprintln!("  {place}{}", d.message);
        }
    }
}

pub fn print_header(s: &Scenario, path: &std::path::Path, opts: &RunOptions) {
    println!(
        "kubesim {} · scenario {} ({})",
        env!("CARGO_PKG_VERSION"),
        s.name,
        path.display()
    );
    println!(
        "seed {} · Kubernetes {} · until {} · max events {} · {} node(s) · {} object(s) · {} action(s)",
        opts.seed,
        s.kubernetes_version,
        opts.until,
        opts.max_events,
        s.nodes.len(),
        s.objects.len(),
        s.actions.len()
    );
    let cp = &s.control_plane;
    let k = &s.kubelet;
    println!(
        "timings: watch {} · scheduling {} · binding {} · sandbox {} · create {} · start {} · image pulls {}",
        cp.watch_latency,
        cp.scheduling_latency,
        cp.binding_latency,
        k.sandbox_creation,
        k.container_creation,
        k.container_start,
        if k.serialize_image_pulls {
            "serialized"
        } else {
            "parallel"
        }
    );
    println!(
        "wall clock of t=0: {}",
        s.wall_clock.rfc3339(sim_core::time::SimTime::ZERO)
    );
    println!();
}

pub fn print_summary(sim: &Simulation, opts: &RunOptions) {
    println!();
    let reason = match sim.stop_reason() {
        Some(StopReason::Quiescent) => {
            format!("quiescent at {}: nothing left to happen", sim.now())
        }
        Some(StopReason::ReachedTime) => format!(
            "reached the end time {} with events still pending",
            opts.until
        ),
        Some(StopReason::MaxEvents) => format!(
            "STOPPED AT THE MAX-EVENTS BOUND ({}) at {}, before the end time {}",
            opts.max_events,
            sim.now(),
            opts.until
        ),
        Some(StopReason::Invariant(v)) => format!("stopped: {v}"),
        None => "not run".to_string(),
    };
    println!("stopped: {reason}");
    println!(
        "{} events processed · {} timeline records · {} pods at the end",
        sim.events_processed(),
        sim.timeline().len(),
        sim.cluster().pod_count()
    );
}
