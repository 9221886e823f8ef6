//! nodename/node_name.go: a pod naming a node fits only that node.

use crate::cluster::{NodeRecord, PodRecord};
use crate::scheduler::framework::{FilterPlugin, Snapshot, Status};

pub const ERR_REASON: &str = "node(s) didn't match the requested node name";

pub struct NodeName;

impl FilterPlugin for NodeName {
    fn name(&self) -> &'static str {
        "NodeName"
    }

    fn filter(&self, pod: &PodRecord, node: &NodeRecord, _: Snapshot<'_>) -> Status {
        let want = pod.pod.spec.node_name.as_str();
        if want.is_empty() || want == node.name {
            Status::SUCCESS
        } else {
            Status::unresolvable(ERR_REASON)
        }
    }
}
