//! Routing for PodGC (`crate::controller::podgc`). Its loop runs every gcCheckPeriod from the
//! start; a pass is only scheduled when it has something to do, so an idle run still quiesces.

use super::Simulation;
use super::controllers::ControllerEvent;
use crate::cluster::PodId;
use crate::controller::podgc::{self, PodView};

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

    /// gcTerminated: force-deletes the terminated pods beyond the threshold, oldest first.
    pub(super) fn pod_gc_pass(&mut self) {
        let threshold = self.controllers.timings.terminated_pod_gc_threshold;
        let doomed: Vec<PodId> = {
            let pods: Vec<_> = self.cluster.pods().collect();
            let views: Vec<PodView> = pods
                .iter()
                .map(|p| PodView {
                    name: p.name(),
                    created_at: p.created_at,
                    phase: p.status.phase,
                    evicted: p.status.phase == crate::cluster::PodPhase::Failed
                        && p.status.reason == "Evicted",
                    node_name: p.node.map(|n| self.cluster.node(n).name.as_str()),
                    terminating: p.deletion.is_some(),
                })
                .collect();
            podgc::gc_terminated(&views, threshold)
                .into_iter()
                .map(|i| pods[i].id)
                .collect()
        };
        for id in doomed {
            self.delete_pod(id, Some(0), podgc::SOURCE);
        }
    }
}
