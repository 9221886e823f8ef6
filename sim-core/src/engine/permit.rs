//! What the engine does with the scheduler's Permit and binding-cycle results: a pod held at
//! Permit stays assumed on its node (resources reserved, not bound); a failed Reserve, Permit,
//! PreBind or Bind gives the FailedScheduling event and PodScheduled=False
//! (schedule_one.go handleSchedulingFailure) and forgets the assumption.

use std::sync::Arc;

use crate::cluster::{ConditionStatus, ConditionType, EventType, NodeId, PodId};

use super::Simulation;
use super::binding::scheduler_source;

impl Simulation {
    /// `SchedulingResult::Waiting`: assume the pod on `node` without binding it.
    pub(super) fn assume_waiting(&mut self, pod: PodId, node: NodeId) {
        self.cluster.reserve(node, pod);
        if let Some(p) = self.cluster.pod_mut(pod) {
            p.assumed_node = Some(node);
        }
    }

    /// A failed scheduling attempt (`Unschedulable`, or `Rejected` after a node was chosen):
    /// the assumption on `node` is forgotten, PodScheduled=False, Warning FailedScheduling.
    pub(super) fn scheduling_failed(
        &mut self,
        pod: PodId,
        node: Option<NodeId>,
        reason: &'static str,
        message: String,
    ) {
        if node.is_some() {
            self.cluster.forget_assumed(pod);
        }
        let now = self.now;
        let Some(p) = self.cluster.pod_mut(pod) else {
            return;
        };
        Arc::make_mut(&mut p.status).set_condition(
            now,
            ConditionType::PodScheduled,
            ConditionStatus::False,
            reason,
            &message,
        );
        let (ns, name) = (p.namespace().to_string(), p.name().to_string());
        let source = scheduler_source(p);
        self.dirty.insert(pod);
        self.record_event(
            "Pod",
            &ns,
            &name,
            EventType::Warning,
            "FailedScheduling",
            message,
            &source,
            "",
        );
    }
}
