//! Per-attempt explanations (what kube-scheduler-simulator shows): each evaluated node's
//! Filter verdict with the plugin that decided it, each Score plugin's raw, normalized and
//! weighted score per feasible node, the totals and the selected node. Recorded only when
//! explanations are on (`spec.scheduler.explain`, `kubesim run --explain-scheduling`); the
//! profile's hot path only checks an `Option`.
//!
//! In the timeline an attempt is one `SchedulingAttempt` row whose message is compact text:
//! sections separated by `; `, items by ` | `, which `describe_attempts` lays out again for
//! `kubesim describe pod`.

use std::fmt::Write;

use crate::cluster::{Cluster, NodeId};
use crate::time::SimTime;
use crate::timeline::TimelineRecord;

use super::framework::{Code, Status};

/// The timeline's `event` of an attempt's row.
pub const EVENT: &str = "SchedulingAttempt";

/// One Score plugin's contribution in one cycle, in feasible-node order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PluginScores {
    pub plugin: &'static str,
    pub weight: i64,
    pub raw: Vec<i64>,
    pub normalized: Vec<i64>,
}

/// What one scheduling cycle did, as the profile saw it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CycleRecord {
    /// PreFilter plugins that did not return Success (Skip, or the rejection).
    pub pre_filter: Vec<(&'static str, Status)>,
    /// Every node the Filter walk looked at, in walk order, with the plugin that rejected it.
    pub evaluated: Vec<(NodeId, Option<(&'static str, Status)>)>,
    pub pre_score_skipped: Vec<&'static str>,
    pub scores: Vec<PluginScores>,
    pub feasible: Vec<NodeId>,
    pub totals: Vec<i64>,
}

fn status_text(s: &Status) -> String {
    if s.code == Code::Skip {
        return "Skip".to_string();
    }
    s.reasons().collect::<Vec<_>>().join(", ")
}

/// An attempt's explanation as the timeline records it.
pub fn message(
    profile: &str,
    record: &CycleRecord,
    cluster: &Cluster,
    selected: Option<NodeId>,
) -> String {
    let name = |id: NodeId| cluster.node(id).name.as_str();
    let mut m = format!("profile {profile}");
    if !record.pre_filter.is_empty() {
        let items: Vec<String> = record
            .pre_filter
            .iter()
            .map(|(p, s)| format!("{p} {}", status_text(s)))
            .collect();
        let _ = write!(m, "; prefilter: {}", items.join(" | "));
    }
    let total_nodes = cluster.live_nodes().count();
    if !record.evaluated.is_empty() {
        let items: Vec<String> = record
            .evaluated
            .iter()
            .map(|(id, verdict)| match verdict {
                None => format!("{} passed", name(*id)),
                Some((p, s)) => format!("{} {p}: {}", name(*id), status_text(s)),
            })
            .collect();
        let _ = write!(
            m,
            "; filter {} of {total_nodes} nodes: {}",
            record.evaluated.len(),
            items.join(" | ")
        );
    }
    if !record.pre_score_skipped.is_empty() {
        let _ = write!(
            m,
            "; prescore skip: {}",
            record.pre_score_skipped.join(" | ")
        );
    }
    if !record.scores.is_empty() {
        let items: Vec<String> = record
            .feasible
            .iter()
            .enumerate()
            .map(|(i, id)| {
                let parts: Vec<String> = record
                    .scores
                    .iter()
                    .map(|p| format!("{} {}→{}×{}", p.plugin, p.raw[i], p.normalized[i], p.weight))
                    .collect();
                format!(
                    "{} = {} [{}]",
                    name(*id),
                    record.totals[i],
                    parts.join(", ")
                )
            })
            .collect();
        let _ = write!(m, "; score (raw→normalized×weight): {}", items.join(" | "));
    } else if record.feasible.len() == 1 {
        m.push_str("; score: not run (one feasible node)");
    }
    match selected {
        Some(id) => {
            let _ = write!(m, "; selected {}", name(id));
        }
        None => m.push_str("; no node selected"),
    }
    m
}

/// `kubesim describe pod`'s section: the pod's recorded attempts up to `now`, laid out one
/// item a line. None when the run recorded none (explanations off).
pub fn describe_attempts(
    records: &[TimelineRecord],
    namespace: &str,
    name: &str,
    now: SimTime,
) -> Option<String> {
    let attempts: Vec<&TimelineRecord> = records
        .iter()
        .filter(|r| r.event == EVENT && r.time <= now && r.namespace == namespace && r.name == name)
        .collect();
    if attempts.is_empty() {
        return None;
    }
    let mut out = String::from("Scheduling Attempts:\n");
    for r in attempts {
        let _ = writeln!(out, "  At {} ({}):", r.time, r.reason);
        for section in r.message.split("; ") {
            let (head, items) = match section.split_once(": ") {
                Some((h, rest)) if rest.contains(" | ") || is_list(h) => (h, Some(rest)),
                _ => (section, None),
            };
            match items {
                None => {
                    let _ = writeln!(out, "    {head}");
                }
                Some(items) => {
                    let _ = writeln!(out, "    {head}:");
                    for item in items.split(" | ") {
                        let _ = writeln!(out, "      {item}");
                    }
                }
            }
        }
    }
    Some(out)
}

fn is_list(head: &str) -> bool {
    head.starts_with("filter ")
        || head.starts_with("score (")
        || head == "prefilter"
        || head == "prescore skip"
}
