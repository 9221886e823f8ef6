//! Writes the scheduler's per-attempt explanations into the timeline
//! (`spec.scheduler.explain`); see `scheduler::explanation`.

use crate::scheduler::SchedulingResult;
use crate::scheduler::explanation::EVENT;
use crate::timeline::TimelineRecord;

use super::Simulation;

impl Simulation {
    /// The `SchedulingAttempt` row of the attempt that produced `result`.
    pub(super) fn record_scheduling_attempt(&mut self, result: &SchedulingResult) {
        let Some(text) = self.scheduler.take_explanation() else {
            return;
        };
        let (pod, node, verdict) = match result {
            SchedulingResult::Scheduled { pod, node } => (*pod, Some(*node), "Scheduled"),
            SchedulingResult::Unschedulable { pod, .. } => (*pod, None, "Unschedulable"),
            SchedulingResult::Waiting { pod, node } => (*pod, Some(*node), "Waiting"),
            SchedulingResult::Rejected { pod, .. } => (*pod, None, "Rejected"),
        };
        let Some(p) = self.cluster.pod(pod) else {
            return;
        };
        let node_name = node.map_or("", |n| self.cluster.node(n).name.as_str());
        let record = TimelineRecord::new(self.now, "Pod", p.namespace(), p.name(), EVENT)
            .node(node_name)
            .reason(verdict)
            .message(text);
        self.timeline.push(record);
    }
}
