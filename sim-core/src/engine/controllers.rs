//! Routing between the engine and the controllers (`crate::controller`): node health, taint
//! eviction and the workload controllers. The controllers' rules are pure; this file turns
//! their answers into API writes, timeline records and wake-ups.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use super::{Event, Simulation, TimerId};
use crate::api::TaintEffect;
use crate::cluster::{ConditionStatus, ConditionType, EventType, NodeId, PodId, PodRecord};
use crate::controller::ControllerTimings;
use crate::controller::nodelifecycle::{self as nlc};
use crate::controller::tainteviction::{self, Eviction};
use crate::controller::workloads::{
    CronJobId, DaemonSetId, DeploymentId, JobId, ReplicaSetId, StatefulSetId, Workloads,
};
use crate::kubectl::describe::node_status;
use crate::rng::uniform_below;
use crate::scheduler::ClusterEvent;
use crate::time::{SimDuration, SimTime};
use crate::timeline::TimelineRecord;

/// A controller wake-up.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum ControllerEvent {
    /// The node lifecycle controller's monitor pass that changes this node's health.
    NodeMonitor(NodeId),
    /// The recovered kubelet posts its node status (Ready) at its next heartbeat.
    NodeStatus(NodeId),
    /// A pod's NoExecute toleration runs out.
    TaintEviction(PodId),
    ReplicaSetSync(ReplicaSetId),
    DeploymentSync(DeploymentId),
    JobSync(JobId),
    StatefulSetSync(StatefulSetId),
    DaemonSetSync(DaemonSetId),
    CronJobSync(CronJobId),
    /// kubectl drain's eviction call (first or retried) for one pod.
    Evict {
        drain: u32,
        pod: PodId,
    },
    DrainTimeout(u32),
    /// A pass of PodGC's loop.
    PodGc,
}

/// The node lifecycle controller's view of one node.
#[derive(Clone, Debug)]
struct NodeHealth {
    /// When the kubelet's heartbeat grid starts.
    heartbeat_origin: SimTime,
    /// The pending monitor pass or status post.
    pending: Option<TimerId>,
}

/// Controller state the engine keeps between wake-ups.
#[derive(Debug, Default)]
pub(super) struct Controllers {
    pub(super) timings: ControllerTimings,
    nodes: BTreeMap<NodeId, NodeHealth>,
    evictions: BTreeMap<PodId, TimerId>,
    pub(super) workloads: Workloads,
    /// Pending controller syncs: a wake-up is not scheduled again while one is due between
    /// now and its time (the controllers' work queues deduplicate keys).
    wakeups: BTreeSet<(ControllerEvent, SimTime)>,
    pub(super) pdbs: Vec<crate::controller::workloads::PdbRecord>,
    pub(super) drains: Vec<super::drain::Drain>,
    pub(super) gc: super::garbagecollector::GcState,
    /// PodGC's delaying queue of nodes that pods are bound to but that do not exist.
    pub(super) pod_gc_quarantine: crate::controller::podgc::Quarantine,
}

impl Controllers {
    pub(super) fn new(timings: ControllerTimings) -> Self {
        Controllers {
            timings,
            ..Controllers::default()
        }
    }
}

impl Simulation {
    pub(super) fn controller_event(&mut self, event: ControllerEvent) {
        self.controllers.wakeups.remove(&(event, self.now));
        match event {
            ControllerEvent::NodeMonitor(node) => self.monitor_node(node),
            ControllerEvent::NodeStatus(node) => self.post_node_ready(node),
            ControllerEvent::TaintEviction(pod) => self.taint_evict(pod),
            ControllerEvent::ReplicaSetSync(rs) => self.sync_replica_set(rs),
            ControllerEvent::DeploymentSync(d) => self.sync_deployment(d),
            ControllerEvent::JobSync(j) => self.sync_job(j),
            ControllerEvent::StatefulSetSync(s) => self.sync_stateful_set(s),
            ControllerEvent::DaemonSetSync(d) => self.sync_daemon_set(d),
            ControllerEvent::CronJobSync(c) => self.sync_cron_job(c),
            ControllerEvent::Evict { drain, pod } => self.evict(drain, pod),
            ControllerEvent::DrainTimeout(d) => self.drain_timeout(d),
            ControllerEvent::PodGc => self.pod_gc_pass(),
        }
    }

    /// Wakes a controller at `at` unless a wake-up for the same key is already due by then.
    pub(super) fn wake(&mut self, event: ControllerEvent, at: SimTime) {
        let due = self
            .controllers
            .wakeups
            .range((event, self.now)..=(event, at))
            .next()
            .is_some();
        if due {
            return;
        }
        self.controllers.wakeups.insert((event, at));
        self.queue.schedule(at, Event::Controller(event));
    }

    fn schedule_controller(&mut self, at: SimTime, event: ControllerEvent) -> TimerId {
        self.queue
            .schedule(at.max(self.now), Event::Controller(event))
    }

    // --- node lifecycle ------------------------------------------------------------------------

    /// A kubelet registers: its heartbeats start at a seeded phase within one period.
    pub(super) fn node_registered(&mut self, node: NodeId) {
        let name = self.cluster.node(node).name.clone();
        let mut rng = self.streams.stream(&format!("node/{name}/heartbeat"));
        let period = self
            .controllers
            .timings
            .node_status_update_frequency
            .as_nanos();
        let phase = SimDuration::from_nanos(uniform_below(&mut rng, period.max(1)));
        self.controllers.nodes.insert(
            node,
            NodeHealth {
                heartbeat_origin: self.now + phase,
                pending: None,
            },
        );
    }

    fn cancel_node_pending(&mut self, node: NodeId) {
        if let Some(id) = self
            .controllers
            .nodes
            .get_mut(&node)
            .and_then(|h| h.pending.take())
        {
            self.queue.cancel(id);
        }
    }

    fn set_node_pending(&mut self, node: NodeId, at: SimTime, event: ControllerEvent) {
        self.cancel_node_pending(node);
        let id = self.schedule_controller(at, event);
        if let Some(h) = self.controllers.nodes.get_mut(&node) {
            h.pending = Some(id);
        }
    }

    fn heartbeat_origin(&self, node: NodeId) -> Option<SimTime> {
        self.controllers
            .nodes
            .get(&node)
            .map(|h| h.heartbeat_origin)
    }

    /// The kubelet stops heartbeating: the monitor pass that finds the last observed heartbeat
    /// older than the grace period marks the node Unknown.
    pub(super) fn node_heartbeats_stopped(&mut self, node: NodeId) {
        let Some(origin) = self.heartbeat_origin(node) else {
            return;
        };
        if self.cluster.node(node).ready != ConditionStatus::True {
            // Still Unknown from an earlier failure: a pending status post is void.
            self.cancel_node_pending(node);
            return;
        }
        let t = &self.controllers.timings;
        let last = nlc::last_heartbeat(origin, t.node_status_update_frequency, self.now);
        let probe = last + self.scenario.control_plane.watch_latency;
        let at = nlc::unknown_at(probe, t.node_monitor_grace_period, t.node_monitor_period);
        self.set_node_pending(node, at, ControllerEvent::NodeMonitor(node));
    }

    /// The kubelet reaches the API server again: it posts Ready at its next heartbeat.
    pub(super) fn node_heartbeats_resumed(&mut self, node: NodeId) {
        let Some(origin) = self.heartbeat_origin(node) else {
            return;
        };
        if self.cluster.node(node).ready == ConditionStatus::True {
            // Back before the grace period ran out (or Ready already posted): nothing to undo
            // but a pending pass that would have marked it Unknown.
            let marks_unknown = self
                .cluster
                .node(node)
                .taints
                .iter()
                .all(|t| !nlc::is_node_condition_taint(t));
            if marks_unknown {
                self.cancel_node_pending(node);
            }
            return;
        }
        let freq = self.controllers.timings.node_status_update_frequency;
        let at = nlc::next_heartbeat(origin, freq, self.now);
        self.set_node_pending(node, at, ControllerEvent::NodeStatus(node));
    }

    fn monitor_node(&mut self, node: NodeId) {
        if let Some(h) = self.controllers.nodes.get_mut(&node) {
            h.pending = None;
        }
        let n = self.cluster.node(node);
        if n.deleted {
            // monitorNodeHealth: a node gone from the lister leaves knownNodeSet.
            let name = n.name.clone();
            self.controllers.nodes.remove(&node);
            self.record_event(
                "Node",
                "",
                &name,
                EventType::Normal,
                "RemovingNode",
                format!("Node {name} event: Removing Node {name} from Controller"),
                nlc::SOURCE,
                "",
            );
            return;
        }
        match (n.up, n.ready) {
            (false, ConditionStatus::True) => self.mark_node_unknown(node),
            (true, ConditionStatus::True) => self.mark_node_reachable(node),
            _ => {}
        }
    }

    /// Sets the node's Ready condition and records the STATUS change; returns the node's name.
    fn set_node_ready(
        &mut self,
        node: NodeId,
        ready: ConditionStatus,
        reason: &'static str,
        message: &str,
    ) -> String {
        let before = node_status(self.cluster.node(node));
        self.cluster.node_mut(node).ready = ready;
        self.cluster.node_mut(node).ready_reason = reason;
        let name = self.cluster.node(node).name.clone();
        let after = node_status(self.cluster.node(node));
        self.timeline.push(
            TimelineRecord::new(self.now, "Node", "", &name, "Status")
                .node(&name)
                .change(before, after)
                .reason(reason)
                .message(message),
        );
        name
    }

    /// tryUpdateNodeHealth's Unknown, processTaintBaseEviction's taint and MarkPodsNotReady.
    fn mark_node_unknown(&mut self, node: NodeId) {
        let name = self.set_node_ready(
            node,
            ConditionStatus::Unknown,
            nlc::NODE_STATUS_UNKNOWN_REASON,
            nlc::NODE_STATUS_UNKNOWN_MESSAGE,
        );
        self.record_event(
            "Node",
            "",
            &name,
            EventType::Normal,
            "NodeNotReady",
            format!("Node {name} status is now: NodeNotReady"),
            nlc::SOURCE,
            "",
        );
        let mut taints = self.cluster.node(node).taints.clone();
        for t in nlc::unreachable_taints() {
            if !taints.contains(&t) {
                taints.push(t);
            }
        }
        self.set_node_taints(node, taints);
        let on_node: Vec<PodId> = self
            .cluster
            .pods()
            .filter(|p| p.node == Some(node))
            .map(|p| p.id)
            .collect();
        let now = self.now;
        for id in &on_node {
            let Some(p) = self.cluster.pod_mut(*id) else {
                continue;
            };
            let ready = p.status.condition(ConditionType::Ready).cloned();
            let Some(c) = ready.filter(|c| c.status != ConditionStatus::False) else {
                continue;
            };
            Arc::make_mut(&mut p.status).set_condition(
                now,
                ConditionType::Ready,
                ConditionStatus::False,
                &c.reason,
                &c.message,
            );
            let (ns, pod_name) = (p.namespace().to_string(), p.name().to_string());
            self.dirty.insert(*id);
            self.record_event(
                "Pod",
                &ns,
                &pod_name,
                EventType::Warning,
                nlc::POD_NODE_NOT_READY_REASON,
                nlc::POD_NODE_NOT_READY_MESSAGE.to_string(),
                nlc::SOURCE,
                "",
            );
        }
        let seen = self.now + self.controllers.timings.taint_eviction;
        for id in on_node {
            self.schedule_taint_eviction(id, node, seen);
        }
    }

    /// markNodeAsReachable: the Ready node loses its NoExecute taints, pending evictions are
    /// cancelled.
    fn mark_node_reachable(&mut self, node: NodeId) {
        let taints: Vec<_> = self
            .cluster
            .node(node)
            .taints
            .iter()
            .filter(|t| !nlc::is_node_condition_taint(t))
            .cloned()
            .collect();
        if taints.len() == self.cluster.node(node).taints.len() {
            return;
        }
        self.set_node_taints(node, taints);
        let pending: Vec<PodId> = self
            .controllers
            .evictions
            .keys()
            .copied()
            .filter(|p| self.cluster.pod(*p).is_some_and(|r| r.node == Some(node)))
            .collect();
        for pod in pending {
            if let Some(id) = self.controllers.evictions.remove(&pod) {
                self.queue.cancel(id);
            }
            let Some(p) = self.cluster.pod(pod) else {
                continue;
            };
            let (ns, name) = (p.namespace().to_string(), p.name().to_string());
            self.record_event(
                "Pod",
                &ns,
                &name,
                EventType::Normal,
                tainteviction::EVICTION_REASON,
                format!("Cancelling deletion of Pod {ns}/{name}"),
                tainteviction::SOURCE,
                "",
            );
        }
    }

    /// The recovered kubelet's status update: Ready again; doNoScheduleTaintingPass drops the
    /// NoSchedule taint at once, the next monitor pass the NoExecute one.
    fn post_node_ready(&mut self, node: NodeId) {
        if let Some(h) = self.controllers.nodes.get_mut(&node) {
            h.pending = None;
        }
        if !self.cluster.node(node).up {
            return;
        }
        let name = self.set_node_ready(
            node,
            ConditionStatus::True,
            "KubeletReady",
            "kubelet is posting ready status",
        );
        self.record_event(
            "Node",
            "",
            &name,
            EventType::Normal,
            "NodeReady",
            format!("Node {name} status is now: NodeReady"),
            "kubelet",
            &name,
        );
        let taints: Vec<_> = self
            .cluster
            .node(node)
            .taints
            .iter()
            .filter(|t| {
                !(nlc::is_node_condition_taint(t) && t.effect == Some(TaintEffect::NoSchedule))
            })
            .cloned()
            .collect();
        self.set_node_taints(node, taints);
        let observed = self.now + self.scenario.control_plane.watch_latency;
        let at = nlc::next_monitor_pass(observed, self.controllers.timings.node_monitor_period);
        self.set_node_pending(node, at, ControllerEvent::NodeMonitor(node));
    }

    /// `kubectl delete node`: the object goes at once (the machine and its kubelet keep
    /// running). The node lifecycle controller forgets the node at its next monitor pass,
    /// DaemonSets stop counting it, and PodGC's next pass starts the quarantine of the pods
    /// still bound to it (pkg/controller/podgc/gc_controller.go gcOrphaned).
    pub(super) fn delete_node(&mut self, node: NodeId) {
        self.cluster.delete_node(node);
        let name = self.cluster.node(node).name.clone();
        self.timeline
            .push(TimelineRecord::new(self.now, "Node", "", &name, "Deleted").node(&name));
        self.scheduler
            .on_event(self.now, ClusterEvent::NodeChanged(node), &self.cluster);
        self.wake_scheduler();
        self.daemon_sets_see_nodes();
        let observed = self.now + self.scenario.control_plane.watch_latency;
        if self.controllers.nodes.contains_key(&node) {
            let at = nlc::next_monitor_pass(observed, self.controllers.timings.node_monitor_period);
            self.set_node_pending(node, at, ControllerEvent::NodeMonitor(node));
        }
        self.pod_gc_wake_for_orphans(observed);
    }

    fn set_node_taints(&mut self, node: NodeId, taints: Vec<crate::api::Taint>) {
        let n = self.cluster.node_mut(node);
        if n.taints == taints {
            return;
        }
        let show = |ts: &[crate::api::Taint]| {
            ts.iter()
                .map(|t| match &t.effect {
                    Some(e) => format!("{}:{e}", t.key),
                    None => t.key.clone(),
                })
                .collect::<Vec<_>>()
                .join(",")
        };
        let (from, to) = (show(&n.taints), show(&taints));
        n.taints = taints;
        let name = n.name.clone();
        self.timeline.push(
            TimelineRecord::new(self.now, "Node", "", &name, "Taints")
                .node(&name)
                .change(from, to),
        );
        self.scheduler
            .on_event(self.now, ClusterEvent::NodeChanged(node), &self.cluster);
        self.wake_scheduler();
        self.daemon_sets_see_nodes();
    }

    // --- taint eviction --------------------------------------------------------------------------

    fn schedule_taint_eviction(&mut self, pod: PodId, node: NodeId, seen: SimTime) {
        if self.controllers.evictions.contains_key(&pod) {
            return;
        }
        let Some(p) = self.cluster.pod(pod) else {
            return;
        };
        if p.deletion.is_some() {
            return;
        }
        let taints = &self.cluster.node(node).taints;
        if let Eviction::After(delay) = tainteviction::eviction(taints, &p.pod.spec.tolerations) {
            let id = self.schedule_controller(seen + delay, ControllerEvent::TaintEviction(pod));
            self.controllers.evictions.insert(pod, id);
        }
    }

    /// addConditionAndDeletePod: DisruptionTarget, the event, then a DELETE with the pod's own
    /// grace period.
    fn taint_evict(&mut self, pod: PodId) {
        self.controllers.evictions.remove(&pod);
        let now = self.now;
        let Some(p) = self.cluster.pod_mut(pod) else {
            return;
        };
        if p.deletion.is_some() {
            return;
        }
        Arc::make_mut(&mut p.status).set_condition(
            now,
            ConditionType::DisruptionTarget,
            ConditionStatus::True,
            tainteviction::DISRUPTION_REASON,
            tainteviction::DISRUPTION_MESSAGE,
        );
        let (ns, name) = (p.namespace().to_string(), p.name().to_string());
        self.dirty.insert(pod);
        self.record_event(
            "Pod",
            &ns,
            &name,
            EventType::Normal,
            tainteviction::EVICTION_REASON,
            format!("Marking for deletion Pod {ns}/{name}"),
            tainteviction::SOURCE,
            "",
        );
        self.delete_pod(pod, None, tainteviction::SOURCE);
    }

    /// A pod object is gone: nothing of it may stay scheduled.
    pub(super) fn controllers_pod_removed(&mut self, record: &PodRecord) {
        if let Some(id) = self.controllers.evictions.remove(&record.id) {
            self.queue.cancel(id);
        }
        if !self.controllers.drains.is_empty() {
            self.drained_pod_removed(record);
        }
        if !self.controllers.workloads.is_empty() {
            let pod = Arc::clone(&record.pod);
            self.workload_pod_changed(&pod);
        }
    }
}
