//! kube-scheduler as a pure component: it keeps its own queue, reads the cluster state it is
//! handed, and answers "schedule one pod now" with a placement or a failure. It never touches the
//! engine; time arrives as a value.

pub mod framework;
pub mod message;
pub mod plugins;
mod queue;

use crate::cluster::{Cluster, NodeId, PodId, PodRecord};
use crate::rng::{SimRng, uniform_below};
use crate::time::SimTime;

use framework::{FilterPlugin, FilterStatus, ScorePlugin};
pub use message::FitError;
use plugins::{
    LeastAllocated, NodeAffinity, NodeName, NodePorts, NodeResourcesFit, NodeUnschedulable,
    TaintToleration,
};
pub use queue::SchedulingQueue;

/// Changes of the cluster the scheduler reacts to (its informers' events).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum ClusterEvent {
    /// A pod that needs scheduling appeared.
    PodAdded(PodId),
    /// A pod left the API or stopped needing a node (deleted, bound elsewhere).
    PodDeleted(PodId),
    /// A node was added or changed (uncordon, new allocatable).
    NodeChanged(NodeId),
}

/// The result of one scheduling cycle.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SchedulingResult {
    /// The pod was assumed on `node`; binding follows.
    Scheduled { pod: PodId, node: NodeId },
    /// No node fits: the FailedScheduling event and PodScheduled=False carry `error`.
    Unschedulable { pod: PodId, error: FitError },
}

/// The seam for a scheduler. `DefaultScheduler` is kubesim's kube-scheduler; a user can supply
/// their own implementation to the engine.
pub trait Scheduler {
    fn on_event(&mut self, now: SimTime, event: ClusterEvent, cluster: &Cluster);
    /// Pops the next pod and runs one scheduling cycle for it, if a pod is ready.
    fn schedule_one(&mut self, now: SimTime, cluster: &Cluster) -> Option<SchedulingResult>;
    /// The earliest time a queued pod becomes ready (back-off expiry, periodic flush).
    fn next_wakeup(&self) -> Option<SimTime>;
    fn has_ready(&self) -> bool;
}

/// The default profile's plugins implemented so far, run in upstream's order.
pub struct DefaultScheduler {
    queue: SchedulingQueue,
    filters: Vec<Box<dyn FilterPlugin>>,
    scorers: Vec<(Box<dyn ScorePlugin>, i64)>,
    rng: SimRng,
    /// pkg/scheduler/schedule_one.go nextStartNodeIndex: where the next filter walk starts.
    next_start_node_index: usize,
    percentage_of_nodes_to_score: Option<u32>,
}

impl DefaultScheduler {
    /// `rng` is the scheduler's own stream (host selection tie-breaks).
    pub fn new(rng: SimRng) -> Self {
        DefaultScheduler {
            queue: SchedulingQueue::default(),
            // apis/config/v1/default_plugins.go: the default profile's filter order.
            filters: vec![
                Box::new(NodeUnschedulable),
                Box::new(NodeName),
                Box::new(TaintToleration),
                Box::new(NodeAffinity),
                Box::new(NodePorts),
                Box::new(NodeResourcesFit),
            ],
            // apis/config/v1/default_plugins.go: NodeResourcesFit's score has weight 1.
            scorers: vec![(Box::new(LeastAllocated), 1)],
            rng,
            next_start_node_index: 0,
            percentage_of_nodes_to_score: None,
        }
    }

    /// The default profile's filters on one node, stopping at the first failure (also used by
    /// `kubesim explain` to give each node's reason).
    pub fn run_filters(
        &self,
        pod: &PodRecord,
        node_index: usize,
        cluster: &Cluster,
    ) -> FilterStatus {
        let node = &cluster.nodes()[node_index];
        for f in &self.filters {
            // Matched rather than tested, so a Success needs no drop.
            match f.filter(pod, node, cluster) {
                FilterStatus::Success => {}
                failed => return failed,
            }
        }
        FilterStatus::Success
    }

    /// pkg/scheduler/schedule_one.go findNodesThatPassFilters + prioritizeNodes + selectHost.
    fn schedule_pod(&mut self, pod: &PodRecord, cluster: &Cluster) -> Result<NodeId, FitError> {
        let nodes = cluster.nodes();
        let n = nodes.len();
        let want = num_feasible_nodes_to_find(self.percentage_of_nodes_to_score, n);
        let mut feasible = Vec::new();
        let mut statuses: Vec<(usize, FilterStatus)> = Vec::new();
        let mut processed = 0;
        for k in 0..n {
            if feasible.len() >= want {
                break;
            }
            let i = (self.next_start_node_index + k) % n;
            processed += 1;
            match self.run_filters(pod, i, cluster) {
                FilterStatus::Success => feasible.push(i),
                s => statuses.push((i, s)),
            }
        }
        if n > 0 {
            self.next_start_node_index = (self.next_start_node_index + processed) % n;
        }
        if feasible.is_empty() {
            return Err(FitError::new(pod, n, &statuses, cluster));
        }
        if feasible.len() == 1 {
            return Ok(nodes[feasible[0]].id);
        }
        let mut totals = vec![0i64; feasible.len()];
        for (plugin, weight) in &self.scorers {
            let mut scores: Vec<i64> = feasible
                .iter()
                .map(|&i| plugin.score(pod, &nodes[i], cluster))
                .collect();
            plugin.normalize(&mut scores);
            for (t, s) in totals.iter_mut().zip(scores) {
                *t += s * weight;
            }
        }
        // selectHost: reservoir sampling among the top scores, uniform over ties.
        let mut best = 0;
        let mut best_score = totals[0];
        let mut ties = 1u64;
        for (j, &score) in totals.iter().enumerate().skip(1) {
            if score > best_score {
                best = j;
                best_score = score;
                ties = 1;
            } else if score == best_score {
                ties += 1;
                if uniform_below(&mut self.rng, ties) == 0 {
                    best = j;
                }
            }
        }
        Ok(nodes[feasible[best]].id)
    }
}

/// schedule_one.go numFeasibleNodesToFind (minFeasibleNodesToFind = 100,
/// minFeasibleNodesPercentageToFind = 5, adaptive percentage `50 - n/125` when unset).
pub fn num_feasible_nodes_to_find(percentage: Option<u32>, num_all_nodes: usize) -> usize {
    const MIN_FEASIBLE_NODES_TO_FIND: usize = 100;
    const MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND: i64 = 5;
    if num_all_nodes < MIN_FEASIBLE_NODES_TO_FIND {
        return num_all_nodes;
    }
    let mut pct = i64::from(percentage.unwrap_or(0));
    if pct == 0 {
        pct = 50 - (num_all_nodes as i64) / 125;
        if pct < MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND {
            pct = MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND;
        }
    }
    let k = (num_all_nodes as i64 * pct / 100) as usize;
    k.max(MIN_FEASIBLE_NODES_TO_FIND)
}

impl Scheduler for DefaultScheduler {
    fn on_event(&mut self, now: SimTime, event: ClusterEvent, cluster: &Cluster) {
        match event {
            ClusterEvent::PodAdded(id) => {
                if let Some(p) = cluster.pod(id) {
                    self.queue.add(now, id, p.pod.spec.priority.unwrap_or(0));
                }
            }
            ClusterEvent::PodDeleted(id) => {
                self.queue.remove(id);
                // A pod leaving frees resources: retry the unschedulable ones.
                self.queue.move_all_to_active_or_backoff(now);
            }
            ClusterEvent::NodeChanged(_) => self.queue.move_all_to_active_or_backoff(now),
        }
    }

    fn schedule_one(&mut self, now: SimTime, cluster: &Cluster) -> Option<SchedulingResult> {
        loop {
            let id = self.queue.pop(now)?;
            let Some(pod) = cluster.pod(id) else { continue };
            if pod.node.is_some() || pod.assumed_node.is_some() || pod.deletion.is_some() {
                continue;
            }
            return Some(match self.schedule_pod(pod, cluster) {
                Ok(node) => {
                    self.queue.forget(id);
                    SchedulingResult::Scheduled { pod: id, node }
                }
                Err(error) => {
                    self.queue
                        .add_unschedulable(now, id, pod.pod.spec.priority.unwrap_or(0));
                    SchedulingResult::Unschedulable { pod: id, error }
                }
            });
        }
    }

    fn next_wakeup(&self) -> Option<SimTime> {
        self.queue.next_wakeup()
    }

    fn has_ready(&self) -> bool {
        self.queue.has_active()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Ported from TestNumFeasibleNodesToFind (pkg/scheduler/schedule_one_test.go).
    #[test]
    fn num_feasible_nodes() {
        for (nodes, pct, want) in [
            (10, None, 10),
            (10, Some(40), 10),
            (1000, None, 420),
            (1000, Some(40), 400),
            (6000, None, 300),
            (6000, Some(40), 2400),
        ] {
            assert_eq!(
                num_feasible_nodes_to_find(pct, nodes),
                want,
                "{nodes} nodes, {pct:?}"
            );
        }
    }
}
