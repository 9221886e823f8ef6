//! nodename/node_name.go: a pod naming a node fits only that node.

use crate::cluster::{NodeId, PodRecord};
use crate::scheduler::events::ClusterEventType;
use crate::scheduler::framework::{FilterPlugin, Snapshot, Status};

pub const ERR_REASON: &str = "node(s) didn't match the requested node name";

pub struct NodeName;

impl FilterPlugin for NodeName {
    /// node_name.go EventsToRegister with queueing hints: a node added (no hint: Queue).
    fn events_to_register(&self) -> &'static [ClusterEventType] {
        const EVENTS: &[ClusterEventType] = &[ClusterEventType::NODE_ADD];
        EVENTS
    }

    fn name(&self) -> &'static str {
        "NodeName"
    }

    /// Upstream has no PreFilter here; a pod without `nodeName` passes every node, so
    /// skipping is exact.
    fn pre_filter(&mut self, pod: &PodRecord, _: Snapshot<'_>) -> Status {
        if pod.pod.spec.node_name.is_empty() {
            Status::SKIP
        } else {
            Status::SUCCESS
        }
    }

    fn filter(&self, pod: &PodRecord, id: NodeId, s: Snapshot<'_>) -> Status {
        let node = s.node(id);
        let want = pod.pod.spec.node_name.as_str();
        if want.is_empty() || want == node.name {
            Status::SUCCESS
        } else {
            Status::unresolvable(ERR_REASON)
        }
    }
}
