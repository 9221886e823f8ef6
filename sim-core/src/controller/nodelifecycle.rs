//! The node lifecycle controller's health monitoring (pkg/controller/nodelifecycle/
//! node_lifecycle_controller.go monitorNodeHealth / tryUpdateNodeHealth) and the kubelet
//! heartbeat it watches (pkg/kubelet/nodelease, kubelet_node_status.go).
//!
//! The kubelet renews its Lease every `nodeStatusUpdateFrequency` on a fixed grid from its
//! start; the controller runs monitorNodeHealth every `nodeMonitorPeriod` from its own start
//! (time zero). Both are periodic and stateless while nothing changes, so they are computed
//! rather than simulated tick by tick: a failed node is marked `Unknown` at the first monitor
//! pass that finds its last observed heartbeat older than the grace period.

use crate::api::{Taint, TaintEffect};
use crate::cluster::ConditionStatus;
use crate::time::{SimDuration, SimTime};

/// The Ready condition the controller writes when heartbeats stop (tryUpdateNodeHealth).
pub const NODE_STATUS_UNKNOWN_REASON: &str = "NodeStatusUnknown";
pub const NODE_STATUS_UNKNOWN_MESSAGE: &str = "Kubelet stopped posting node status.";
/// The pod event of MarkPodsNotReady (pkg/controller/util/node/controller_utils.go).
pub const POD_NODE_NOT_READY_REASON: &str = "NodeNotReady";
pub const POD_NODE_NOT_READY_MESSAGE: &str = "Node is not ready";
/// The event source of the node lifecycle controller's recorder.
pub const SOURCE: &str = "node-controller";

/// The latest heartbeat of a kubelet started at `origin` renewing every `period`, at or before
/// `at` (the start itself counts: the kubelet registers with a fresh status).
pub fn last_heartbeat(origin: SimTime, period: SimDuration, at: SimTime) -> SimTime {
    let p = period.as_nanos().max(1);
    let elapsed = at.saturating_since(origin).as_nanos();
    origin + SimDuration::from_nanos(elapsed / p * p)
}

/// The first heartbeat at or after `at`.
pub fn next_heartbeat(origin: SimTime, period: SimDuration, at: SimTime) -> SimTime {
    let p = period.as_nanos().max(1);
    let elapsed = at.saturating_since(origin).as_nanos();
    origin + SimDuration::from_nanos(elapsed.div_ceil(p) * p)
}

/// The monitor pass that turns Ready `Unknown`: the first pass strictly after
/// `probe + grace` (tryUpdateNodeHealth: `nodeHealth.probeTimestamp.Add(gracePeriod).Before(now)`),
/// where `probe` is when the controller observed the last heartbeat.
pub fn unknown_at(probe: SimTime, grace: SimDuration, monitor_period: SimDuration) -> SimTime {
    let p = monitor_period.as_nanos().max(1);
    let deadline = (probe + grace).as_nanos();
    SimTime::from_nanos((deadline / p + 1) * p)
}

/// The first monitor pass at or after `at`.
pub fn next_monitor_pass(at: SimTime, monitor_period: SimDuration) -> SimTime {
    let p = monitor_period.as_nanos().max(1);
    SimTime::from_nanos(at.as_nanos().div_ceil(p) * p)
}

/// The taints an unreachable node gets: `unreachable:NoSchedule` from doNoScheduleTaintingPass
/// (TaintNodesByCondition) and `unreachable:NoExecute` from processTaintBaseEviction.
pub fn unreachable_taints() -> [Taint; 2] {
    let taint = |effect| Taint {
        key: crate::api::defaults::TAINT_NODE_UNREACHABLE.to_string(),
        value: String::new(),
        effect: Some(effect),
    };
    [
        taint(TaintEffect::NoSchedule),
        taint(TaintEffect::NoExecute),
    ]
}

/// Whether a taint is one of those the controller manages for unreachable or not-ready nodes.
pub fn is_node_condition_taint(taint: &Taint) -> bool {
    taint.key == crate::api::defaults::TAINT_NODE_UNREACHABLE
        || taint.key == crate::api::defaults::TAINT_NODE_NOT_READY
}

/// The node condition types a kubelet reports, in its setters' order
/// (pkg/kubelet/nodestatus/setters.go: MemoryPressure, DiskPressure, PIDPressure, Ready).
pub const NODE_CONDITION_TYPES: [&str; 4] =
    ["MemoryPressure", "DiskPressure", "PIDPressure", "Ready"];

/// A node condition as `kubectl describe node` lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NodeCondition {
    pub type_: &'static str,
    pub status: ConditionStatus,
    pub reason: &'static str,
    pub message: &'static str,
}

/// The node's conditions. A kubelet that posts status reports no pressure (kubesim models no
/// eviction thresholds): MemoryPressure/DiskPressure/PIDPressure False with the kubelet's
/// reasons. Once the node lifecycle controller stops hearing from it, tryUpdateNodeHealth turns
/// Ready and the three pressure conditions Unknown (NodeStatusUnknown).
pub fn node_conditions(ready: ConditionStatus, ready_reason: &'static str) -> [NodeCondition; 4] {
    let pressure = |type_, reason, message| match ready {
        ConditionStatus::Unknown => NodeCondition {
            type_,
            status: ConditionStatus::Unknown,
            reason: NODE_STATUS_UNKNOWN_REASON,
            message: NODE_STATUS_UNKNOWN_MESSAGE,
        },
        _ => NodeCondition {
            type_,
            status: ConditionStatus::False,
            reason,
            message,
        },
    };
    [
        pressure(
            "MemoryPressure",
            "KubeletHasSufficientMemory",
            "kubelet has sufficient memory available",
        ),
        pressure(
            "DiskPressure",
            "KubeletHasNoDiskPressure",
            "kubelet has no disk pressure",
        ),
        pressure(
            "PIDPressure",
            "KubeletHasSufficientPID",
            "kubelet has sufficient PID available",
        ),
        NodeCondition {
            type_: "Ready",
            status: ready,
            reason: ready_reason,
            message: match ready {
                ConditionStatus::True => "kubelet is posting ready status",
                _ => NODE_STATUS_UNKNOWN_MESSAGE,
            },
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(secs: u64) -> SimTime {
        SimTime::ZERO + SimDuration::from_secs(secs)
    }

    #[test]
    fn heartbeats_sit_on_the_kubelet_grid() {
        let ten = SimDuration::from_secs(10);
        assert_eq!(last_heartbeat(s(3), ten, s(60)), s(53));
        assert_eq!(last_heartbeat(s(3), ten, s(63)), s(63));
        assert_eq!(last_heartbeat(s(3), ten, s(1)), s(3));
        assert_eq!(next_heartbeat(s(3), ten, s(60)), s(63));
        assert_eq!(next_heartbeat(s(3), ten, s(63)), s(63));
    }

    #[test]
    fn unknown_needs_the_grace_period_strictly_exceeded() {
        let (grace, period) = (SimDuration::from_secs(50), SimDuration::from_secs(5));
        // Last heartbeat seen at 53s: 103s is past the deadline, the pass at 105s acts.
        assert_eq!(unknown_at(s(53), grace, period), s(105));
        // Seen exactly at 50s: 100s is not "before" 100s, the next pass acts.
        assert_eq!(unknown_at(s(50), grace, period), s(105));
        assert_eq!(next_monitor_pass(s(100), period), s(100));
        assert_eq!(next_monitor_pass(s(101), period), s(105));
    }

    #[test]
    fn pressure_conditions_follow_the_kubelet_and_turn_unknown_with_ready() {
        let posting = node_conditions(ConditionStatus::True, "KubeletReady");
        let types: Vec<_> = posting.iter().map(|c| c.type_).collect();
        assert_eq!(types, NODE_CONDITION_TYPES);
        assert_eq!(posting[0].status, ConditionStatus::False);
        assert_eq!(posting[0].reason, "KubeletHasSufficientMemory");
        assert_eq!(posting[3].message, "kubelet is posting ready status");
        let lost = node_conditions(ConditionStatus::Unknown, NODE_STATUS_UNKNOWN_REASON);
        for c in &lost {
            assert_eq!(c.status, ConditionStatus::Unknown, "{}", c.type_);
            assert_eq!(c.reason, NODE_STATUS_UNKNOWN_REASON);
            assert_eq!(c.message, NODE_STATUS_UNKNOWN_MESSAGE);
        }
    }
}
