//! Preemption in `kubesim explain pod`: for a victim, who preempted it and why it was chosen
//! (pkg/scheduler/framework/preemption/preemption.go PreemptPod); for a nominated preemptor,
//! the victims it waits for (default_preemption.go PodEligibleToPreemptOthers).

use crate::cluster::{Cluster, PodRecord};
use crate::timeline::TimelineRecord;

use super::{Pod, ms};

fn priority(p: &PodRecord) -> i32 {
    p.pod.spec.priority.unwrap_or(0)
}

/// "Preempted by pod <uid> on node <node>": (uid, node).
fn parse_preempted(message: &str) -> Option<(&str, &str)> {
    let rest = message.strip_prefix("Preempted by pod ")?;
    rest.split_once(" on node ")
}

fn by_uid<'c>(cluster: &'c Cluster, uid: &str) -> Option<&'c PodRecord> {
    cluster.pods().find(|p| p.uid == uid)
}

/// The account of the pod's preemption, or None if no scheduler preempted it by `now`.
/// `rec` is the victim if it still exists.
pub(super) fn victim(pod: &Pod<'_>, rec: Option<&PodRecord>) -> Option<String> {
    let event = pod.events("", "Preempted").last()?;
    let (uid, node) = parse_preempted(&event.message)?;
    let cluster = pod.input.cluster;
    let preemptor = by_uid(cluster, uid);
    let who = preemptor.map_or_else(|| format!("pod uid {uid}"), |p| format!("pod {}", p.key()));
    let prio = match (preemptor, rec) {
        (Some(p), Some(v)) => format!(" (priority {} > {})", priority(p), priority(v)),
        (Some(p), None) => format!(" (priority {})", priority(p)),
        _ => String::new(),
    };
    let mut s = format!(
        "Preempted at {} by {who}{prio} to make room on node {node}: that pod fitted nowhere, the scheduler's DefaultPreemption found that evicting this lower-priority pod lets it fit on {node}, marked this pod DisruptionTarget=True (PreemptionByScheduler) and deleted it gracefully",
        ms(event.time)
    );
    if let Some(d) = rec.and_then(|r| r.deletion.as_ref()) {
        s.push_str(&format!(
            " with a grace period of {}s (the kubelet stops it by {})",
            d.grace_period_seconds,
            ms(d.timestamp)
        ));
    }
    if let Some(p) = preemptor {
        let placed = pod.input.records.iter().find(|r| {
            r.kind == "Pod"
                && r.namespace == p.namespace()
                && r.name == p.name()
                && r.event == "Normal"
                && r.reason == "Scheduled"
                && r.time >= event.time
        });
        if let Some(r) = placed {
            s.push_str(&format!(
                ". Once it is gone, {} is scheduled at {}: {}",
                p.name(),
                ms(r.time),
                r.message
            ));
        }
    }
    Some(format!("{s}."))
}

/// A Pending pod nominated to a node after preempting: the victims it waits for.
pub(super) fn nominated(pod: &Pod<'_>, rec: &PodRecord) -> Option<String> {
    let node = rec.status.nominated_node_name.as_str();
    if node.is_empty() {
        return None;
    }
    let input = pod.input;
    let since = pod
        .past()
        .filter(|r| r.event == "NominatedNodeName" && r.to == node)
        .last()
        .map(|r| format!(" at {}", ms(r.time)))
        .unwrap_or_default();
    let victims: Vec<&TimelineRecord> = input
        .records
        .iter()
        .filter(|r| r.time <= input.now && r.kind == "Pod" && r.reason == "Preempted")
        .filter(|r| parse_preempted(&r.message).is_some_and(|(uid, _)| uid == rec.uid))
        .collect();
    let mut waiting = Vec::new();
    let mut gone = Vec::new();
    for v in &victims {
        let live = input
            .cluster
            .find_pod(&v.namespace, &v.name)
            .and_then(|id| input.cluster.pod(id));
        match live {
            Some(p) => {
                let until = p
                    .deletion
                    .as_ref()
                    .map(|d| {
                        format!(
                            ", terminating with a grace period of {}s, until {} at the latest",
                            d.grace_period_seconds,
                            ms(d.timestamp)
                        )
                    })
                    .unwrap_or_default();
                waiting.push(format!(
                    "{} (priority {} < {}{until})",
                    v.name,
                    priority(p),
                    priority(rec)
                ));
            }
            None => gone.push(v.name.to_string()),
        }
    }
    let mut s = format!("Nominated to node {node}{since} (status.nominatedNodeName): preemption");
    if victims.is_empty() {
        s.push_str(" chose that node");
    } else {
        let names: Vec<&str> = victims.iter().map(|v| v.name.as_str()).collect();
        s.push_str(&format!(" evicted {} to make room there", names.join(", ")));
    }
    if waiting.is_empty() {
        if !gone.is_empty() {
            s.push_str(&format!(
                "; {} {} gone, so the next attempt tries {node} first",
                gone.join(", "),
                if gone.len() == 1 { "is" } else { "are" }
            ));
        }
    } else {
        s.push_str(&format!(
            ". It waits for its victims to terminate: {}. Until they are gone the pod does not preempt again (\"not eligible due to a terminating pod on the nominated node\"), and pods of lower priority see the room on {node} as taken",
            waiting.join("; ")
        ));
    }
    Some(format!("{s}."))
}
