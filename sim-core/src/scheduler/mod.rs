//! kube-scheduler as a pure component: it keeps its own queue and cache, reads the cluster
//! state it is handed, and answers "schedule one pod now" with a placement or a failure. It
//! never touches the engine; time arrives as a value.
//!
//! Layout: `framework` (extension points, Status, Snapshot), `profile` (a profile's plugins
//! and the scheduling cycle), `plugins/` (one module per default plugin), `preemption`
//! (DefaultPreemption, the PostFilter plugin), `nominator` (nominated pods), `cache` (node
//! tree order, image spread), `queue` (activeQ, backoffQ, unschedulable pool), `message`
//! (FitError), `score_memo` (per-node memo of the resource scores).

pub mod binding;
pub mod cache;
pub mod config;
mod event_handlers;
pub mod events;
pub mod explanation;
pub mod framework;
pub mod message;
pub mod nominator;
pub mod perf;
pub mod plugins;
pub mod pod_index;
pub mod preemption;
pub mod profile;
mod queue;
pub mod score_memo;
#[cfg(test)]
pub(crate) mod testutil;

use crate::cluster::{Cluster, NodeId, PodId, PodRecord};
use crate::rng::SimRng;
use crate::time::SimTime;

use cache::SchedulerCache;
use framework::{PostFilterContext, PostFilterResult, Snapshot};
pub use message::FitError;
use nominator::Nominator;
pub use preemption::{DisruptionBudget, Nomination};
pub use profile::{Profile, num_feasible_nodes_to_find};
pub use queue::SchedulingQueue;

/// Changes of the cluster the scheduler reacts to: its informers' events
/// (pkg/scheduler/eventhandlers.go). `DefaultScheduler` turns them into the queue's cluster
/// events (`events::ClusterEventType`) and asks the rejecting plugins' queueing hints.
#[derive(Copy, Clone, Debug)]
pub enum ClusterEvent<'a> {
    /// A pod that needs scheduling appeared (addPodToSchedulingQueue).
    PodAdded(PodId),
    /// A pod's binding landed: an assigned pod appeared (addPodToCache, AssignedPodAdd).
    PodBound(PodId),
    /// A pod object was updated (labels, tolerations, nominatedNodeName...); `old` is the
    /// object before the update, `cluster` holds the new one.
    PodUpdated { id: PodId, old: &'a PodRecord },
    /// A pod went Succeeded or Failed. The scheduler's pod informer leaves terminal pods
    /// out (newPodInformer's field selector), so for it an assigned pod was deleted.
    PodTerminated(PodId),
    /// A pod object left the API; `pod` is its last state (no longer in the cluster).
    PodDeleted { id: PodId, pod: &'a PodRecord },
    /// A node was added, changed (labels, taints, allocatable, cordon, Ready) or deleted.
    NodeChanged(NodeId),
}

/// The result of one scheduling cycle.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SchedulingResult {
    /// The pod was assumed on `node`; binding follows.
    Scheduled { pod: PodId, node: NodeId },
    /// No node fits: the FailedScheduling event and PodScheduled=False carry `error`;
    /// `nomination` is PostFilter's (preemption's) change to `status.nominatedNodeName`.
    Unschedulable {
        pod: PodId,
        error: FitError,
        nomination: Nomination,
    },
    /// A Permit plugin holds the pod: it is assumed on `node` (its resources reserved) but
    /// not bound; a later `Scheduled` or `Rejected` for it follows.
    Waiting { pod: PodId, node: NodeId },
    /// The attempt failed with an error (a Filter or Score plugin's, or Reserve, PreBind or
    /// Bind's), or Permit rejected the pod or its wait timed out: the pod is no longer assumed
    /// on `node` (if it was), its nominatedNodeName is cleared, PodScheduled=False gets
    /// `reason` and the FailedScheduling event `message`.
    Rejected {
        pod: PodId,
        node: Option<NodeId>,
        reason: &'static str,
        message: String,
    },
}

/// The seam for a scheduler. `DefaultScheduler` is kubesim's kube-scheduler; a user can supply
/// their own implementation to the engine (`Simulation::with_scheduler`).
pub trait Scheduler {
    fn on_event(&mut self, now: SimTime, event: ClusterEvent<'_>, cluster: &Cluster);
    /// Pops the next pod and runs one scheduling cycle for it, if a pod is ready.
    fn schedule_one(&mut self, now: SimTime, cluster: &Cluster) -> Option<SchedulingResult>;
    /// The earliest time a queued pod becomes ready (back-off expiry, periodic flush).
    fn next_wakeup(&self) -> Option<SimTime>;
    fn has_ready(&self) -> bool;
    /// Turns per-attempt explanations on (`spec.scheduler.explain`); a scheduler that has
    /// none ignores it.
    fn set_explain(&mut self, _on: bool) {}
    /// The explanation of the last `schedule_one` (timeline message text), when on.
    fn take_explanation(&mut self) -> Option<String> {
        None
    }
    /// The PodDisruptionBudgets preemption weighs, as the disruption controller reports them
    /// now (the scheduler's PDB lister). Called before a cycle when the cluster has any.
    fn set_disruption_budgets(&mut self, _budgets: Vec<DisruptionBudget>) {}
}

/// The unschedulable plugin recorded for a rejection in the binding cycle (Reserve, Permit,
/// PreBind): those plugins register no queueing hints, so any event requeues the pod.
const BINDING_CYCLE_REJECTOR: &str = "Permit";

/// kube-scheduler with its profiles (the default profile unless configured otherwise).
pub struct DefaultScheduler {
    queue: SchedulingQueue,
    profiles: Vec<Profile>,
    cache: SchedulerCache,
    rng: SimRng,
    /// The last attempt's explanation, when explanations are on.
    explanation: Option<String>,
    /// Pods held at Permit.
    waiting: binding::WaitingPods,
    /// DefaultPreemption's candidate offsets (the `scheduler/preemption` stream).
    preemption_rng: SimRng,
    nominator: Nominator,
    budgets: Vec<DisruptionBudget>,
    /// The nodes as the scheduler's informer last saw them: the old objects of node updates.
    nodes: std::collections::BTreeMap<NodeId, crate::cluster::NodeRecord>,
}

impl DefaultScheduler {
    /// `rng` is the scheduler's own stream (host selection tie-breaks).
    pub fn new(rng: SimRng) -> Self {
        Self::with_profiles(rng, vec![Profile::default_profile()])
    }

    /// A scheduler running `profiles`, chosen per pod by `spec.schedulerName`.
    pub fn with_profiles(rng: SimRng, profiles: Vec<Profile>) -> Self {
        // The same seed's stream for another purpose: what RngStreams::stream gives for
        // `scheduler/preemption`.
        let mut preemption_rng = rng.clone();
        preemption_rng.set_stream(crate::rng::stable_hash("scheduler/preemption"));
        preemption_rng.set_word_pos(0);
        DefaultScheduler {
            preemption_rng,
            queue: SchedulingQueue::default(),
            profiles,
            cache: SchedulerCache::default(),
            rng,
            explanation: None,
            waiting: binding::WaitingPods::default(),
            nominator: Nominator::default(),
            budgets: Vec::new(),
            nodes: Default::default(),
        }
    }

    /// A scheduler running a validated `KubeSchedulerConfiguration`, its plugins built by
    /// `registry` (`config::Registry::in_tree()` plus any user plugins).
    pub fn from_config(
        rng: SimRng,
        config: &config::SchedulerConfig,
        registry: &config::Registry,
    ) -> Self {
        let mut scheduler = Self::with_profiles(rng, config.build_profiles(registry));
        scheduler.queue =
            SchedulingQueue::with_backoff(config.pod_initial_backoff, config.pod_max_backoff);
        scheduler
    }

    /// The scheduler a scenario configures: its `KubeSchedulerConfiguration`, or the default
    /// profile.
    pub fn for_config(rng: SimRng, config: Option<&config::SchedulerConfig>) -> Self {
        match config {
            Some(c) => Self::from_config(rng, c, &config::Registry::in_tree()),
            None => Self::new(rng),
        }
    }

    /// The profile for a pod's `spec.schedulerName` (empty means `default-scheduler`).
    fn profile_index(&self, scheduler_name: &str) -> Option<usize> {
        let name = if scheduler_name.is_empty() {
            "default-scheduler"
        } else {
            scheduler_name
        };
        self.profiles.iter().position(|p| p.scheduler_name == name)
    }

    /// The pod's profile's PreFilter and Filter plugins on one node, stopping at the first
    /// failure (also used by `kubesim explain` to give each node's reason).
    pub fn run_filters(
        &mut self,
        pod: &PodRecord,
        node_index: usize,
        cluster: &Cluster,
    ) -> framework::Status {
        self.cache.refresh(cluster);
        let pi = self
            .profile_index(&pod.pod.spec.scheduler_name)
            .unwrap_or(0);
        let snapshot = Snapshot {
            cluster,
            cache: &self.cache,
        };
        self.profiles[pi].filter_node(pod, NodeId(node_index as u32), snapshot)
    }
}

impl DefaultScheduler {
    /// The result for `pod` once its Reserve/Permit/binding cycle has an outcome on `node`
    /// (`assumed`: the engine already holds it there, from an earlier `Waiting`).
    fn binding_result(
        &mut self,
        now: SimTime,
        pod: &PodRecord,
        node: NodeId,
        outcome: binding::BindingOutcome,
        assumed: bool,
    ) -> SchedulingResult {
        let id = pod.id;
        match outcome {
            binding::BindingOutcome::Bound => {
                self.queue.forget(id);
                self.nominator.remove(id);
                SchedulingResult::Scheduled { pod: id, node }
            }
            binding::BindingOutcome::Waiting => {
                // Assumed: no longer a nominated pod (DeleteNominatedPodIfExists).
                self.nominator.remove(id);
                SchedulingResult::Waiting { pod: id, node }
            }
            binding::BindingOutcome::Failed { reason, message } => {
                // handleBindingCycleError and the Permit failure clear the nomination.
                self.nominator.remove(id);
                // A Reserve/Permit/PreBind rejection makes its plugin an unschedulable plugin;
                // any other failure is an error (schedule_one.go handleSchedulingFailure).
                let plugins = if reason == "Unschedulable" {
                    vec![BINDING_CYCLE_REJECTOR]
                } else {
                    Vec::new()
                };
                self.queue
                    .add_unschedulable(now, id, pod.pod.spec.priority.unwrap_or(0), plugins);
                SchedulingResult::Rejected {
                    pod: id,
                    node: assumed.then_some(node),
                    reason,
                    message,
                }
            }
        }
    }

    /// A pod whose Permit wait ended (allowed, rejected, or timed out): its binding cycle.
    fn resolve_waiting(&mut self, now: SimTime, cluster: &Cluster) -> Option<SchedulingResult> {
        loop {
            let (id, node, pi, rejection) = self.waiting.take_resolved(now)?;
            let Some(pod) = cluster.pod(id) else { continue };
            let snapshot = Snapshot {
                cluster,
                cache: &self.cache,
            };
            let binding = &mut self.profiles[pi].binding;
            let outcome = match rejection {
                Some(message) => {
                    binding.unreserve(pod, node, snapshot);
                    binding::BindingOutcome::Failed {
                        reason: "Unschedulable",
                        message: binding::permit_fit_error([message.as_str()]),
                    }
                }
                None => binding.bind(pod, node, snapshot),
            };
            return Some(self.binding_result(now, pod, node, outcome, true));
        }
    }
}

impl Scheduler for DefaultScheduler {
    fn on_event(&mut self, now: SimTime, event: ClusterEvent<'_>, cluster: &Cluster) {
        self.handle_event(now, event, cluster);
    }

    fn schedule_one(&mut self, now: SimTime, cluster: &Cluster) -> Option<SchedulingResult> {
        self.cache.refresh(cluster);
        if let Some(result) = self.resolve_waiting(now, cluster) {
            return Some(result);
        }
        loop {
            let id = self.queue.pop(now)?;
            let Some(pod) = cluster.pod(id) else {
                self.queue.forget(id);
                continue;
            };
            if pod.node.is_some() || pod.assumed_node.is_some() || pod.deletion.is_some() {
                self.queue.forget(id);
                continue;
            }
            let Some(pi) = self.profile_index(&pod.pod.spec.scheduler_name) else {
                self.queue.forget(id);
                continue;
            };
            let snapshot = Snapshot {
                cluster,
                cache: &self.cache,
            };
            let profile = &mut self.profiles[pi];
            let result = profile.schedule_pod(pod, snapshot, &mut self.rng, &self.nominator);
            if let Some(r) = profile.record.as_deref() {
                let selected = result.as_ref().ok().copied();
                self.explanation = Some(explanation::message(
                    &profile.scheduler_name,
                    r,
                    cluster,
                    selected,
                ));
            }
            return Some(match result {
                Ok(node) if profile.binding.only_default_binder() => {
                    self.queue.forget(id);
                    self.nominator.remove(id);
                    SchedulingResult::Scheduled { pod: id, node }
                }
                Ok(node) => {
                    let snapshot = Snapshot {
                        cluster,
                        cache: &self.cache,
                    };
                    let outcome = self.profiles[pi].binding.start(
                        pod,
                        node,
                        snapshot,
                        now,
                        pi,
                        &mut self.waiting,
                    );
                    self.binding_result(now, pod, node, outcome, false)
                }
                Err(profile::Diagnosis {
                    error: Some(message),
                    ..
                }) => {
                    // schedulingCycle: an error is no FitError. No PostFilter; the
                    // nomination is cleared (clearNominatedNode) and the pod backs off.
                    self.nominator.remove(id);
                    // No unschedulable plugins: podErrorBackoffQ.
                    self.queue.add_unschedulable(
                        now,
                        id,
                        pod.pod.spec.priority.unwrap_or(0),
                        Vec::new(),
                    );
                    SchedulingResult::Rejected {
                        pod: id,
                        node: None,
                        reason: binding::REASON_SCHEDULER_ERROR,
                        message,
                    }
                }
                Err(diagnosis) => {
                    let ctx = PostFilterContext {
                        snapshot,
                        nominator: &self.nominator,
                        budgets: &self.budgets,
                        now,
                    };
                    let post = if diagnosis.num_all_nodes == 0 {
                        PostFilterResult {
                            status: framework::Status::unschedulable(""),
                            nomination: Nomination::Keep,
                        }
                    } else {
                        profile.post_filter(pod, &diagnosis, &ctx, &mut self.preemption_rng)
                    };
                    let msg = post.status.reasons().collect::<Vec<_>>().join(", ");
                    self.queue.add_unschedulable(
                        now,
                        id,
                        pod.pod.spec.priority.unwrap_or(0),
                        diagnosis.unschedulable_plugins(),
                    );
                    match &post.nomination {
                        Nomination::Keep => {}
                        Nomination::Clear => self.nominator.remove(id),
                        Nomination::Set { node, cleared, .. } => {
                            for &c in cleared {
                                self.nominator.remove(c);
                                // Clearing a lower-priority pod's nomination updates it:
                                // updatePodInSchedulingQueue treats the room it held as freed.
                                if let Some(p) = cluster.pod(c) {
                                    self.nomination_cleared(now, p, cluster);
                                }
                            }
                            self.nominator.add(id, *node);
                        }
                    }
                    SchedulingResult::Unschedulable {
                        pod: id,
                        error: FitError::new(&diagnosis, msg),
                        nomination: post.nomination,
                    }
                }
            });
        }
    }

    fn next_wakeup(&self) -> Option<SimTime> {
        match (self.queue.next_wakeup(), self.waiting.next_deadline()) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    fn has_ready(&self) -> bool {
        self.queue.has_active() || self.waiting.has_resolved()
    }

    fn set_explain(&mut self, on: bool) {
        for p in &mut self.profiles {
            p.record = on.then(Box::default);
        }
    }

    fn take_explanation(&mut self) -> Option<String> {
        self.explanation.take()
    }

    fn set_disruption_budgets(&mut self, budgets: Vec<DisruptionBudget>) {
        self.budgets = budgets;
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
