//! The discrete-event engine: one queue ordered by (time, sequence), a loop that pops events and
//! routes them to the components (scheduler, kubelets) and to the API state, and the timeline
//! that records every visible change. Components never see the engine: they get `now` and the
//! cluster state, and return what they want done.

mod binding;
mod controllers;
mod cronjob;
mod daemonset;
mod drain;
pub mod event;
mod garbagecollector;
pub mod invariants;
mod jobs;
mod permit;
mod pod_diff;
mod pod_sets;
mod podgc;
mod preemption;
pub mod queue;
mod scheduling_explain;
mod spec_memo;
mod statefulset;
mod workloads;

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use compact_str::CompactString;

use crate::api::{Node, Pod};
use crate::behaviour::{
    BEHAVIOUR_ANNOTATION, BEHAVIOUR_ANNOTATION_PREFIX, BehaviourSpec, ContainerBehaviour,
};
use crate::cluster::{
    Cluster, ConditionStatus, ConditionType, Deletion, EventType, KubeEvent, NodeId, NodeRecord,
    PodId, PodPhase, PodRecord, PodStatus,
};
use crate::kubelet::spec::PodSpecView;
use crate::kubelet::{
    Kubelet, KubeletConfig, KubeletInput, KubeletOutput, NodeKubelet, PodAssignment,
};
use crate::manifest::LoadedObject;
use crate::rng::{FnvBuildHasher, RngStreams, uniform_below};
use crate::scenario::load::{ActionKind, Scenario};
use crate::scheduler::{ClusterEvent, DefaultScheduler, Scheduler, SchedulingResult};
use crate::text::{concat, decimal, push_decimal};
use crate::time::{SimDuration, SimTime};
use crate::timeline::{Timeline, TimelineRecord};

pub use controllers::ControllerEvent;
pub use event::{Event, WatchChange};
pub use invariants::InvariantViolation;
use pod_diff::{PodView, PodViews};
use pod_sets::{DirtyPods, PodTimers};
pub use queue::{EventQueue, TimerId};

/// Control-plane latencies.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ControlPlaneTimings {
    pub watch_latency: SimDuration,
    pub scheduling_latency: SimDuration,
    pub binding_latency: SimDuration,
}

impl Default for ControlPlaneTimings {
    fn default() -> Self {
        ControlPlaneTimings {
            watch_latency: SimDuration::from_millis(5),
            scheduling_latency: SimDuration::from_millis(2),
            binding_latency: SimDuration::from_millis(5),
        }
    }
}

/// How a run is bounded, and whether invariants are checked.
#[derive(Clone, Debug)]
pub struct RunOptions {
    pub seed: u64,
    pub until: SimTime,
    pub max_events: u64,
    pub check_invariants: bool,
}

/// Why a run stopped. Hitting a bound is never silent: the CLI prints it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StopReason {
    /// Nothing left to happen.
    Quiescent,
    /// The run reached its `until` time with events still pending.
    ReachedTime,
    /// The max-events bound was hit.
    MaxEvents,
    Invariant(InvariantViolation),
}

pub struct Simulation {
    now: SimTime,
    queue: EventQueue<Event>,
    cluster: Cluster,
    scheduler: Box<dyn Scheduler>,
    kubelets: Vec<NodeKubelet>,
    scenario: Arc<Scenario>,
    streams: RngStreams,
    options: RunOptions,
    timeline: Timeline,
    views: PodViews,
    /// `diff_pod`'s buffer for the view it builds (the replaced view comes back into it).
    scratch_view: PodView,
    phases: BTreeMap<PodId, PodPhase>,
    dirty: DirtyPods,
    /// Reused buffer for the pods diffed at the end of a batch.
    dirty_batch: Vec<PodId>,
    scheduler_cycle_at: Option<SimTime>,
    scheduler_wakeup: Option<(SimTime, TimerId)>,
    /// Watch deliveries held back while a node is down, delivered at recovery.
    held: BTreeMap<NodeId, Vec<(PodId, WatchChange)>>,
    /// Assignments so far per namespace and pod name (the pod's stream key). Only probed.
    pod_incarnations: HashMap<String, HashMap<String, u32, FnvBuildHasher>, FnvBuildHasher>,
    priority_classes: BTreeMap<String, crate::api::PriorityClass>,
    /// Admission and derivations of the last pod spec, reused by the pods that share it.
    spec_memo: spec_memo::SpecMemo,
    /// Pending kubelet timers per pod, cancelled when the pod is gone.
    pod_timers: PodTimers,
    events_processed: u64,
    stop: Option<StopReason>,
    out: Option<KubeletOutput>,
    controllers: controllers::Controllers,
}

impl Simulation {
    /// Builds the cluster of `scenario` and queues its workloads and actions.
    pub fn new(scenario: Arc<Scenario>, options: RunOptions) -> Simulation {
        let streams = RngStreams::new(options.seed);
        let scheduler = Box::new(DefaultScheduler::for_config(
            streams.stream("scheduler/select-host"),
            scenario.scheduler_config.as_ref(),
        ));
        Self::with_scheduler(scenario, options, scheduler)
    }

    /// The same with a user-supplied scheduler.
    pub fn with_scheduler(
        scenario: Arc<Scenario>,
        options: RunOptions,
        scheduler: Box<dyn Scheduler>,
    ) -> Simulation {
        let streams = RngStreams::new(options.seed);
        let mut sim = Simulation {
            now: SimTime::ZERO,
            queue: EventQueue::with_capacity(1024),
            cluster: Cluster::new(),
            scheduler,
            kubelets: Vec::new(),
            scenario: Arc::clone(&scenario),
            streams,
            options,
            timeline: Timeline::default(),
            views: PodViews::default(),
            scratch_view: PodView::default(),
            phases: BTreeMap::new(),
            dirty: DirtyPods::default(),
            dirty_batch: Vec::new(),
            scheduler_cycle_at: None,
            scheduler_wakeup: None,
            held: BTreeMap::new(),
            pod_incarnations: HashMap::default(),
            priority_classes: BTreeMap::new(),
            spec_memo: spec_memo::SpecMemo::default(),
            pod_timers: PodTimers::default(),
            events_processed: 0,
            stop: None,
            out: Some(KubeletOutput::default()),
            controllers: controllers::Controllers::new(scenario.controllers.clone()),
        };
        sim.cluster.kubelet_version = format!("v{}.0", scenario.kubernetes_version);
        if scenario.explain_scheduling {
            sim.scheduler.set_explain(true);
        }
        for setup in &scenario.nodes {
            sim.add_node(
                &setup.node,
                &setup.images,
                setup.pull_bandwidth,
                scenario.kubelet.clone(),
            );
        }
        for obj in &scenario.objects {
            sim.create_object(obj);
        }
        for (i, action) in scenario.actions.iter().enumerate() {
            let at = SimTime::ZERO + action.at;
            sim.queue.schedule_in_order(at, Event::Action(i as u32));
        }
        sim.end_batch();
        sim
    }

    pub fn now(&self) -> SimTime {
        self.now
    }

    pub fn cluster(&self) -> &Cluster {
        &self.cluster
    }

    pub fn timeline(&self) -> &Timeline {
        &self.timeline
    }

    pub fn events_processed(&self) -> u64 {
        self.events_processed
    }

    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }

    /// The time of the next pending event, if any.
    pub fn next_event_time(&mut self) -> Option<SimTime> {
        self.queue.peek_time()
    }

    pub fn stop_reason(&self) -> Option<&StopReason> {
        self.stop.as_ref()
    }

    /// Runs until `limit` (inclusive), quiescence, the max-events bound or an invariant failure.
    /// Every event at a time `<= limit` is processed, so the state is the one at `limit`.
    /// A run that stopped at its time limit or at quiescence resumes with a later `limit`
    /// (`kubesim test` steps batch by batch); the max-events bound and invariant failures are
    /// final.
    pub fn run_until(&mut self, limit: SimTime) -> &StopReason {
        if matches!(
            self.stop,
            None | Some(StopReason::ReachedTime | StopReason::Quiescent)
        ) {
            self.stop = Some(self.run_loop(limit));
        }
        self.stop.get_or_insert(StopReason::Quiescent)
    }

    /// Runs to the scenario's bounds.
    pub fn run(&mut self) -> &StopReason {
        let until = self.options.until;
        self.run_until(until)
    }

    fn run_loop(&mut self, limit: SimTime) -> StopReason {
        loop {
            let Some(t) = self.queue.peek_time() else {
                return StopReason::Quiescent;
            };
            if t > limit {
                self.now = limit;
                return StopReason::ReachedTime;
            }
            self.now = t;
            while self.queue.peek_time() == Some(t) {
                if self.events_processed >= self.options.max_events {
                    self.end_batch();
                    return StopReason::MaxEvents;
                }
                let Some((_, id, event)) = self.queue.pop_with_id() else {
                    break;
                };
                self.events_processed += 1;
                if let Event::Kubelet { timer, .. } = &event
                    && let Some(pod) = timer.pod()
                {
                    self.pod_timers.fired(pod, id);
                }
                self.dispatch(event);
            }
            self.end_batch();
            if self.options.check_invariants
                && let Err(v) = self.check_invariants()
            {
                return StopReason::Invariant(v);
            }
        }
    }

    fn check_invariants(&self) -> Result<(), InvariantViolation> {
        invariants::check_node_capacity(&self.cluster)?;
        invariants::check_phase_transitions(&self.cluster, &self.phases)
    }

    fn dispatch(&mut self, event: Event) {
        match event {
            Event::Action(i) => self.run_action(i as usize),
            Event::SchedulerCycle => self.scheduler_cycle(),
            Event::SchedulerWakeup => {
                self.scheduler_wakeup = None;
                self.ensure_scheduler_cycle(
                    self.now + self.scenario.control_plane.scheduling_latency,
                );
            }
            Event::SchedulerWatch(pod) => self.scheduler_sees_pod(pod),
            Event::Bind { pod, node } => self.bind_assumed(pod, node),
            Event::KubeletWatch { node, pod, change } => self.deliver_watch(node, pod, change),
            Event::Kubelet { node, timer } => {
                self.kubelet_input(node, KubeletInput::Timer(timer));
            }
            Event::RegistryRecovery => self.set_registry(true),
            Event::Controller(e) => self.controller_event(e),
        }
    }

    // --- nodes -----------------------------------------------------------------------------

    fn add_node(
        &mut self,
        node: &Node,
        images: &[String],
        pull_bandwidth: u64,
        config: KubeletConfig,
    ) {
        let name = node.metadata.name.clone().unwrap_or_default();
        let mut image_sizes = BTreeMap::new();
        for img in images {
            let size = match self.scenario.registry.lookup(img) {
                crate::kubelet::images::PullOutcome::Success { size } => size,
                crate::kubelet::images::PullOutcome::Failure { .. } => 0,
            };
            image_sizes.insert(crate::kubelet::images::normalize_image(img), size);
        }
        let record = NodeRecord::new(node, image_sizes, pull_bandwidth, self.now);
        let id = self.cluster.add_node(record);
        self.node_registered(id);
        self.daemon_sets_see_nodes();
        let mut rng = self.streams.stream(&format!("node/{name}/pleg"));
        let period = config.pleg_relist_period.as_nanos().max(1);
        let offset = SimDuration::from_nanos(uniform_below(&mut rng, period));
        self.kubelets.push(NodeKubelet::new(
            id,
            &name,
            config,
            Arc::new(self.scenario.registry.clone()),
            pull_bandwidth,
            images.iter().cloned(),
            offset,
        ));
        self.timeline
            .push(TimelineRecord::new(self.now, "Node", "", &name, "Created").node(&name));
        self.scheduler
            .on_event(self.now, ClusterEvent::NodeChanged(id), &self.cluster);
    }

    fn node_by_name(&mut self, name: &str) -> Option<NodeId> {
        let id = self.cluster.find_node(name);
        if id.is_none() {
            self.note(format!("node \"{name}\" not found; action skipped"));
        }
        id
    }

    fn set_node_up(&mut self, id: NodeId, up: bool) {
        let name = self.cluster.node(id).name.clone();
        if self.cluster.node(id).up == up {
            return;
        }
        self.cluster.node_mut(id).up = up;
        let (event, msg) = if up {
            (
                "NodeRecovered",
                "the node's kubelet reaches the control plane again",
            )
        } else {
            (
                "NodeFailed",
                "the node's kubelet stopped reporting; containers keep their last reported state",
            )
        };
        self.timeline.push(
            TimelineRecord::new(self.now, "Node", "", &name, "Action")
                .node(&name)
                .reason(event)
                .message(msg),
        );
        if up {
            self.kubelet_input(id, KubeletInput::NodeUp);
            for (pod, change) in self.held.remove(&id).unwrap_or_default() {
                self.deliver_watch(id, pod, change);
            }
            self.node_heartbeats_resumed(id);
        } else {
            self.kubelet_input(id, KubeletInput::NodeDown);
            self.node_heartbeats_stopped(id);
        }
    }

    fn set_unschedulable(&mut self, id: NodeId, cordon: bool) {
        if self.cluster.node(id).unschedulable == cordon {
            return;
        }
        let from = crate::kubectl::describe::node_status(self.cluster.node(id));
        let node = self.cluster.node_mut(id);
        node.unschedulable = cordon;
        let name = node.name.clone();
        let to = crate::kubectl::describe::node_status(node);
        self.timeline.push(
            TimelineRecord::new(self.now, "Node", "", &name, "Status")
                .node(&name)
                .change(from, to),
        );
        let (reason, msg) = if cordon {
            (
                "NodeNotSchedulable",
                format!("Node {name} status is now: NodeNotSchedulable"),
            )
        } else {
            (
                "NodeSchedulable",
                format!("Node {name} status is now: NodeSchedulable"),
            )
        };
        self.record_event(
            "Node",
            "",
            &name,
            EventType::Normal,
            reason,
            msg,
            "kubelet",
            "",
        );
        self.scheduler
            .on_event(self.now, ClusterEvent::NodeChanged(id), &self.cluster);
        self.wake_scheduler();
    }

    fn set_registry(&mut self, reachable: bool) {
        for i in 0..self.kubelets.len() {
            self.kubelet_input(NodeId(i as u32), KubeletInput::RegistryReachable(reachable));
        }
        let (reason, msg) = if reachable {
            ("RegistryRecovered", "image pulls reach the registry again")
        } else {
            (
                "RegistryOutage",
                "image pulls fail until the registry recovers",
            )
        };
        self.timeline.push(
            TimelineRecord::new(self.now, "Registry", "", "registry", "Action")
                .reason(reason)
                .message(msg),
        );
    }

    // --- pods ------------------------------------------------------------------------------

    fn create_object(&mut self, obj: &LoadedObject) {
        self.cluster.note_scheduling_context(&obj.object);
        match &obj.object {
            crate::api::Object::Pod(pod) => self.create_pod(pod),
            crate::api::Object::Node(node) => {
                let bandwidth = 50 * 1024 * 1024;
                self.add_node(node, &[], bandwidth, self.scenario.kubelet.clone());
            }
            crate::api::Object::PriorityClass(pc) => {
                let name = pc.metadata.name.clone().unwrap_or_default();
                self.timeline.push(TimelineRecord::new(
                    self.now,
                    "PriorityClass",
                    "",
                    &name,
                    "Created",
                ));
                self.priority_classes.insert(name, pc.clone());
                self.spec_memo.priority_classes_changed();
            }
            other if self.create_workload(other) => {}
            other => {
                let kind = other.kind();
                let name = other.name().to_string();
                let why = match kind {
                    "CronJob" => {
                        format!(
                            "{kind} accepted; its controller is not simulated yet, so it creates no Jobs"
                        )
                    }
                    _ => String::new(),
                };
                self.timeline.push(
                    TimelineRecord::new(
                        self.now,
                        kind,
                        other.metadata().namespace.as_deref().unwrap_or(""),
                        &name,
                        "Created",
                    )
                    .message(why),
                );
            }
        }
    }

    fn create_pod(&mut self, pod: &Pod) {
        let namespace = pod
            .metadata
            .namespace
            .clone()
            .unwrap_or_else(|| "default".into());
        let name = pod.metadata.name.clone().unwrap_or_default();
        if self.cluster.find_pod(&namespace, &name).is_some() {
            self.timeline.push(
                TimelineRecord::new(self.now, "Pod", &namespace, &name, "Note")
                    .reason("AlreadyExists")
                    .message(format!(
                        "Error from server (AlreadyExists): pods \"{name}\" already exists"
                    )),
            );
            return;
        }
        let mut pod = pod.clone();
        pod.metadata.namespace = Some(namespace.clone());
        if let Some(admitted) = self.spec_memo.admitted(&pod.spec) {
            pod.spec = admitted;
        } else {
            let written = Arc::clone(&pod.spec);
            if let Err(message) = self.admit_priority(&mut pod) {
                self.timeline.push(
                    TimelineRecord::new(self.now, "Pod", &namespace, &name, "Note")
                        .reason("Forbidden")
                        .message(message),
                );
                return;
            }
            self.spec_memo.remember_admitted(written, &pod.spec);
        }
        let uid = self.cluster.next_uid();
        let derived = self.spec_memo.derived(&pod.spec);
        let record = PodRecord::with_derived(
            uid,
            pod,
            self.now,
            derived.requests.clone(),
            derived.host_ports.clone(),
        );
        let id = self.cluster.add_pod(record);
        self.timeline.push(TimelineRecord::new(
            self.now, "Pod", &namespace, &name, "Created",
        ));
        self.dirty.insert(id);
        let requested_node = self
            .cluster
            .pod(id)
            .map(|p| p.pod.spec.node_name.clone())
            .filter(|n| !n.is_empty());
        if let Some(node_name) = requested_node {
            // A pod created with spec.nodeName bypasses the scheduler: the kubelet of that node
            // picks it up directly and admits it only if its resources fit
            // (pkg/kubelet/lifecycle/predicate.go: "OutOf<resource>").
            match self.cluster.find_node(&node_name) {
                Some(node) => match self.admission_failure(id, node) {
                    None => {
                        self.cluster.reserve(node, id);
                        self.bind(id, node);
                    }
                    Some((reason, message)) => {
                        let now = self.now;
                        if let Some(p) = self.cluster.pod_mut(id) {
                            p.node = Some(node);
                            let status = Arc::make_mut(&mut p.status);
                            status.phase = PodPhase::Failed;
                            status.reason = reason;
                            status.message = message;
                            status.start_time = Some(now);
                        }
                    }
                },
                None => self.note(format!("pod {namespace}/{name}: spec.nodeName \"{node_name}\" names no node; it stays Pending")),
            }
            return;
        }
        let gated = self
            .cluster
            .pod(id)
            .is_some_and(|p| !p.pod.spec.scheduling_gates.is_empty());
        if gated {
            // PreEnqueue SchedulingGates: the pod waits outside the queue (schedulinggates/
            // scheduling_gates.go); kubectl shows SchedulingGated.
            let now = self.now;
            if let Some(p) = self.cluster.pod_mut(id) {
                Arc::make_mut(&mut p.status).set_condition(
                    now,
                    ConditionType::PodScheduled,
                    ConditionStatus::False,
                    "SchedulingGated",
                    "Scheduling is blocked due to non-empty scheduling gates",
                );
            }
            return;
        }
        self.watch_for_scheduler(id);
    }

    /// The scheduler learns of an unscheduled pod through its informer, a watch latency later.
    fn watch_for_scheduler(&mut self, id: PodId) {
        let at = self.now + self.scenario.control_plane.watch_latency;
        self.queue.schedule(at, Event::SchedulerWatch(id));
    }

    /// addPodToSchedulingQueue, for a pod still unscheduled, ungated and not deleted.
    fn scheduler_sees_pod(&mut self, id: PodId) {
        let pending = self.cluster.pod(id).is_some_and(|p| {
            p.node.is_none()
                && p.assumed_node.is_none()
                && p.deletion.is_none()
                && p.pod.spec.scheduling_gates.is_empty()
        });
        if pending {
            self.scheduler
                .on_event(self.now, ClusterEvent::PodAdded(id), &self.cluster);
            let at = self.now + self.scenario.control_plane.scheduling_latency;
            self.ensure_scheduler_cycle(at);
        }
    }

    /// The Priority admission plugin (plugin/pkg/admission/priority/admission.go): resolves
    /// `priorityClassName` (or the global default class) into `spec.priority` and
    /// `spec.preemptionPolicy`, and rejects unknown class names.
    fn admit_priority(&self, pod: &mut Pod) -> Result<(), String> {
        let name = pod.metadata.name.clone().unwrap_or_default();
        let class = if pod.spec.priority_class_name.is_empty() {
            self.priority_classes
                .values()
                .filter(|pc| pc.global_default)
                .min_by_key(|pc| pc.value)
        } else {
            let wanted = &pod.spec.priority_class_name;
            match self.priority_classes.get(wanted) {
                Some(pc) => Some(pc),
                None => {
                    let builtin = match wanted.as_str() {
                        "system-cluster-critical" => Some(2_000_000_000),
                        "system-node-critical" => Some(2_000_001_000),
                        _ => None,
                    };
                    let Some(value) = builtin else {
                        return Err(format!(
                            "Error from server (Forbidden): pods \"{name}\" is forbidden: no PriorityClass with name {wanted} was found"
                        ));
                    };
                    if pod.spec.priority != Some(value) {
                        Arc::make_mut(&mut pod.spec).priority = Some(value);
                    }
                    return Ok(());
                }
            }
        };
        match class {
            Some(pc) => {
                if pod.spec.priority.is_some_and(|p| p != pc.value) {
                    return Err(format!(
                        "Error from server (Forbidden): pods \"{name}\" is forbidden: the integer value of priority ({}) must not be provided in pod spec; priority admission controller computed {} from the given PriorityClass name",
                        pod.spec.priority.unwrap_or(0),
                        pc.value
                    ));
                }
                // Written only when it changes: the spec stays shared with its manifest.
                if pod.spec.priority != Some(pc.value) {
                    Arc::make_mut(&mut pod.spec).priority = Some(pc.value);
                }
                if pod.spec.preemption_policy.is_none() && pc.preemption_policy.is_some() {
                    Arc::make_mut(&mut pod.spec).preemption_policy = pc.preemption_policy.clone();
                }
            }
            None => {
                if pod.spec.priority.is_none() {
                    Arc::make_mut(&mut pod.spec).priority = Some(0);
                }
            }
        }
        Ok(())
    }

    /// The kubelet's resource admission for a pod that names its node.
    fn admission_failure(&self, pod: PodId, node: NodeId) -> Option<(String, String)> {
        let p = self.cluster.pod(pod)?;
        let n = self.cluster.node(node);
        let want = &p.requests.requested;
        let (alloc, used) = (&n.allocatable, &n.requested);
        let checks = [
            ("pods", 1, used.pods, alloc.pods),
            ("cpu", want.milli_cpu, used.milli_cpu, alloc.milli_cpu),
            ("memory", want.memory, used.memory, alloc.memory),
            (
                "ephemeral-storage",
                want.ephemeral_storage,
                used.ephemeral_storage,
                alloc.ephemeral_storage,
            ),
        ];
        let scalars = want
            .scalar
            .iter()
            .map(|(k, v)| (k.as_str(), *v, used.scalar(k), alloc.scalar(k)));
        checks.into_iter().chain(scalars).find(|(_, w, u, a)| *w > 0 && w + u > *a).map(|(name, w, u, a)| {
            (
                format!("OutOf{name}"),
                format!("Pod was rejected: Node didn't have enough resource: {name}, requested: {w}, used: {u}, capacity: {a}"),
            )
        })
    }

    fn ensure_scheduler_cycle(&mut self, at: SimTime) {
        if self.scheduler_cycle_at.is_some_and(|t| t <= at) {
            return;
        }
        self.scheduler_cycle_at = Some(at);
        self.queue.schedule(at, Event::SchedulerCycle);
    }

    /// After the scheduler's queue changed: a cycle if a pod is ready, else a wake-up at the
    /// earliest back-off expiry or flush.
    fn wake_scheduler(&mut self) {
        if self.scheduler.has_ready() {
            let at = self.now + self.scenario.control_plane.scheduling_latency;
            self.ensure_scheduler_cycle(at);
        } else {
            self.arm_scheduler_wakeup();
        }
    }

    fn arm_scheduler_wakeup(&mut self) {
        if let Some(at) = self.scheduler.next_wakeup() {
            let at = at.max(self.now);
            if self.scheduler_wakeup.map(|(t, _)| t) != Some(at) {
                if let Some((_, id)) = self.scheduler_wakeup.take() {
                    self.queue.cancel(id);
                }
                let id = self.queue.schedule(at, Event::SchedulerWakeup);
                self.scheduler_wakeup = Some((at, id));
            }
        }
    }

    fn scheduler_cycle(&mut self) {
        if self.scheduler_cycle_at != Some(self.now) {
            // A later duplicate of an already-run cycle.
            if self.scheduler_cycle_at.is_some_and(|t| t > self.now) {
                return;
            }
        }
        self.scheduler_cycle_at = None;
        self.feed_disruption_budgets();
        if let Some(result) = self.scheduler.schedule_one(self.now, &self.cluster) {
            if self.scenario.explain_scheduling {
                self.record_scheduling_attempt(&result);
            }
            match result {
                SchedulingResult::Scheduled { pod, node } => self.assume_and_bind(pod, node),
                SchedulingResult::Waiting { pod, node } => self.assume_waiting(pod, node),
                SchedulingResult::Rejected {
                    pod,
                    node,
                    reason,
                    message,
                } => {
                    self.apply_nomination(pod, crate::scheduler::Nomination::Clear);
                    self.scheduling_failed(pod, node, reason, message);
                }
                SchedulingResult::Unschedulable {
                    pod,
                    error,
                    nomination,
                } => {
                    self.apply_nomination(pod, nomination);
                    self.scheduling_failed(pod, None, "Unschedulable", error.to_string());
                }
            }
        }
        self.wake_scheduler();
    }

    fn bind(&mut self, pod: PodId, node: NodeId) {
        let now = self.now;
        let watch = self.scenario.control_plane.watch_latency;
        let Some(p) = self.cluster.pod_mut(pod) else {
            // Deleted while binding: the reservation went with it.
            return;
        };
        if p.deletion.is_some() {
            return;
        }
        p.assumed_node = None;
        p.node = Some(node);
        // The binding subresource sets PodScheduled=True (pkg/registry/core/pod/storage).
        Arc::make_mut(&mut p.status).set_condition(
            now,
            ConditionType::PodScheduled,
            ConditionStatus::True,
            "",
            "",
        );
        self.dirty.insert(pod);
        self.queue.schedule(
            now + watch,
            Event::KubeletWatch {
                node,
                pod,
                change: WatchChange::Assigned,
            },
        );
        // The scheduler's informer sees an assigned pod (EventAssignedPodAdd).
        self.scheduler
            .on_event(self.now, ClusterEvent::PodBound(pod), &self.cluster);
        self.wake_scheduler();
    }

    fn deliver_watch(&mut self, node: NodeId, pod: PodId, change: WatchChange) {
        if !self.cluster.node(node).up {
            self.held.entry(node).or_default().push((pod, change));
            return;
        }
        let input = match change {
            WatchChange::Assigned => {
                let Some(p) = self.cluster.pod(pod) else {
                    return;
                };
                if p.deletion.is_some() && p.node.is_none() {
                    return;
                }
                let (record_pod, uid, status) =
                    (Arc::clone(&p.pod), p.uid.clone(), p.status.clone());
                let assignment = self.assignment(pod, record_pod, uid, status);
                KubeletInput::PodAssigned(Box::new(assignment))
            }
            WatchChange::Deletion {
                grace_period_seconds,
            } => KubeletInput::PodDeletion {
                pod,
                grace_period_seconds,
            },
            WatchChange::Removed => KubeletInput::PodRemoved { pod },
            WatchChange::Updated => {
                let Some(p) = self.cluster.pod(pod) else {
                    return;
                };
                KubeletInput::PodUpdated {
                    pod,
                    spec: Arc::new(PodSpecView::from_pod(&p.pod)),
                }
            }
        };
        self.kubelet_input(node, input);
    }

    fn assignment(
        &mut self,
        id: PodId,
        pod: Arc<Pod>,
        uid: String,
        status: Arc<PodStatus>,
    ) -> PodAssignment {
        let spec = self.spec_memo.view(&pod.spec);
        let namespace = pod
            .metadata
            .namespace
            .clone()
            .unwrap_or_else(|| "default".into());
        let name = pod.metadata.name.clone().unwrap_or_default();
        let incarnation = {
            let by_name = match self.pod_incarnations.get_mut(namespace.as_str()) {
                Some(m) => m,
                None => self.pod_incarnations.entry(namespace.clone()).or_default(),
            };
            let n = match by_name.get_mut(name.as_str()) {
                Some(n) => n,
                None => by_name.entry(name.clone()).or_insert(0),
            };
            *n += 1;
            *n
        };
        let rng = self.streams.stream(&concat(&[
            "pod/",
            &namespace,
            "/",
            &name,
            "#",
            decimal(i64::from(incarnation), &mut [0; 20]),
        ]));
        let scenario = &self.scenario;
        let behaviours = self.spec_memo.behaviours(
            &spec,
            &pod.metadata.labels,
            &pod.metadata.annotations,
            || resolve_behaviours(scenario, &pod, &spec),
        );
        PodAssignment {
            id,
            namespace,
            name,
            uid,
            spec,
            behaviours,
            rng,
            status,
        }
    }

    fn kubelet_input(&mut self, node: NodeId, input: KubeletInput) {
        // Taken out of an Option, so putting it back drops nothing.
        let mut out = self.out.take().unwrap_or_default();
        out.clear();
        if let Some(k) = self.kubelets.get_mut(node.0 as usize) {
            k.handle(self.now, input, &mut out);
        }
        self.apply_kubelet_output(node, &mut out);
        self.out = Some(out);
    }

    fn apply_kubelet_output(&mut self, node: NodeId, out: &mut KubeletOutput) {
        for (at, timer) in out.timers.drain(..) {
            let id = self.queue.schedule(at, Event::Kubelet { node, timer });
            if let Some(pod) = timer.pod() {
                self.pod_timers.add(pod, id);
            }
        }
        for (image, size) in out.cached_images.drain(..) {
            self.cluster.node_mut(node).images.insert(image, size);
        }
        let mut freed = false;
        for (pod, status) in out.statuses.drain(..) {
            if let Some(p) = self.cluster.pod_mut(pod) {
                let terminal = status.phase.is_terminal() && !p.status.phase.is_terminal();
                // The kubelet's status merge keeps conditions other components own
                // (pkg/kubelet/status/status_manager.go mergePodStatus): DisruptionTarget.
                let disruption = p.status.condition(ConditionType::DisruptionTarget).cloned();
                p.status = status;
                if let Some(c) = disruption
                    && p.status
                        .condition(ConditionType::DisruptionTarget)
                        .is_none()
                {
                    Arc::make_mut(&mut p.status).conditions.push(c);
                }
                self.dirty.insert(pod);
                if terminal {
                    // A Succeeded or Failed pod no longer uses its node's resources: the
                    // scheduler's cache and the kubelet's admission leave terminal pods out.
                    self.cluster.release_terminal(pod);
                    self.scheduler.on_event(
                        self.now,
                        ClusterEvent::PodTerminated(pod),
                        &self.cluster,
                    );
                    freed = true;
                }
            }
        }
        if freed {
            self.wake_scheduler();
        }
        // Most inputs answer with no Event: the loop (and its drain) is skipped.
        if !out.events.is_empty() {
            self.record_kubelet_events(node, out);
        }
        for pod in out.finished.drain(..) {
            match self.cluster.pod(pod) {
                Some(p) if p.deletion.is_some() => {
                    self.remove_pod(pod, "the kubelet finished terminating the pod");
                }
                // Done on its own (a terminal pod), or force-deleted earlier: the kubelet holds
                // nothing more for it.
                Some(_) | None => self.forget_pod_timers(pod),
            }
        }
    }

    /// Records the Kubernetes Events this node's kubelet reported (source `kubelet`).
    fn record_kubelet_events(&mut self, node: NodeId, out: &mut KubeletOutput) {
        let node_name = CompactString::from(self.cluster.node(node).name.as_str());
        for e in out.events.drain(..) {
            let Some(p) = self.cluster.pod(e.pod) else {
                continue;
            };
            let pod = Arc::clone(&p.pod);
            let ns = pod.metadata.namespace.as_deref().unwrap_or("default");
            let name = pod.metadata.name.as_deref().unwrap_or("");
            self.record_event_container(
                "Pod",
                ns,
                name,
                &e.container,
                e.type_,
                e.reason,
                e.message,
                "kubelet",
                &node_name,
            );
        }
    }

    /// Timers of a pod the kubelet no longer holds would only fire to be ignored; cancelling
    /// them lets a run end at quiescence.
    fn forget_pod_timers(&mut self, id: PodId) {
        for timer in self.pod_timers.take(id) {
            self.queue.cancel(timer);
        }
    }

    fn remove_pod(&mut self, id: PodId, why: &str) {
        // Record the pod's last status before it disappears.
        if self.dirty.remove(id) {
            self.diff_pod(id);
        }
        let Some(record) = self.cluster.remove_pod(id) else {
            return;
        };
        self.controllers_pod_removed(&record);
        let forgotten = record
            .node
            .is_none_or(|n| self.kubelets[n.0 as usize].is_forgotten(id));
        if forgotten {
            self.forget_pod_timers(id);
        }
        let node = record
            .node
            .map_or("", |n| self.cluster.node(n).name.as_str());
        self.timeline.push(
            TimelineRecord::new(
                self.now,
                "Pod",
                record.namespace(),
                record.name(),
                "Deleted",
            )
            .node(node)
            .message(why),
        );
        self.views.remove(id);
        self.phases.remove(&id);
        self.dirty.remove(id);
        self.scheduler.on_event(
            self.now,
            ClusterEvent::PodDeleted { id, pod: &record },
            &self.cluster,
        );
        self.wake_scheduler();
    }

    /// A DELETE of a pod with the grace period kubectl sends
    /// (staging/src/k8s.io/kubectl/pkg/cmd/delete/delete.go) and the API server applies
    /// (pkg/registry/core/pod/strategy.go CheckGracefulDelete).
    fn delete_pod(&mut self, id: PodId, requested_grace: Option<i64>, source: &str) {
        let Some(p) = self.cluster.pod(id) else {
            return;
        };
        let mut grace = requested_grace
            .unwrap_or_else(|| p.pod.spec.termination_grace_period_seconds.unwrap_or(30));
        if grace < 0 {
            grace = 1;
        }
        if p.node.is_none() || p.status.phase.is_terminal() {
            grace = 0;
        }
        let node = p.node;
        if let Some(d) = &p.deletion {
            // A later DELETE may only shorten the grace period.
            if grace >= d.grace_period_seconds {
                return;
            }
        }
        let (ns, name) = (p.namespace().to_string(), p.name().to_string());
        if grace == 0 {
            if let Some(n) = node {
                let at = self.now + self.scenario.control_plane.watch_latency;
                self.queue.schedule(
                    at,
                    Event::KubeletWatch {
                        node: n,
                        pod: id,
                        change: WatchChange::Removed,
                    },
                );
            }
            self.remove_pod(
                id,
                &concat(&[source, ": deleted immediately (grace period 0)"]),
            );
            return;
        }
        let now = self.now;
        if let Some(p) = self.cluster.pod_mut(id) {
            p.deletion = Some(Deletion {
                requested_at: now,
                timestamp: now + SimDuration::from_secs(grace as u64),
                grace_period_seconds: grace,
            });
        }
        self.dirty.insert(id);
        self.timeline.push(
            TimelineRecord::new(now, "Pod", &ns, &name, "DeletionRequested").message({
                let mut m = concat(&[source, ": grace period "]);
                push_decimal(&mut m, grace);
                m.push('s');
                m
            }),
        );
        if let Some(n) = node {
            let at = now + self.scenario.control_plane.watch_latency;
            self.queue.schedule(
                at,
                Event::KubeletWatch {
                    node: n,
                    pod: id,
                    change: WatchChange::Deletion {
                        grace_period_seconds: grace,
                    },
                },
            );
        }
    }

    // --- actions ---------------------------------------------------------------------------

    fn run_action(&mut self, index: usize) {
        let scenario = Arc::clone(&self.scenario);
        let Some(action) = scenario.actions.get(index) else {
            return;
        };
        let describe = action.kind.describe();
        self.timeline.push(
            TimelineRecord::new(self.now, "Scenario", "", &scenario.name, "Action")
                .message(describe),
        );
        match &action.kind {
            ActionKind::Create(objects) => {
                for o in objects {
                    self.create_object(o);
                }
            }
            ActionKind::Apply(objects) => {
                for o in objects {
                    self.apply_object(o);
                }
            }
            ActionKind::Delete(d) if d.kind == "Node" => match self.cluster.find_node(&d.name) {
                Some(id) => self.delete_node(id),
                None => self.note(format!(
                    "Error from server (NotFound): nodes \"{}\" not found",
                    d.name
                )),
            },
            ActionKind::Delete(d) if self.delete_workload(d) => {}
            ActionKind::Delete(d) => {
                if d.kind != "Pod" {
                    self.note(format!(
                        "delete {}/{}: deleting a {} is not simulated yet (its controller is not simulated)",
                        d.kind, d.name, d.kind
                    ));
                    return;
                }
                let ns = d.namespace.clone().unwrap_or_else(|| "default".into());
                match self.cluster.find_pod(&ns, &d.name) {
                    Some(id) => {
                        let grace = kubectl_delete_grace(d.grace_period, d.force, d.now);
                        self.delete_pod(id, grace, "kubectl delete");
                    }
                    None => self.note(format!("Error from server (NotFound): pods \"{}\" not found", d.name)),
                }
            }
            ActionKind::Scale(s) if self.scale_workload(s) => {}
            ActionKind::Scale(s) => self.note(format!(
                "scale {}/{} to {}: the {} controller is not simulated yet, so the replica count has no effect",
                s.kind, s.name, s.replicas, s.kind
            )),
            ActionKind::NodeFailure(n) => {
                if let Some(id) = self.node_by_name(n) {
                    self.set_node_up(id, false);
                }
            }
            ActionKind::NodeRecovery(n) => {
                if let Some(id) = self.node_by_name(n) {
                    self.set_node_up(id, true);
                }
            }
            ActionKind::Cordon(n) => {
                if let Some(id) = self.node_by_name(n) {
                    self.set_unschedulable(id, true);
                }
            }
            ActionKind::Uncordon(n) => {
                if let Some(id) = self.node_by_name(n) {
                    self.set_unschedulable(id, false);
                }
            }
            ActionKind::Drain(d) => {
                if let Some(id) = self.node_by_name(&d.node) {
                    self.drain(id, d);
                }
            }
            ActionKind::Rollout(r) => self.rollout(r),
            ActionKind::RegistryOutage(duration) => {
                self.set_registry(false);
                if let Some(d) = duration {
                    self.queue.schedule(self.now + *d, Event::RegistryRecovery);
                }
            }
            ActionKind::RegistryRecovery => self.set_registry(true),
        }
    }

    /// `kubectl drain`: cordon, then check every pod against drain's filters
    /// (staging/src/k8s.io/kubectl/pkg/drain/filters.go); if any pod is refused, nothing is
    /// deleted and the command fails with kubectl's message; otherwise every pod but DaemonSet
    /// and mirror pods is deleted with the drain's grace period.
    fn drain(&mut self, node: NodeId, d: &crate::scenario::DrainAction) {
        self.set_unschedulable(node, true);
        let mut errors: BTreeMap<&'static str, Vec<String>> = BTreeMap::new();
        let mut to_delete = Vec::new();
        for &id in &self.cluster.node(node).pods {
            let Some(p) = self.cluster.pod(id) else {
                continue;
            };
            if p.pod
                .metadata
                .annotations
                .contains_key("kubernetes.io/config.mirror")
            {
                continue;
            }
            let finished = p.status.phase.is_terminal();
            let controller = p
                .pod
                .metadata
                .owner_references
                .iter()
                .find(|o| o.controller == Some(true));
            if !finished && controller.is_some_and(|o| o.kind == "DaemonSet") {
                if !d.ignore_daemonsets {
                    errors.entry("cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore)").or_default().push(p.key());
                }
                continue;
            }
            if !finished && controller.is_none() && !d.force {
                errors
                    .entry(
                        "cannot delete Pods that declare no controller (use --force to override)",
                    )
                    .or_default()
                    .push(p.key());
                continue;
            }
            to_delete.push(id);
        }
        if !errors.is_empty() {
            let reasons: Vec<String> = errors
                .iter()
                .map(|(why, pods)| format!("{why}: {}", pods.join(", ")))
                .collect();
            self.note(format!(
                "error: unable to drain node \"{}\" due to error: {}, continuing command...",
                self.cluster.node(node).name,
                reasons.join(", ")
            ));
            return;
        }
        self.start_drain(node, to_delete, d);
    }

    fn apply_object(&mut self, obj: &LoadedObject) {
        if self.apply_workload(obj) {
            return;
        }
        let crate::api::Object::Pod(new) = &obj.object else {
            self.note(format!(
                "apply {} {}: updates of this kind are not simulated yet",
                obj.object.kind(),
                obj.object.name()
            ));
            return;
        };
        let ns = new
            .metadata
            .namespace
            .clone()
            .unwrap_or_else(|| "default".into());
        let name = new.metadata.name.clone().unwrap_or_default();
        let Some(id) = self.cluster.find_pod(&ns, &name) else {
            self.create_pod(new);
            return;
        };
        let Some(old) = self.cluster.pod(id) else {
            return;
        };
        // kubectl apply patches the live object: fields the manifest leaves out keep their live
        // values (e.g. an imagePullPolicy defaulted from the old tag), the rest is defaulted.
        // The update then goes through the same admission as a create before it is compared.
        let mut new = match &obj.as_written {
            crate::api::Object::Pod(written) => {
                let mut merged = written.clone();
                let spec = Arc::make_mut(&mut merged.spec);
                for c in spec
                    .containers
                    .iter_mut()
                    .chain(spec.init_containers.iter_mut())
                {
                    if c.image_pull_policy.is_none()
                        && let Some(live) = old
                            .pod
                            .spec
                            .containers
                            .iter()
                            .chain(&old.pod.spec.init_containers)
                            .find(|l| l.name == c.name)
                    {
                        c.image_pull_policy = live.image_pull_policy.clone();
                    }
                }
                let mut object = crate::api::Object::Pod(merged);
                crate::api::defaults::default_object(&mut object);
                match object {
                    crate::api::Object::Pod(p) => p,
                    _ => new.clone(),
                }
            }
            _ => new.clone(),
        };
        new.metadata.namespace = Some(ns.clone());
        if let Err(message) = self.admit_priority(&mut new) {
            self.timeline.push(
                TimelineRecord::new(self.now, "Pod", &ns, &name, "Note")
                    .reason("Forbidden")
                    .message(message),
            );
            return;
        }
        let verdict = crate::api::validation::validate_pod_update(&old.pod, &new);
        match verdict {
            Ok(changed) if !changed => {
                self.timeline.push(
                    TimelineRecord::new(self.now, "Pod", &ns, &name, "Note")
                        .message(format!("pod/{name} unchanged")),
                );
            }
            Ok(_) => {
                let old_record = self.cluster.pod(id).cloned();
                let mut node = None;
                if let Some(p) = self.cluster.pod_mut(id) {
                    p.pod = Arc::new(new);
                    node = p.node;
                }
                if let Some(old) = &old_record {
                    self.scheduler.on_event(
                        self.now,
                        ClusterEvent::PodUpdated { id, old },
                        &self.cluster,
                    );
                    self.wake_scheduler();
                    // The last scheduling gate removed: PreEnqueue lets the pod in.
                    let ungated = self
                        .cluster
                        .pod(id)
                        .is_some_and(|p| p.pod.spec.scheduling_gates.is_empty());
                    if !old.pod.spec.scheduling_gates.is_empty() && ungated {
                        self.watch_for_scheduler(id);
                    }
                }
                self.timeline.push(
                    TimelineRecord::new(self.now, "Pod", &ns, &name, "Note")
                        .message(format!("pod/{name} configured")),
                );
                if let Some(n) = node {
                    let at = self.now + self.scenario.control_plane.watch_latency;
                    self.queue.schedule(
                        at,
                        Event::KubeletWatch {
                            node: n,
                            pod: id,
                            change: WatchChange::Updated,
                        },
                    );
                }
            }
            Err(msg) => {
                self.timeline.push(
                    TimelineRecord::new(self.now, "Pod", &ns, &name, "Note")
                        .reason("Invalid")
                        .message(msg),
                );
            }
        }
    }

    // --- records -----------------------------------------------------------------------------

    fn note(&mut self, message: String) {
        self.timeline.push(
            TimelineRecord::new(self.now, "Scenario", "", &self.scenario.name, "Note")
                .message(message),
        );
    }

    #[allow(clippy::too_many_arguments)]
    fn record_event(
        &mut self,
        kind: &'static str,
        ns: &str,
        name: &str,
        type_: EventType,
        reason: &'static str,
        message: impl Into<CompactString>,
        source: &str,
        node: &str,
    ) {
        self.record_event_container(kind, ns, name, "", type_, reason, message, source, node);
    }

    #[allow(clippy::too_many_arguments)]
    fn record_event_container(
        &mut self,
        kind: &'static str,
        ns: &str,
        name: &str,
        container: &str,
        type_: EventType,
        reason: &'static str,
        message: impl Into<CompactString>,
        source: &str,
        node: &str,
    ) {
        // Converted once, copied into both (a short message is inline, a long one keeps its
        // buffer).
        let message = message.into();
        let (namespace, name, source) = (
            CompactString::from(ns),
            CompactString::from(name),
            CompactString::from(source),
        );
        self.timeline.push(TimelineRecord {
            time: self.now,
            kind,
            namespace: namespace.clone(),
            name: name.clone(),
            container: container.into(),
            node: node.into(),
            event: type_.as_str(),
            from: source.clone(),
            to: Default::default(),
            reason: CompactString::const_new(reason),
            message: message.clone(),
        });
        self.cluster.record_event(KubeEvent {
            kind,
            namespace,
            name,
            type_,
            reason: CompactString::const_new(reason),
            message,
            source,
            first_timestamp: self.now,
            last_timestamp: self.now,
            count: 1,
        });
    }

    /// Turns the changes of the pods touched in this batch into timeline records.
    fn end_batch(&mut self) {
        let mut batch = std::mem::take(&mut self.dirty_batch);
        self.dirty.drain_sorted(&mut batch);
        self.workload_pods_changed(&batch);
        self.pod_gc_observe(&batch);
        self.gc_settle();
        for &id in &batch {
            self.diff_pod(id);
        }
        self.dirty_batch = batch;
        if self.options.check_invariants {
            // Phases are compared batch to batch: remember this batch's.
            for p in self.cluster.pods() {
                self.phases.insert(p.id, p.status.phase);
            }
        }
    }
}

/// kubectl delete's grace period (delete.go Complete): `--now` is 1; `--grace-period=0`
/// without `--force` becomes 1; `--force` alone is 0; `--force` with a positive grace keeps the
/// grace ("--force is ignored because --grace-period is not 0").
pub fn kubectl_delete_grace(grace_period: Option<i64>, force: bool, now: bool) -> Option<i64> {
    if now {
        return Some(1);
    }
    match (grace_period, force) {
        // A negative grace period means "the pod's own".
        (Some(g), _) if g < 0 => None,
        (None, true) => Some(0),
        (Some(0), true) => Some(0),
        (Some(0), false) => Some(1),
        (g, _) => g,
    }
}

/// Behaviour per container, init containers first: a per-container annotation, then the pod
/// annotation, then the first matching scenario rule, then the default.
pub fn resolve_behaviours(
    scenario: &Scenario,
    pod: &Pod,
    spec: &PodSpecView,
) -> Vec<Arc<ContainerBehaviour>> {
    let annotations = &pod.metadata.annotations;
    let labels = &pod.metadata.labels;
    let by_name = |name: &str| scenario.behaviours.iter().find(|r| r.name == name);
    spec.all()
        .map(|c| {
            // Most pods carry no annotations: no key to build then.
            let per_container = if annotations.is_empty() {
                None
            } else {
                annotations.get(&concat(&[BEHAVIOUR_ANNOTATION_PREFIX, &c.name]))
            };
            let chosen = per_container.or_else(|| annotations.get(BEHAVIOUR_ANNOTATION));
            if let Some(value) = chosen {
                if let Some(rule) = by_name(value) {
                    return Arc::new(ContainerBehaviour::resolve(&rule.name, &rule.spec));
                }
                if let Ok(spec) = crate::scenario::load::parse_inline_behaviour(value) {
                    return Arc::new(ContainerBehaviour::resolve("annotation", &spec));
                }
            }
            let rule = scenario.behaviours.iter().find(|r| {
                r.match_
                    .as_ref()
                    .is_some_and(|m| m.matches(&c.image, &c.name, labels))
            });
            match rule {
                Some(r) => Arc::new(ContainerBehaviour::resolve(&r.name, &r.spec)),
                None => Arc::new(ContainerBehaviour::resolve(
                    "default",
                    &BehaviourSpec::default(),
                )),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The mapping of delete.go Complete, as kubelet.md §6.1 tabulates it.
    #[test]
    fn kubectl_grace_mapping() {
        assert_eq!(kubectl_delete_grace(None, false, false), None);
        assert_eq!(kubectl_delete_grace(None, false, true), Some(1));
        assert_eq!(kubectl_delete_grace(Some(0), false, false), Some(1));
        assert_eq!(kubectl_delete_grace(None, true, false), Some(0));
        assert_eq!(kubectl_delete_grace(Some(0), true, false), Some(0));
        assert_eq!(kubectl_delete_grace(Some(10), true, false), Some(10));
        assert_eq!(kubectl_delete_grace(Some(60), false, false), Some(60));
    }
}
