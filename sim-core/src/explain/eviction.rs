//! Why a pod was evicted, from the DisruptionTarget condition the evicting component wrote and
//! the chain that led to it: for the taint eviction controller
//! (pkg/controller/tainteviction/taint_eviction.go), the node's lost heartbeats, the NoExecute
//! taint the node lifecycle controller added and the toleration that ran out; for the eviction
//! API (pkg/registry/core/pod/storage/eviction.go), the drain and the PodDisruptionBudget
//! refusals before it.

use crate::api::{TaintEffect, Toleration};
use crate::cluster::PodRecord;
use crate::timeline::TimelineRecord;

use super::{Pod, ms};

/// Taint keys the node lifecycle controller adds for a node that stopped being Ready
/// (pkg/controller/nodelifecycle: UnreachableTaintTemplate, NotReadyTaintTemplate).
const NODE_TAINTS: [&str; 2] = [
    "node.kubernetes.io/unreachable",
    "node.kubernetes.io/not-ready",
];

/// The pod's NoExecute toleration for `key`, if any (an empty key with Exists tolerates all).
fn toleration<'t>(tolerations: &'t [Toleration], key: &str) -> Option<&'t Toleration> {
    tolerations.iter().find(|t| {
        (t.key == key || t.key.is_empty())
            && t.effect
                .as_ref()
                .is_none_or(|e| *e == TaintEffect::NoExecute)
    })
}

/// The account of the pod's eviction, or None if nothing evicted it by `now`. `rec` is the pod
/// object if it still exists (its tolerations and owner).
pub(super) fn account(pod: &Pod<'_>, rec: Option<&PodRecord>) -> Option<String> {
    let cond = pod
        .past()
        .filter(|r| r.event == "Condition" && r.to.starts_with("DisruptionTarget=True"))
        .last()?;
    let at = cond.time;
    let node = pod
        .past()
        .filter(|r| r.event == "NodeName")
        .last()
        .map(|r| r.to.to_string())
        .unwrap_or_default();
    let records = pod.input.records;
    let node_rows = |event: &'static str| -> Vec<&TimelineRecord> {
        records
            .iter()
            .filter(|r| r.kind == "Node" && r.name == node && r.event == event && r.time <= at)
            .collect()
    };
    let mut s = match cond.reason.as_str() {
        "DeletionByTaintManager" => {
            let mut s = format!(
                "Evicted at {} by the taint eviction controller (DisruptionTarget: DeletionByTaintManager)",
                ms(at)
            );
            if let Some(down) = node_rows("Status").into_iter().rfind(|r| r.to != "Ready") {
                s.push_str(&format!(
                    ": node {node} turned {} at {} ({}: {})",
                    down.to,
                    ms(down.time),
                    down.reason,
                    down.message
                ));
            }
            let taint = node_rows("Taints").last().copied().and_then(|r| {
                NODE_TAINTS
                    .into_iter()
                    .find(|k| r.to.contains(&format!("{k}:NoExecute")))
                    .map(|k| (k, r.time))
            });
            if let Some((key, tainted)) = taint {
                s.push_str(&format!(
                    "; the node lifecycle controller tainted it {key}:NoExecute at {}",
                    ms(tainted)
                ));
                let tolerated = rec.map(|r| {
                    toleration(&r.pod.spec.tolerations, key).and_then(|t| t.toleration_seconds)
                });
                match tolerated {
                    Some(Some(secs)) => s.push_str(&format!(
                        "; the pod tolerates that taint for {secs}s (tolerationSeconds; the DefaultTolerationSeconds admission plugin adds 300s when the pod names none), so it was deleted when the toleration ran out"
                    )),
                    Some(None) => {
                        s.push_str("; the pod does not tolerate it, so it was deleted at once")
                    }
                    None => {}
                }
            }
            s
        }
        "EvictionByEvictionAPI" => {
            let mut s = format!(
                "Evicted at {} through the eviction API (DisruptionTarget: EvictionByEvictionAPI)",
                ms(at)
            );
            let drain = pod.input.records.iter().rfind(|r| {
                r.kind == "Scenario"
                    && r.event == "Action"
                    && r.time <= at
                    && r.message == format!("kubectl drain {node}")
            });
            if let Some(d) = drain {
                s.push_str(&format!(": kubectl drain {node} started at {}", ms(d.time)));
            }
            let refused: Vec<&TimelineRecord> = pod
                .past()
                .filter(|r| r.reason == "TooManyRequests" && r.time <= at)
                .collect();
            if let (Some(first), Some(last)) = (refused.first(), refused.last()) {
                let why = last
                    .message
                    .split_once("): ")
                    .map_or(last.message.as_str(), |(_, m)| m);
                let when = if refused.len() == 1 {
                    format!("once, at {}", ms(first.time))
                } else {
                    format!(
                        "{} times, from {} to {}",
                        refused.len(),
                        ms(first.time),
                        ms(last.time)
                    )
                };
                s.push_str(&format!(
                    "; the eviction was refused {when} (TooManyRequests: {why}); drain retries every 5s until the budget allows a disruption"
                ));
            }
            s
        }
        other => format!(
            "Marked for disruption at {} ({other}: {})",
            ms(at),
            cond.message
        ),
    };
    let node_down_now = records
        .iter()
        .rfind(|r| {
            r.kind == "Node" && r.name == node && r.event == "Status" && r.time <= pod.input.now
        })
        .is_some_and(|r| !r.to.starts_with("Ready"));
    if cond.reason == "DeletionByTaintManager" && node_down_now {
        s.push_str(
            ". Its kubelet cannot confirm that the containers stopped, so the pod stays Terminating until the node is reachable again",
        );
    }
    let owner = rec.and_then(|r| {
        r.pod
            .metadata
            .owner_references
            .iter()
            .find(|o| o.controller == Some(true))
    });
    match owner.map(|o| (o.kind.as_str(), o.name.as_str())) {
        // FilterActivePods: a pod with a deletionTimestamp is no longer active.
        Some(("ReplicaSet", n)) => s.push_str(&format!(
            ". ReplicaSet {n} no longer counts a pod being deleted and creates a replacement"
        )),
        // The StatefulSet controller waits for the old object before it recreates the ordinal.
        Some(("StatefulSet", n)) => s.push_str(&format!(
            ". StatefulSet {n} recreates {} only once this object is gone",
            pod.name
        )),
        _ => {}
    }
    s.push('.');
    Some(s)
}
