//! nodeunschedulable/node_unschedulable.go: a cordoned node takes only pods that tolerate
//! `node.kubernetes.io/unschedulable:NoSchedule`.

use crate::api::{Taint, TaintEffect};
use crate::cluster::{NodeId, PodRecord};
use crate::scheduler::framework::{FilterPlugin, Snapshot, Status};

use super::taint_toleration::tolerates;

pub const TAINT_NODE_UNSCHEDULABLE: &str = "node.kubernetes.io/unschedulable";
pub const ERR_REASON: &str = "node(s) were unschedulable";

pub struct NodeUnschedulable;

impl FilterPlugin for NodeUnschedulable {
    fn name(&self) -> &'static str {
        "NodeUnschedulable"
    }

    fn filter(&self, pod: &PodRecord, id: NodeId, s: Snapshot<'_>) -> Status {
        if !s.cache.flags(id).unschedulable {
            return Status::SUCCESS;
        }
        let taint = Taint {
            key: TAINT_NODE_UNSCHEDULABLE.to_string(),
            value: String::new(),
            effect: Some(TaintEffect::NoSchedule),
        };
        if pod
            .pod
            .spec
            .tolerations
            .iter()
            .any(|t| tolerates(t, &taint))
        {
            Status::SUCCESS
        } else {
            Status::unresolvable(ERR_REASON)
        }
    }
}
