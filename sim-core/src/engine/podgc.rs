//! Routing for PodGC (`crate::controller::podgc`). Its loop runs every gcCheckPeriod from the
//! start; a pass is only scheduled when it has something to do, so an idle run still quiesces.

use std::collections::BTreeSet;
use std::sync::Arc;

use super::Simulation;
use super::controllers::ControllerEvent;
use crate::cluster::{ConditionStatus, ConditionType, PodId, PodPhase};
use crate::controller::podgc::{self, PodView};
use crate::time::SimTime;

impl Simulation {
    /// After a batch: a pod that turned terminal with more terminated pods than the threshold
    /// wakes the next pass of the loop.
    pub(super) fn pod_gc_observe(&mut self, batch: &[PodId]) {
        let threshold = self.controllers.timings.terminated_pod_gc_threshold;
        if threshold == 0 || self.cluster.pod_count() <= threshold {
            return;
        }
        let turned_terminal = batch
            .iter()
            .filter_map(|&id| self.cluster.pod(id))
            .any(|p| p.status.phase.is_terminal());
        if !turned_terminal {
            return;
        }
        let period = self.controllers.timings.pod_gc_period;
        self.wake(ControllerEvent::PodGc, podgc::next_pass(self.now, period));
    }

    /// A node object disappeared at `observed` (as PodGC's informer sees it): the first pass
    /// after it queues the node, a later one deletes the pods still bound to it.
    pub(super) fn pod_gc_wake_for_orphans(&mut self, observed: SimTime) {
        let period = self.controllers.timings.pod_gc_period;
        self.wake(ControllerEvent::PodGc, podgc::next_pass(observed, period));
    }

    /// One pass of gc(): gcTerminated, then gcOrphaned (gcTerminating needs the
    /// out-of-service taint, which no action sets; unscheduled pods are deleted at once).
    pub(super) fn pod_gc_pass(&mut self) {
        let threshold = self.controllers.timings.terminated_pod_gc_threshold;
        let now = self.now;
        let (terminated, orphaned): (Vec<PodId>, Vec<PodId>) = {
            let pods: Vec<_> = self.cluster.pods().collect();
            let views: Vec<PodView> = pods
                .iter()
                .map(|p| PodView {
                    name: p.name(),
                    created_at: p.created_at,
                    phase: p.status.phase,
                    evicted: p.status.phase == PodPhase::Failed && p.status.reason == "Evicted",
                    node_name: p.node.map(|n| self.cluster.node(n).name.as_str()),
                    terminating: p.deletion.is_some(),
                })
                .collect();
            let nodes: BTreeSet<&str> =
                self.cluster.live_nodes().map(|n| n.name.as_str()).collect();
            let terminated = podgc::gc_terminated(&views, threshold);
            let orphaned = self.controllers.pod_gc_quarantine.gc_orphaned(
                now,
                &views,
                &nodes,
                podgc::QUARANTINE_TIME,
            );
            let ids = |v: Vec<usize>| v.into_iter().map(|i| pods[i].id).collect();
            (ids(terminated), ids(orphaned))
        };
        for id in terminated {
            self.delete_pod(id, Some(0), podgc::SOURCE);
        }
        for id in orphaned {
            self.mark_failed_and_delete(id);
        }
        if let Some(ready) = self.controllers.pod_gc_quarantine.next_ready() {
            let period = self.controllers.timings.pod_gc_period;
            self.wake(ControllerEvent::PodGc, podgc::next_pass(ready, period));
        }
    }

    /// markFailedAndDeletePodWithCondition: a pod not yet terminal is patched to Failed with
    /// the DisruptionTarget condition (no kubelet would ever finish it), then deleted with
    /// grace period 0.
    fn mark_failed_and_delete(&mut self, id: PodId) {
        let now = self.now;
        let Some(p) = self.cluster.pod_mut(id) else {
            return;
        };
        if !p.status.phase.is_terminal() {
            let status = Arc::make_mut(&mut p.status);
            status.phase = PodPhase::Failed;
            status.set_condition(
                now,
                ConditionType::DisruptionTarget,
                ConditionStatus::True,
                podgc::ORPHANED_REASON,
                podgc::ORPHANED_MESSAGE,
            );
            self.dirty.insert(id);
        }
        self.delete_pod(id, Some(0), podgc::SOURCE);
    }
}
