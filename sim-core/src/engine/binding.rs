//! The API side of a successful scheduling cycle (pkg/scheduler/schedule_one.go
//! schedulingCycle's assume, bindingCycle): the pod is assumed on its node at once (its
//! resources count for the next cycles), the Bind call lands `timings.bindingLatency` later
//! and sets `spec.nodeName` and PodScheduled=True (the binding subresource), and only then
//! does the profile's recorder report `Scheduled` (bindingCycle, after Bind and PostBind).

use crate::cluster::{NodeId, PodId, PodRecord};
use crate::text::concat;

use super::{Event, Simulation};

/// The component name a pod's scheduler reports events under: its profile's
/// `schedulerName` (profile.go NewMap: `recorderFact(cfg.SchedulerName)`). The API server
/// defaults an empty `spec.schedulerName` to `default-scheduler`.
pub(super) fn scheduler_source(p: &PodRecord) -> String {
    match p.pod.spec.scheduler_name.as_str() {
        "" => crate::api::defaults::DEFAULT_SCHEDULER_NAME.to_string(),
        name => name.to_string(),
    }
}

impl Simulation {
    /// `SchedulingResult::Scheduled`: assume the pod on `node` and send the Bind call.
    pub(super) fn assume_and_bind(&mut self, pod: PodId, node: NodeId) {
        self.cluster.reserve(node, pod);
        if let Some(p) = self.cluster.pod_mut(pod) {
            p.assumed_node = Some(node);
        }
        let at = self.now + self.scenario.control_plane.binding_latency;
        self.queue.schedule(at, Event::Bind { pod, node });
    }

    /// The Bind call completes: the binding is applied, then `Scheduled` is reported. A pod
    /// deleted while its binding was in flight is not bound and gets no event.
    pub(super) fn bind_assumed(&mut self, pod: PodId, node: NodeId) {
        self.bind(pod, node);
        let Some(p) = self.cluster.pod(pod) else {
            return;
        };
        if p.node != Some(node) {
            return;
        }
        let (ns, name) = (p.namespace().to_string(), p.name().to_string());
        let source = scheduler_source(p);
        let node_name = self.cluster.node(node).name.clone();
        let msg = concat(&[
            "Successfully assigned ",
            &ns,
            "/",
            &name,
            " to ",
            &node_name,
        ]);
        self.record_event(
            "Pod",
            &ns,
            &name,
            crate::cluster::EventType::Normal,
            "Scheduled",
            msg,
            &source,
            &node_name,
        );
    }
}
