//! nodeunschedulable/node_unschedulable.go: a cordoned node takes only pods that tolerate
//! `node.kubernetes.io/unschedulable:NoSchedule`.

use crate::api::{Taint, TaintEffect};
use crate::cluster::{NodeId, PodRecord};
use crate::scheduler::events::{ClusterEventType, NODE_TAINT_EVENTS, QueueEvent, QueueingHint};
use crate::scheduler::framework::{FilterPlugin, Snapshot, Status, retain_passing};

use super::taint_toleration::tolerates;

pub const TAINT_NODE_UNSCHEDULABLE: &str = "node.kubernetes.io/unschedulable";
pub const ERR_REASON: &str = "node(s) were unschedulable";

pub struct NodeUnschedulable;

impl FilterPlugin for NodeUnschedulable {
    /// node_unschedulable.go EventsToRegister with queueing hints: a node added or its taints
    /// (and spec.unschedulable) changed, a pod's tolerations changed.
    fn events_to_register(&self) -> &'static [ClusterEventType] {
        NODE_TAINT_EVENTS
    }

    /// isSchedulableAfterNodeChange (a node that is, or became, schedulable) and
    /// isSchedulableAfterPodTolerationChange (the pod now tolerates the unschedulable taint).
    fn queueing_hint(&self, pod: &PodRecord, e: &QueueEvent<'_>, _: Snapshot<'_>) -> QueueingHint {
        let queue = match (e.new_node(), e.new_pod()) {
            (Some(new), _) => !new.unschedulable && e.old_node().is_none_or(|o| o.unschedulable),
            (None, Some(new)) => new.id == pod.id && tolerates_unschedulable(new),
            (None, None) => true,
        };
        QueueingHint::queue_if(queue)
    }

    fn name(&self) -> &'static str {
        "NodeUnschedulable"
    }

    fn filter(&self, pod: &PodRecord, id: NodeId, s: Snapshot<'_>) -> Status {
        if !s.cache.flags(id).unschedulable {
            return Status::SUCCESS;
        }
        if tolerates_unschedulable(pod) {
            Status::SUCCESS
        } else {
            Status::unresolvable(ERR_REASON)
        }
    }

    fn filter_batch(
        &self,
        pod: &PodRecord,
        nodes: &mut Vec<NodeId>,
        s: Snapshot<'_>,
        rejected: &mut Vec<(NodeId, Status)>,
    ) {
        if !s.cache.any_unschedulable() {
            return;
        }
        let passes = |id| !s.cache.flags(id).unschedulable;
        retain_passing(nodes, rejected, passes, |id| self.filter(pod, id, s));
    }
}

/// The pod tolerates `node.kubernetes.io/unschedulable:NoSchedule`.
fn tolerates_unschedulable(pod: &PodRecord) -> bool {
    let taint = Taint {
        key: TAINT_NODE_UNSCHEDULABLE.to_string(),
        value: String::new(),
        effect: Some(TaintEffect::NoSchedule),
    };
    pod.pod
        .spec
        .tolerations
        .iter()
        .any(|t| tolerates(t, &taint))
}
