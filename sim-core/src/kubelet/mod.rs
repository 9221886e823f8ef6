//! The kubelet: one pure state machine per node. It sees time only as the `now` passed in, never
//! touches the engine, and answers each input with status updates, Kubernetes Events and timer
//! requests (`KubeletOutput`). The engine routes timers back as `KubeletInput::Timer`.
//!
//! Structure follows upstream's: a pod worker per pod runs `SyncPod` as a sequence of steps
//! (sandbox, then per container: ensure image, create, start — pkg/kubelet/kuberuntime/
//! kuberuntime_manager.go SyncPod), container exits reach it through PLEG relists
//! (pkg/kubelet/pleg/generic.go), and the API status is regenerated from runtime state after
//! every change (pkg/kubelet/kubelet_pods.go generateAPIPodStatus).

pub mod backoff;
pub mod images;
pub mod phase;
pub mod prober;
pub mod restart;
pub mod spec;
mod status;

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::sync::Arc;

use compact_str::CompactString;

use crate::behaviour::ContainerBehaviour;
use crate::cluster::{EventType, NodeId, PodId, PodStatus};
use crate::rng::{SimRng, uniform_below};
use crate::text::{concat, concat_compact, decimal};
use crate::time::{SimDuration, SimTime};

use backoff::{Backoff, BackoffEntry};
use images::{PullOutcome, Registry, normalize_image, transfer_time, unreachable_error};
use phase::PodRestartPolicy;
use spec::{PodSpecView, PreStopHook, PullPolicy};

/// Timing parameters of the simulated kubelet and container runtime.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KubeletConfig {
    /// `serializeImagePulls` (default true): one pull at a time per node.
    pub serialize_image_pulls: bool,
    /// RunPodSandbox including network setup.
    pub sandbox_creation: SimDuration,
    /// CreateContainer.
    pub container_creation: SimDuration,
    /// StartContainer.
    pub container_start: SimDuration,
    /// PLEG relist period (pkg/kubelet/kubelet.go genericPlegRelistPeriod = 1s).
    pub pleg_relist_period: SimDuration,
    /// Requeue of a pod worker whose sync failed (pkg/kubelet/pod_workers.go backOffPeriod,
    /// jittered by 0.5).
    pub sync_error_backoff: SimDuration,
}

impl Default for KubeletConfig {
    fn default() -> Self {
        KubeletConfig {
            serialize_image_pulls: true,
            sandbox_creation: SimDuration::from_millis(1000),
            container_creation: SimDuration::from_millis(100),
            container_start: SimDuration::from_millis(150),
            pleg_relist_period: SimDuration::from_secs(1),
            sync_error_backoff: SimDuration::from_secs(10),
        }
    }
}

/// A pod bound to this node, as the kubelet receives it from its watch.
pub struct PodAssignment {
    pub id: PodId,
    pub namespace: String,
    pub name: String,
    pub uid: String,
    pub spec: Arc<PodSpecView>,
    /// One behaviour per container, init containers first.
    pub behaviours: Vec<Arc<ContainerBehaviour>>,
    /// The pod's own random stream (behaviour sampling, jitter).
    pub rng: SimRng,
    /// The last status the API holds (PodScheduled condition, ...).
    pub status: Arc<PodStatus>,
}

pub enum KubeletInput {
    PodAssigned(Box<PodAssignment>),
    /// The API set a deletionTimestamp with this grace period.
    PodDeletion {
        pod: PodId,
        grace_period_seconds: i64,
    },
    /// The API object is gone (force delete): stop everything, report nothing more.
    PodRemoved {
        pod: PodId,
    },
    /// An accepted update changed the pod's spec (container images).
    PodUpdated {
        pod: PodId,
        spec: Arc<PodSpecView>,
    },
    Timer(KubeletTimer),
    /// The node lost contact with the control plane (node failure) or regained it.
    NodeDown,
    NodeUp,
    /// The registry became unreachable or reachable again.
    RegistryReachable(bool),
}

/// A kubelet timer; carries what it needs to detect staleness instead of being cancelled.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum KubeletTimer {
    /// The pod worker's current step finished.
    StepDone { pod: PodId, token: u32 },
    /// An image pull on this node finished.
    PullDone { pull: u64 },
    /// A container process exits on its own (run time over, crash, OOM kill).
    ContainerExit {
        pod: PodId,
        container: u16,
        attempt: u32,
    },
    /// The PLEG relist that notices container changes of this pod.
    Relist { pod: PodId },
    /// A probe worker's ticker fires.
    ProbeTick { pod: PodId, probe: u16 },
    /// A container being stopped exits (after SIGTERM or at SIGKILL).
    Stopped {
        pod: PodId,
        container: u16,
        attempt: u32,
    },
    /// The pod worker re-syncs (after an error back-off).
    Sync { pod: PodId, token: u32 },
    /// `activeDeadlineSeconds` is reached.
    ActiveDeadline { pod: PodId },
}

impl KubeletTimer {
    pub fn pod(&self) -> Option<PodId> {
        match *self {
            KubeletTimer::PullDone { .. } => None,
            KubeletTimer::StepDone { pod, .. }
            | KubeletTimer::ContainerExit { pod, .. }
            | KubeletTimer::Relist { pod }
            | KubeletTimer::ProbeTick { pod, .. }
            | KubeletTimer::Stopped { pod, .. }
            | KubeletTimer::Sync { pod, .. }
            | KubeletTimer::ActiveDeadline { pod } => Some(pod),
        }
    }
}

/// A Kubernetes Event the kubelet reports about a pod.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KubeletEvent {
    pub pod: PodId,
    pub container: CompactString,
    pub type_: EventType,
    pub reason: &'static str,
    /// Inline when short, as in the timeline row and the API's Event it becomes.
    pub message: CompactString,
}

#[derive(Default)]
pub struct KubeletOutput {
    pub statuses: Vec<(PodId, Arc<PodStatus>)>,
    pub events: Vec<KubeletEvent>,
    pub timers: Vec<(SimTime, KubeletTimer)>,
    /// Pods whose worker finished terminating: the API may delete them now
    /// (pkg/kubelet/status/status_manager.go canBeDeleted).
    pub finished: Vec<PodId>,
    /// Images that entered the node's cache, with their sizes.
    pub cached_images: Vec<(String, u64)>,
}

impl KubeletOutput {
    pub fn clear(&mut self) {
        self.statuses.clear();
        self.events.clear();
        self.timers.clear();
        self.finished.clear();
        self.cached_images.clear();
    }
}

/// The seam for a node agent. `NodeKubelet` is kubesim's model of upstream's kubelet.
pub trait Kubelet {
    fn handle(&mut self, now: SimTime, input: KubeletInput, out: &mut KubeletOutput);
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum InstanceState {
    Created,
    Running,
    Exited {
        exit_code: i32,
        reason: CompactString,
        finished_at: SimTime,
    },
}

#[derive(Clone, Debug)]
struct Instance {
    attempt: u32,
    started_at: SimTime,
    state: InstanceState,
    /// The readiness probe's result (without a probe, readiness follows `started`).
    ready: bool,
    /// The startup probe succeeded.
    started: bool,
    /// When the application answers its probes, from the behaviour model: startup and
    /// readiness succeed from these offsets; liveness fails from `liveness_fails_after`.
    startup_after: SimDuration,
    ready_after: SimDuration,
    liveness_fails_after: Option<SimDuration>,
    /// The process exited but no relist has reported it yet.
    exit_pending: Option<(SimTime, i32, CompactString)>,
    /// A stop is in progress (preStop / SIGTERM / SIGKILL).
    stopping: bool,
}

#[derive(Clone, Debug, Default)]
struct ContainerRuntime {
    current: Option<Instance>,
    previous: Option<Instance>,
    restart_count: u32,
    /// The reason cache: the last start failure, shown as the Waiting state
    /// (pkg/kubelet/kubelet_pods.go convertToAPIContainerStatuses).
    waiting: Option<(CompactString, String)>,
    restart_backoff: Option<BackoffEntry>,
    pull_backoff: Option<(BackoffEntry, SimTime)>,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
enum Step {
    CreateSandbox,
    EnsureImage(usize),
    Create(usize),
    Start(usize),
}

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
enum Sandbox {
    None,
    Creating,
    Ready,
    Stopped,
}

struct Termination {
    grace_period_seconds: i64,
    started_at: SimTime,
    /// Set when `activeDeadlineSeconds` ended the pod.
    deadline_exceeded: bool,
}

struct Worker {
    a: PodAssignment,
    sandbox: Sandbox,
    ip: CompactString,
    containers: Vec<ContainerRuntime>,
    plan: VecDeque<Step>,
    busy: bool,
    token: u32,
    sync_error: bool,
    resync_requested: bool,
    /// When the last SyncPod ended (pod_workers.go podWorkerLoop's lastSyncTime).
    last_sync_done: Option<SimTime>,
    terminating: Option<Termination>,
    finished: bool,
    /// SyncTerminatingPod's status write is done (by its first pass, or by the SyncPod that
    /// found the pod done at the same instant).
    kill_started: bool,
    /// The container a probe kill just stopped, while the same SyncPod restarts it.
    killed_in_sync: Option<usize>,
    removed: bool,
    has_initialized: bool,
    start_time: Option<SimTime>,
    probes: Vec<prober::ProbeWorker>,
    /// The last status this worker reported, shared with the API state.
    status: Arc<PodStatus>,
    /// The status reported before it: once the API state has let go of it, the next generation
    /// is written over it, so generating a status allocates nothing.
    spare: Option<Arc<PodStatus>>,
}

struct Pull {
    id: u64,
    pod: PodId,
    container: usize,
    image: String,
    enqueued_at: SimTime,
}

/// kubesim's kubelet for one node.
pub struct NodeKubelet {
    pub node: NodeId,
    pub node_name: String,
    config: KubeletConfig,
    registry: Arc<Registry>,
    registry_reachable: bool,
    pull_bandwidth: u64,
    images: BTreeSet<String>,
    /// Image references as pods write them -> their normalised cache names (parsing a
    /// reference costs more than the rest of the image step).
    normalized: BTreeMap<String, String>,
    /// Boxed: a worker is large, and the map moves its values when it rebalances.
    workers: BTreeMap<PodId, Box<Worker>>,
    pull_queue: VecDeque<Pull>,
    pulls_active: BTreeMap<u64, (Pull, SimTime, PullOutcome)>,
    next_pull: u64,
    down: bool,
    pleg_offset: SimDuration,
    pod_cidr_index: u32,
    next_ip: u32,
}

impl NodeKubelet {
    /// `images` are the node's pre-pulled images; `pleg_offset` is the phase of the node's PLEG
    /// relist ticker within one period (drawn by the engine from the node's stream).
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        node: NodeId,
        node_name: &str,
        config: KubeletConfig,
        registry: Arc<Registry>,
        pull_bandwidth: u64,
        images: impl IntoIterator<Item = String>,
        pleg_offset: SimDuration,
    ) -> Self {
        NodeKubelet {
            node,
            node_name: node_name.to_string(),
            config,
            registry,
            registry_reachable: true,
            pull_bandwidth,
            images: images.into_iter().map(|i| normalize_image(&i)).collect(),
            normalized: BTreeMap::new(),
            workers: BTreeMap::new(),
            pull_queue: VecDeque::new(),
            pulls_active: BTreeMap::new(),
            next_pull: 0,
            down: false,
            pleg_offset,
            pod_cidr_index: node.0 + 1,
            next_ip: 2,
        }
    }

    pub fn has_image(&self, image: &str) -> bool {
        self.images.contains(&normalize_image(image))
    }

    pub fn is_down(&self) -> bool {
        self.down
    }

    /// The next PLEG relist at or after `t`.
    fn next_relist(&self, t: SimTime) -> SimTime {
        let period = self.config.pleg_relist_period.as_nanos().max(1);
        let offset = self.pleg_offset.as_nanos() % period;
        let t = t.as_nanos();
        if t <= offset {
            return SimTime::from_nanos(offset);
        }
        let k = (t - offset).div_ceil(period);
        SimTime::from_nanos(offset.saturating_add(k.saturating_mul(period)))
    }

    fn event(
        out: &mut KubeletOutput,
        pod: PodId,
        container: &str,
        type_: EventType,
        reason: &'static str,
        message: impl Into<CompactString>,
    ) {
        out.events.push(KubeletEvent {
            pod,
            container: container.into(),
            type_,
            reason,
            message: message.into(),
        });
    }

    fn admit(&mut self, now: SimTime, a: PodAssignment, out: &mut KubeletOutput) {
        let id = a.id;
        let n = a.spec.len();
        let status = Arc::clone(&a.status);
        let deadline = a.spec.active_deadline_seconds;
        // prober_manager.go AddPod: one worker per probe, ticking from now (the kubelet is taken
        // as long-running, so without the start-up jitter).
        let mut probes = Vec::new();
        for (c, spec) in a.spec.all().enumerate() {
            for (kind, probe) in [
                (prober::ProbeKind::Startup, &spec.startup_probe),
                (prober::ProbeKind::Readiness, &spec.readiness_probe),
                (prober::ProbeKind::Liveness, &spec.liveness_probe),
            ] {
                if let Some(p) = probe {
                    probes.push(prober::ProbeWorker::new(kind, c, p.clone()));
                }
            }
        }
        for i in 0..probes.len() {
            out.timers.push((
                now,
                KubeletTimer::ProbeTick {
                    pod: id,
                    probe: i as u16,
                },
            ));
        }
        let worker = Worker {
            a,
            sandbox: Sandbox::None,
            ip: CompactString::default(),
            containers: vec![ContainerRuntime::default(); n],
            plan: VecDeque::new(),
            busy: false,
            token: 0,
            sync_error: false,
            resync_requested: false,
            last_sync_done: None,
            terminating: None,
            finished: false,
            kill_started: false,
            killed_in_sync: None,
            removed: false,
            has_initialized: false,
            start_time: Some(now),
            probes,
            status,
            spare: None,
        };
        self.workers.insert(id, Box::new(worker));
        if let Some(secs) = deadline {
            // pkg/kubelet/active_deadline.go: measured from status.startTime.
            let at = now + SimDuration::from_secs(u64::try_from(secs).unwrap_or(0));
            out.timers
                .push((at, KubeletTimer::ActiveDeadline { pod: id }));
        }
        // The first SyncPod writes the pod's first status at once (it always runs: the worker
        // is new, idle and not terminating).
        self.sync(now, id, out);
    }

    /// Starts a pod sync unless one is running (then it re-runs when the current one ends).
    fn sync(&mut self, now: SimTime, id: PodId, out: &mut KubeletOutput) {
        self.sync_pod(now, id, true, out);
    }

    /// `publish` is false when this continues a SyncPod that just killed a container (a probe
    /// failure): upstream kills and restarts in one SyncPod, writing no status in between.
    fn sync_pod(&mut self, now: SimTime, id: PodId, publish: bool, out: &mut KubeletOutput) {
        let Some(w) = self.workers.get_mut(&id) else {
            return;
        };
        if w.finished || w.removed {
            return;
        }
        if w.terminating.is_some() {
            self.sync_terminating(now, id, out);
            return;
        }
        if w.busy {
            w.resync_requested = true;
            return;
        }
        if publish && w.last_sync_done == Some(now) {
            // pod_workers.go podWorkerLoop reads the runtime through
            // podCache.GetNewerThan(uid, lastSyncTime): a sync requested at the instant the
            // previous one ended (two PLEG events of one relist, say) finds the cache no newer and
            // waits for the next relist.
            let at = self.next_relist(now + SimDuration::from_nanos(1));
            let Some(w) = self.workers.get_mut(&id) else {
                return;
            };
            w.token += 1;
            out.timers.push((
                at,
                KubeletTimer::Sync {
                    pod: id,
                    token: w.token,
                },
            ));
            return;
        }
        // SyncPod writes the status generated from the runtime state at its start
        // (kubelet.go SyncPod -> generateAPIPodStatus -> statusManager.SetPodStatus); steps it
        // performs become visible at the next sync, which PLEG triggers.
        if publish {
            self.publish(now, id, out);
        }
        let Some(w) = self.workers.get_mut(&id) else {
            return;
        };
        w.sync_error = false;
        let mut backoff_events = Vec::new();
        let mut pod_done = false;
        w.plan = compute_pod_actions(w, now, &mut backoff_events, &mut pod_done);
        for (container, message) in backoff_events {
            Self::event(out, id, &container, EventType::Warning, "BackOff", message);
        }
        if pod_done {
            // computePodActions changed nothing (it stops at the verdict), so the status this
            // SyncPod just wrote is still current: SyncTerminatingPod's first write would repeat
            // it unchanged.
            w.kill_started |= publish;
            let grace = w.a.spec.termination_grace_period_seconds;
            self.begin_termination(now, id, grace, false, out);
            return;
        }
        self.advance(now, id, out);
    }

    /// Runs plan steps until one needs time to pass.
    fn advance(&mut self, now: SimTime, id: PodId, out: &mut KubeletOutput) {
        loop {
            let Some(w) = self.workers.get_mut(&id) else {
                return;
            };
            let Some(step) = w.plan.front().copied() else {
                break;
            };
            // Sandbox creation, container creation and start take time; the image step waits
            // for the node's pull queue (or needs no time).
            let duration = match step {
                Step::EnsureImage(c) => {
                    if self.ensure_image(now, id, c, out) {
                        return;
                    }
                    continue;
                }
                Step::CreateSandbox => {
                    w.sandbox = Sandbox::Creating;
                    self.config.sandbox_creation
                }
                Step::Create(_) => self.config.container_creation,
                Step::Start(_) => self.config.container_start,
            };
            w.busy = true;
            w.token += 1;
            out.timers.push((
                now + duration,
                KubeletTimer::StepDone {
                    pod: id,
                    token: w.token,
                },
            ));
            return;
        }
        let config_backoff = self.config.sync_error_backoff;
        let relist_after_now = self.next_relist(now);
        let Some(w) = self.workers.get_mut(&id) else {
            return;
        };
        w.busy = false;
        w.last_sync_done = Some(now);
        if w.resync_requested {
            // A sync queued while this one ran starts now, but reads the runtime through the
            // PLEG cache (pod_workers.go: podCache.GetNewerThan(lastSyncTime)); what this sync
            // just changed becomes visible at the next relist, so that is when it acts.
            w.resync_requested = false;
            w.token += 1;
            let at = relist_after_now;
            out.timers.push((
                at,
                KubeletTimer::Sync {
                    pod: id,
                    token: w.token,
                },
            ));
        } else if w.sync_error {
            // pod_workers.go completeWork: a failed sync is requeued after
            // wait.Jitter(backOffPeriod, 0.5), uniform in [10s, 15s).
            let jitter = uniform_below(&mut w.a.rng, config_backoff.as_nanos() / 2 + 1);
            w.token += 1;
            let at = now + config_backoff + SimDuration::from_nanos(jitter);
            out.timers.push((
                at,
                KubeletTimer::Sync {
                    pod: id,
                    token: w.token,
                },
            ));
        }
    }

    /// The image step of starting container `c`. Returns true when the worker must wait.
    fn ensure_image(&mut self, now: SimTime, id: PodId, c: usize, out: &mut KubeletOutput) -> bool {
        let Some(w) = self.workers.get_mut(&id) else {
            return false;
        };
        let spec_view = Arc::clone(&w.a.spec);
        let spec = spec_view.container(c);
        let normalized = match self.normalized.get(&*spec.image) {
            Some(n) => n,
            None => self
                .normalized
                .entry(spec.image.to_string())
                .or_insert_with(|| normalize_image(&spec.image)),
        };
        let present = self.images.contains(normalized);
        // pkg/kubelet/images/image_manager.go shouldPullImage.
        let must_pull = match spec.pull_policy {
            PullPolicy::Always => true,
            PullPolicy::IfNotPresent => !present,
            PullPolicy::Never => false,
        };
        if !must_pull {
            w.plan.pop_front();
            if present {
                let msg = concat(&[
                    "Container image \"",
                    &spec.image,
                    "\" already present on machine",
                ]);
                Self::event(out, id, &spec.name, EventType::Normal, "Pulled", msg);
            } else {
                let msg = format!(
                    "Container image \"{}\" is not present with pull policy of Never",
                    spec.image
                );
                Self::event(
                    out,
                    id,
                    &spec.name,
                    EventType::Warning,
                    "ErrImageNeverPull",
                    msg.clone(),
                );
                w.containers[c].waiting = Some(("ErrImageNeverPull".into(), msg));
                w.sync_error = true;
                drop_container_steps(&mut w.plan, c);
            }
            return false;
        }
        let rt = &mut w.containers[c];
        if let Some((entry, failed_at)) = rt.pull_backoff
            && Backoff::IMAGE_PULL.is_in_backoff_since(Some(&entry), failed_at, now)
        {
            w.plan.pop_front();
            let msg = format!("Back-off pulling image \"{}\"", spec.image);
            Self::event(
                out,
                id,
                &spec.name,
                EventType::Normal,
                "BackOff",
                msg.clone(),
            );
            Self::event(
                out,
                id,
                &spec.name,
                EventType::Warning,
                "Failed",
                "Error: ImagePullBackOff",
            );
            w.containers[c].waiting = Some(("ImagePullBackOff".into(), msg));
            w.sync_error = true;
            drop_container_steps(&mut w.plan, c);
            return false;
        }
        Self::event(
            out,
            id,
            &spec.name,
            EventType::Normal,
            "Pulling",
            concat(&["Pulling image \"", &spec.image, "\""]),
        );
        w.busy = true;
        let pull = Pull {
            id: self.next_pull,
            pod: id,
            container: c,
            image: spec.image.to_string(),
            enqueued_at: now,
        };
        self.next_pull += 1;
        self.pull_queue.push_back(pull);
        self.start_pulls(now, out);
        true
    }

    fn start_pulls(&mut self, now: SimTime, out: &mut KubeletOutput) {
        while let Some(pull) = self.pull_queue.front() {
            if self.config.serialize_image_pulls && !self.pulls_active.is_empty() {
                return;
            }
            let outcome = if self.registry_reachable {
                self.registry.lookup(&pull.image)
            } else {
                PullOutcome::Failure {
                    error: unreachable_error(&normalize_image(&pull.image)),
                }
            };
            let duration = match &outcome {
                PullOutcome::Success { size } => {
                    self.registry.pull_latency + transfer_time(*size, self.pull_bandwidth)
                }
                PullOutcome::Failure { .. } => self.registry.pull_latency,
            };
            let Some(pull) = self.pull_queue.pop_front() else {
                return;
            };
            let id = pull.id;
            out.timers
                .push((now + duration, KubeletTimer::PullDone { pull: id }));
            self.pulls_active.insert(id, (pull, now, outcome));
        }
    }

    fn pull_done(&mut self, now: SimTime, pull_id: u64, out: &mut KubeletOutput) {
        let Some((pull, started, outcome)) = self.pulls_active.remove(&pull_id) else {
            return;
        };
        self.start_pulls(now, out);
        let id = pull.pod;
        let Some(w) = self.workers.get_mut(&id) else {
            return;
        };
        if w.terminating.is_some()
            || w.removed
            || w.plan.front() != Some(&Step::EnsureImage(pull.container))
        {
            return;
        }
        let name = w.a.spec.container(pull.container).name.clone();
        w.plan.pop_front();
        match outcome {
            PullOutcome::Success { size } => {
                self.images.insert(normalize_image(&pull.image));
                out.cached_images.push((normalize_image(&pull.image), size));
                // image_manager.go: durations truncated to milliseconds.
                let pull_time = truncate_ms(now.saturating_since(started));
                let total = truncate_ms(now.saturating_since(pull.enqueued_at));
                let msg = format!(
                    "Successfully pulled image \"{}\" in {} ({} including waiting). Image size: {} bytes.",
                    pull.image, pull_time, total, size
                );
                Self::event(out, id, &name, EventType::Normal, "Pulled", msg);
                w.containers[pull.container].pull_backoff = None;
            }
            PullOutcome::Failure { error } => {
                let rt = &mut w.containers[pull.container];
                let entry = Backoff::IMAGE_PULL.next(rt.pull_backoff.map(|(e, _)| e), now, now);
                rt.pull_backoff = Some((entry, now));
                let msg = format!("Failed to pull image \"{}\": {}", pull.image, error);
                Self::event(out, id, &name, EventType::Warning, "Failed", msg.clone());
                Self::event(
                    out,
                    id,
                    &name,
                    EventType::Warning,
                    "Failed",
                    "Error: ErrImagePull",
                );
                rt.waiting = Some(("ErrImagePull".into(), msg));
                w.sync_error = true;
                drop_container_steps(&mut w.plan, pull.container);
            }
        }
        self.advance(now, id, out);
    }

    fn step_done(&mut self, now: SimTime, id: PodId, token: u32, out: &mut KubeletOutput) {
        let Some(w) = self.workers.get_mut(&id) else {
            return;
        };
        if w.token != token || w.terminating.is_some() || w.removed {
            return;
        }
        let Some(step) = w.plan.pop_front() else {
            return;
        };
        match step {
            Step::CreateSandbox => {
                w.sandbox = Sandbox::Ready;
                let mut ip = CompactString::const_new("10.244.");
                ip.push_str(decimal(i64::from(self.pod_cidr_index), &mut [0; 20]));
                ip.push('.');
                ip.push_str(decimal(i64::from(self.next_ip), &mut [0; 20]));
                w.ip = ip;
                self.next_ip += 1;
                // PLEG sees the new sandbox at its next relist and queues a sync, which runs as
                // soon as this one ends (pod_workers.go: a pending update is processed at once).
                let relist = self.next_relist(now);
                out.timers.push((relist, KubeletTimer::Relist { pod: id }));
            }
            Step::EnsureImage(_) => {}
            Step::Create(c) => {
                let name = w.a.spec.container(c).name.clone();
                let rt = &mut w.containers[c];
                let attempt = rt
                    .current
                    .as_ref()
                    .map_or(0, |i| i.attempt + 1)
                    .max(rt.restart_count);
                if let Some(prev) = rt.current.take() {
                    rt.previous = Some(prev);
                    rt.restart_count += 1;
                }
                rt.current = Some(Instance {
                    attempt,
                    started_at: now,
                    state: InstanceState::Created,
                    ready: false,
                    started: false,
                    startup_after: SimDuration::ZERO,
                    ready_after: SimDuration::ZERO,
                    liveness_fails_after: None,
                    exit_pending: None,
                    stopping: false,
                });
                rt.waiting = None;
                Self::event(
                    out,
                    id,
                    &name,
                    EventType::Normal,
                    "Created",
                    concat_compact(&["Created container: ", &name]),
                );
            }
            Step::Start(c) => {
                self.start_container(now, id, c, out);
            }
        }
        self.advance(now, id, out);
    }

    fn start_container(&mut self, now: SimTime, id: PodId, c: usize, out: &mut KubeletOutput) {
        let relist = self.next_relist(now);
        let Some(w) = self.workers.get_mut(&id) else {
            return;
        };
        let spec_view = Arc::clone(&w.a.spec);
        let spec = spec_view.container(c);
        let behaviour = Arc::clone(&w.a.behaviours[c]);
        if !w.a.spec.is_init(c) {
            w.has_initialized = true;
        }
        let rt = &mut w.containers[c];
        let Some(inst) = rt.current.as_mut() else {
            return;
        };
        inst.state = InstanceState::Running;
        inst.started_at = now;
        let attempt = inst.attempt;
        Self::event(
            out,
            id,
            &spec.name,
            EventType::Normal,
            "Started",
            concat_compact(&["Started container ", &spec.name]),
        );
        // PLEG notices the new container at its next relist.
        out.timers.push((relist, KubeletTimer::Relist { pod: id }));

        // The process's own end: its run time, or an OOM kill when memory use passes the limit.
        let rng = &mut w.a.rng;
        let mut exit: Option<(SimTime, i32, CompactString)> =
            behaviour.run.as_ref().map(|(d, code)| {
                let reason = if *code == 0 { "Completed" } else { "Error" };
                (now + d.sample(rng), *code, CompactString::const_new(reason))
            });
        if let Some(limit) = spec.memory_limit
            && let Some(step) = behaviour.memory.iter().find(|m| m.usage.value() > limit)
        {
            let at = now + step.after;
            if exit.as_ref().is_none_or(|(t, _, _)| at < *t) {
                exit = Some((at, 137, CompactString::const_new("OOMKilled")));
            }
        }
        if let Some((at, code, reason)) = exit {
            inst.exit_pending = Some((at, code, reason));
            out.timers.push((
                at,
                KubeletTimer::ContainerExit {
                    pod: id,
                    container: c as u16,
                    attempt,
                },
            ));
        }
        // When the application answers its probes: drawn once per container instance.
        inst.startup_after = behaviour.startup.sample(rng);
        inst.ready_after = match &behaviour.ready_after {
            Some(d) => d.sample(rng),
            None => inst.startup_after,
        };
        inst.liveness_fails_after = behaviour
            .liveness_fails_after
            .as_ref()
            .map(|d| d.sample(rng));
    }

    fn container_exit(
        &mut self,
        now: SimTime,
        id: PodId,
        c: usize,
        attempt: u32,
        out: &mut KubeletOutput,
    ) {
        let relist = self.next_relist(now);
        let Some(w) = self.workers.get_mut(&id) else {
            return;
        };
        let Some(inst) = w.containers[c].current.as_mut() else {
            return;
        };
        if inst.attempt != attempt || inst.state != InstanceState::Running || inst.stopping {
            return;
        }
        let Some((at, code, reason)) = inst.exit_pending.take() else {
            return;
        };
        inst.state = InstanceState::Exited {
            exit_code: code,
            reason,
            finished_at: at,
        };
        inst.ready = false;
        out.timers.push((relist, KubeletTimer::Relist { pod: id }));
    }

    fn stopped(
        &mut self,
        now: SimTime,
        id: PodId,
        c: usize,
        attempt: u32,
        out: &mut KubeletOutput,
    ) {
        let Some(w) = self.workers.get_mut(&id) else {
            return;
        };
        let Some(inst) = w.containers[c].current.as_mut() else {
            return;
        };
        if inst.attempt != attempt || !inst.stopping {
            return;
        }
        if let Some((_, code, reason)) = inst.exit_pending.take() {
            inst.state = InstanceState::Exited {
                exit_code: code,
                reason,
                finished_at: now,
            };
        }
        inst.ready = false;
        if w.terminating.is_some() {
            self.sync_terminating(now, id, out);
        } else {
            // A probe-triggered kill finished: SyncPod goes on to restart the container.
            w.busy = false;
            w.killed_in_sync = Some(c);
            self.sync_pod(now, id, false, out);
            if let Some(w) = self.workers.get_mut(&id) {
                w.killed_in_sync = None;
            }
        }
    }

    /// Begins or continues stopping the pod (pkg/kubelet/pod_workers.go SyncTerminatingPod,
    /// kuberuntime_container.go killContainersWithSyncResult).
    fn sync_terminating(&mut self, now: SimTime, id: PodId, out: &mut KubeletOutput) {
        let Some(w) = self.workers.get_mut(&id) else {
            return;
        };
        let Some(term) = w.terminating.as_ref() else {
            return;
        };
        let grace = term.grace_period_seconds;
        let n = w.a.spec.len();
        let n_init = w.a.spec.init_containers.len();
        // kuberuntime_termination_order.go: a sidecar stops only after every regular container
        // and every sidecar declared after it has exited, so sidecars stop in reverse order.
        let blocks_sidecar = |c: usize, j: usize| {
            j > c && (j >= n_init || w.a.spec.container(j).sidecar) && is_running(&w.containers[j])
        };
        let elapsed = now.saturating_since(term.started_at).as_secs() as i64;
        let mut to_kill = Vec::new();
        for c in 0..n {
            let spec = w.a.spec.container(c);
            let rt = &w.containers[c];
            let Some(inst) = rt.current.as_ref() else {
                continue;
            };
            if inst.state != InstanceState::Running || inst.stopping {
                continue;
            }
            if spec.sidecar {
                if (0..n).any(|j| blocks_sidecar(c, j)) {
                    continue;
                }
                // The wait came out of the sidecar's grace period.
                to_kill.push((c, grace - elapsed));
            } else {
                to_kill.push((c, grace));
            }
        }
        let first = !w.kill_started;
        w.kill_started = true;
        if first {
            // SyncTerminatingPod writes the status once before killing (pod_workers.go).
            self.publish(now, id, out);
        }
        for (c, grace) in to_kill {
            self.kill_container(now, id, c, grace, None, out);
        }
        let Some(w) = self.workers.get_mut(&id) else {
            return;
        };
        let all_stopped = w.containers.iter().all(|rt| !is_running(rt));
        if all_stopped && !w.finished {
            w.finished = true;
            w.sandbox = Sandbox::Stopped;
            self.publish(now, id, out);
            if !self.down {
                // The worker is done: the API may delete the pod, the kubelet forgets it.
                out.finished.push(id);
                self.workers.remove(&id);
            }
        }
    }

    /// An image change: computePodActions kills the running container whose spec hash changed
    /// ("Container X definition changed, will be restarted") and starts it again with the new
    /// image; the changed spec is a new back-off key, so the restart is immediate.
    fn update(&mut self, now: SimTime, id: PodId, spec: Arc<PodSpecView>, out: &mut KubeletOutput) {
        let Some(w) = self.workers.get_mut(&id) else {
            return;
        };
        if w.terminating.is_some() {
            return;
        }
        let mut to_kill = Vec::new();
        for c in 0..spec.len().min(w.a.spec.len()) {
            if spec.container(c).image == w.a.spec.container(c).image {
                continue;
            }
            let rt = &mut w.containers[c];
            rt.restart_backoff = None;
            rt.pull_backoff = None;
            if rt
                .current
                .as_ref()
                .is_some_and(|i| i.state == InstanceState::Running && !i.stopping)
            {
                to_kill.push((
                    c,
                    format!(
                        "Container {} definition changed, will be restarted",
                        spec.container(c).name
                    ),
                ));
            }
        }
        w.a.spec = spec;
        let grace = w.a.spec.termination_grace_period_seconds;
        if to_kill.is_empty() {
            self.sync(now, id, out);
            return;
        }
        w.busy = true;
        for (c, msg) in to_kill {
            self.kill_container(now, id, c, grace, Some(msg), out);
        }
    }

    /// Whether the kubelet holds nothing more for `pod` (never admitted, or finished).
    pub fn is_forgotten(&self, pod: PodId) -> bool {
        !self.workers.contains_key(&pod)
    }

    /// Stops one container: preStop within the grace period, SIGTERM, then SIGKILL at the
    /// deadline, with upstream's 2-second minimum after preStop
    /// (kuberuntime_container.go killContainer, minimumGracePeriodInSeconds).
    fn kill_container(
        &mut self,
        now: SimTime,
        id: PodId,
        c: usize,
        grace: i64,
        reason: Option<String>,
        out: &mut KubeletOutput,
    ) {
        let Some(w) = self.workers.get_mut(&id) else {
            return;
        };
        let spec_view = Arc::clone(&w.a.spec);
        let spec = spec_view.container(c);
        let behaviour = Arc::clone(&w.a.behaviours[c]);
        let rng = &mut w.a.rng;
        let Some(inst) = w.containers[c].current.as_mut() else {
            return;
        };
        inst.stopping = true;
        let attempt = inst.attempt;
        Self::event(
            out,
            id,
            &spec.name,
            EventType::Normal,
            "Killing",
            reason.map_or_else(
                || concat_compact(&["Stopping container ", &spec.name]),
                CompactString::from,
            ),
        );
        let mut remaining = grace.max(0);
        let mut sigterm_at = now;
        if let Some(hook) = &spec.pre_stop
            && remaining > 0
        {
            let hook_time = match hook {
                PreStopHook::Sleep(s) => SimDuration::from_secs(u64::try_from(*s).unwrap_or(0)),
                PreStopHook::Handler => behaviour
                    .pre_stop
                    .as_ref()
                    .map_or(SimDuration::ZERO, |d| d.sample(rng)),
            };
            let budget = SimDuration::from_secs(remaining as u64);
            let ran = hook_time.min(budget);
            sigterm_at = now + ran;
            remaining -= ran.as_secs() as i64;
        }
        let remaining = remaining.max(2);
        let kill_at = sigterm_at + SimDuration::from_secs(remaining as u64);
        let (at, code, reason) = if behaviour.sigterm_ignored {
            (kill_at, 137, CompactString::const_new("Error"))
        } else {
            let exit_at = sigterm_at + behaviour.sigterm_exit_after.sample(rng);
            if exit_at < kill_at {
                let code = behaviour.sigterm_exit_code;
                let reason = if code == 0 { "Completed" } else { "Error" };
                (exit_at, code, CompactString::const_new(reason))
            } else {
                (kill_at, 137, CompactString::const_new("Error"))
            }
        };
        // A natural exit before the stop completes wins.
        let (at, code, reason) = match inst.exit_pending.take() {
            Some((t, c0, r)) if t < at => (t, c0, r),
            _ => (at, code, reason),
        };
        inst.exit_pending = Some((at, code, reason));
        out.timers.push((
            at,
            KubeletTimer::Stopped {
                pod: id,
                container: c as u16,
                attempt,
            },
        ));
    }

    fn begin_termination(
        &mut self,
        now: SimTime,
        id: PodId,
        grace: i64,
        deadline: bool,
        out: &mut KubeletOutput,
    ) {
        let Some(w) = self.workers.get_mut(&id) else {
            return;
        };
        if w.finished {
            return;
        }
        // pod_workers.go calculateEffectiveGracePeriod: the grace may only shrink, floored at 1.
        let grace = grace.max(1);
        match &mut w.terminating {
            Some(t) => {
                t.grace_period_seconds = t.grace_period_seconds.min(grace);
                t.deadline_exceeded |= deadline;
                return;
            }
            None => {
                w.terminating = Some(Termination {
                    grace_period_seconds: grace,
                    started_at: now,
                    deadline_exceeded: deadline,
                });
            }
        }
        w.plan.clear();
        w.busy = false;
        w.token += 1;
        self.sync_terminating(now, id, out);
    }

    /// Regenerates the pod's API status and reports it if it changed.
    fn publish(&mut self, now: SimTime, id: PodId, out: &mut KubeletOutput) {
        let Some(w) = self.workers.get_mut(&id) else {
            return;
        };
        if w.removed {
            return;
        }
        let mut next = w.spare.take().unwrap_or_default();
        if Arc::get_mut(&mut next).is_none() {
            // Still shared (the API state has not taken the newer one yet).
            next = Arc::default();
        }
        // Unique here, so this never copies.
        status::generate_into(w, now, Arc::make_mut(&mut next));
        // status_manager.go SetPodStatus: only a changed status is written.
        if *next == *w.status {
            w.spare = Some(next);
            return;
        }
        w.spare = Some(std::mem::replace(&mut w.status, next));
        if !self.down {
            out.statuses.push((id, Arc::clone(&w.status)));
        }
        // prober_manager.go UpdatePodStatus: a running container whose readiness probe has not
        // run yet gets it triggered at once.
        let n_init = w.a.spec.init_containers.len();
        let trigger: Vec<usize> = w
            .probes
            .iter()
            .enumerate()
            .filter(|(_, p)| p.kind == prober::ProbeKind::Readiness && !p.stopped)
            .filter(|(_, p)| {
                let s = if p.container < n_init {
                    w.status.init_container_statuses.get(p.container)
                } else {
                    w.status.container_statuses.get(p.container - n_init)
                };
                s.is_some_and(|s| s.state.is_running() && p.is_new_container(s.restart_count))
            })
            .map(|(i, _)| i)
            .collect();
        for i in trigger {
            self.run_probe(now, id, i, false, out);
        }
    }

    /// One probe run (a ticker tick, or the readiness manual trigger when `tick` is false).
    fn run_probe(
        &mut self,
        now: SimTime,
        id: PodId,
        index: usize,
        tick: bool,
        out: &mut KubeletOutput,
    ) {
        let Some(w) = self.workers.get_mut(&id) else {
            return;
        };
        let Some(pw) = w.probes.get(index) else {
            return;
        };
        if pw.stopped || w.removed {
            return;
        }
        let c = pw.container;
        let kind = pw.kind;
        let spec_view = Arc::clone(&w.a.spec);
        let spec = spec_view.container(c);
        let n_init = w.a.spec.init_containers.len();
        let api = if c < n_init {
            w.status.init_container_statuses.get(c)
        } else {
            w.status.container_statuses.get(c - n_init)
        };
        let container_id = api
            .filter(|s| {
                !matches!(s.state, crate::cluster::ContainerState::Waiting { .. })
                    || s.last_state.is_some()
            })
            .map(|s| s.restart_count);
        let running = api.and_then(|s| match s.state {
            crate::cluster::ContainerState::Running { started_at } => {
                Some((s.restart_count, started_at))
            }
            _ => None,
        });
        let view = prober::ProbeView {
            running,
            container_id,
            started: api.and_then(|s| s.started).unwrap_or(false),
            has_startup_probe: spec.startup_probe.is_some(),
            pod_terminal: w.status.phase.is_terminal(),
            pod_deleting: w.terminating.is_some(),
            terminated_never_restart: api.is_some_and(|s| s.state.is_terminated())
                && w.a.spec.restart_policy == PodRestartPolicy::Never
                && !spec.sidecar,
        };
        let inst = w.containers[c]
            .current
            .as_ref()
            .filter(|i| i.state == InstanceState::Running && !i.stopping);
        let answer = inst.is_some_and(|i| {
            let up = now.saturating_since(i.started_at);
            match kind {
                prober::ProbeKind::Startup => up >= i.startup_after,
                prober::ProbeKind::Readiness => up >= i.ready_after,
                prober::ProbeKind::Liveness => i.liveness_fails_after.is_none_or(|d| up < d),
            }
        });
        let pw = &mut w.probes[index];
        let outcome = pw.do_probe(now, &view, answer);
        let period = pw.period();
        if outcome.failed_run {
            // prober.go: every failed run is an Unhealthy event.
            let msg = concat(&[
                kind.as_str(),
                " probe failed: ",
                &probe_failure_output(spec, kind, &w.ip),
            ]);
            Self::event(out, id, &spec.name, EventType::Warning, "Unhealthy", msg);
        }
        if tick && !outcome.stop {
            out.timers.push((
                now + period,
                KubeletTimer::ProbeTick {
                    pod: id,
                    probe: index as u16,
                },
            ));
        }
        let Some(result) = outcome.changed else {
            return;
        };
        let Some(inst) = w.containers[c].current.as_mut() else {
            return;
        };
        match (kind, result) {
            (prober::ProbeKind::Readiness, r) => {
                inst.ready = r == prober::ProbeResult::Success;
                // A probe result change triggers a pod sync (prober_manager.go).
                self.sync(now, id, out);
            }
            (prober::ProbeKind::Startup, prober::ProbeResult::Success) => {
                inst.started = true;
                self.sync(now, id, out);
            }
            (
                prober::ProbeKind::Liveness | prober::ProbeKind::Startup,
                prober::ProbeResult::Failure,
            ) => {
                if w.terminating.is_some() || inst.stopping || inst.state != InstanceState::Running
                {
                    return;
                }
                // computePodActions kills the container; ", will be restarted" when the policy
                // restarts it.
                let restarts = spec.sidecar || w.a.spec.restart_policy != PodRestartPolicy::Never;
                let what = if kind == prober::ProbeKind::Liveness {
                    "liveness"
                } else {
                    "startup"
                };
                let mut msg = format!("Container {} failed {what} probe", spec.name);
                if restarts {
                    msg.push_str(", will be restarted");
                }
                let probe = if kind == prober::ProbeKind::Liveness {
                    &spec.liveness_probe
                } else {
                    &spec.startup_probe
                };
                let grace = probe
                    .as_ref()
                    .and_then(|p| p.termination_grace_period_seconds)
                    .unwrap_or(w.a.spec.termination_grace_period_seconds);
                w.busy = true;
                self.kill_container(now, id, c, grace, Some(msg), out);
            }
            _ => {}
        }
    }
}

fn is_running(rt: &ContainerRuntime) -> bool {
    rt.current
        .as_ref()
        .is_some_and(|i| matches!(i.state, InstanceState::Running | InstanceState::Created))
}

fn drop_container_steps(plan: &mut VecDeque<Step>, c: usize) {
    plan.retain(
        |s| !matches!(s, Step::EnsureImage(x) | Step::Create(x) | Step::Start(x) if *x == c),
    );
}

fn truncate_ms(d: SimDuration) -> SimDuration {
    SimDuration::from_millis(d.as_millis())
}

/// The steps of the next sync (a subset of kuberuntime_manager.go computePodActions): create the
/// sandbox if needed; run regular init containers one by one; start sidecars; start regular
/// containers that have never run or that the restart policy restarts, honouring the
/// CrashLoopBackOff back-off.
fn compute_pod_actions(
    w: &mut Worker,
    now: SimTime,
    backoff_events: &mut Vec<(String, String)>,
    pod_done: &mut bool,
) -> VecDeque<Step> {
    let mut plan = VecDeque::new();
    match w.sandbox {
        Sandbox::Ready => {}
        // SyncPod creates the sandbox, then starts containers in the same sync.
        Sandbox::None => plan.push_back(Step::CreateSandbox),
        Sandbox::Creating | Sandbox::Stopped => return plan,
    }
    let spec = Arc::clone(&w.a.spec);
    let policy = spec.restart_policy;
    let n_init = spec.init_containers.len();
    let mut to_start = Vec::new();
    let mut init_done = true;
    for (i, c) in spec.init_containers.iter().enumerate() {
        let rt = &w.containers[i];
        match rt.current.as_ref().map(|i| &i.state) {
            None => {
                to_start.push(i);
                init_done = false;
                break;
            }
            // A sidecar lets the next init container start once it is running and its startup
            // probe, if any, has succeeded; a regular init container must finish first.
            Some(InstanceState::Running)
                if c.sidecar
                    && (c.startup_probe.is_none()
                        || rt.current.as_ref().is_some_and(|i| i.started)) => {}
            Some(InstanceState::Created | InstanceState::Running) => {
                init_done = false;
                break;
            }
            Some(InstanceState::Exited { exit_code, .. }) => {
                if c.sidecar {
                    // Sidecars restart whatever the pod's policy; once a regular container has
                    // started, a restarting sidecar no longer holds the pod back.
                    to_start.push(i);
                    if !w.has_initialized {
                        init_done = false;
                        break;
                    }
                    continue;
                }
                if *exit_code == 0 {
                    continue;
                }
                init_done = false;
                if policy != PodRestartPolicy::Never {
                    to_start.push(i);
                }
                break;
            }
        }
    }
    if init_done {
        for (j, _) in spec.containers.iter().enumerate() {
            let idx = n_init + j;
            let rt = &w.containers[idx];
            match rt.current.as_ref().map(|i| &i.state) {
                None => to_start.push(idx),
                Some(InstanceState::Exited { exit_code, .. }) => {
                    let state = restart::RuntimeState::Exited {
                        exit_code: *exit_code,
                    };
                    if restart::should_container_be_restarted(false, policy, state) {
                        to_start.push(idx);
                    }
                }
                Some(_) => {}
            }
        }
    }
    // computePodActions: when no regular container runs or will be started again, the pod is
    // done (KillPod): its sidecars are stopped and it reaches its terminal phase. The same holds
    // when a regular init container failed and the policy is Never.
    let regular_done = init_done
        && !spec.containers.is_empty()
        && (n_init..spec.len()).all(|idx| {
            matches!(
                &w.containers[idx].current,
                Some(Instance {
                    state: InstanceState::Exited { .. },
                    ..
                })
            )
        })
        && !to_start.iter().any(|&idx| idx >= n_init);
    let init_failed = policy == PodRestartPolicy::Never
        && spec.init_containers.iter().enumerate().any(|(i, c)| {
            !c.sidecar
                && matches!(&w.containers[i].current, Some(Instance { state: InstanceState::Exited { exit_code, .. }, .. }) if *exit_code != 0)
        });
    if regular_done || init_failed {
        *pod_done = true;
        return plan;
    }
    for idx in to_start {
        let rt = &mut w.containers[idx];
        // kuberuntime_manager.go doBackOff: a container that already ran is restarted only when
        // its back-off since the newest exit has passed. A container killed within this same
        // SyncPod (a probe failure) is judged on the pod status read before the kill, where its
        // newest exited instance is the previous one, if any.
        let reference = if w.killed_in_sync == Some(idx) {
            rt.previous.as_ref()
        } else {
            rt.current.as_ref()
        };
        if let Some(Instance {
            state: InstanceState::Exited { finished_at, .. },
            ..
        }) = reference
        {
            let finished_at = *finished_at;
            if Backoff::CRASH_LOOP.is_in_backoff_since(
                rt.restart_backoff.as_ref(),
                finished_at,
                now,
            ) {
                let period = rt.restart_backoff.map_or(SimDuration::ZERO, |e| e.period);
                let name = &spec.container(idx).name;
                let msg = format!(
                    "back-off {} restarting failed container={} pod={}_{}({})",
                    period, name, w.a.name, w.a.namespace, w.a.uid
                );
                rt.waiting = Some(("CrashLoopBackOff".into(), msg));
                w.sync_error = true;
                // kuberuntime_manager.go doBackOff records a Warning BackOff event.
                backoff_events.push((
                    name.to_string(),
                    format!(
                        "Back-off restarting failed container {} in pod {}_{}({})",
                        name, w.a.name, w.a.namespace, w.a.uid
                    ),
                ));
                continue;
            }
            rt.restart_backoff =
                Some(Backoff::CRASH_LOOP.next(rt.restart_backoff, finished_at, now));
        }
        plan.push_back(Step::EnsureImage(idx));
        plan.push_back(Step::Create(idx));
        plan.push_back(Step::Start(idx));
    }
    plan
}

impl Kubelet for NodeKubelet {
    fn handle(&mut self, now: SimTime, input: KubeletInput, out: &mut KubeletOutput) {
        match input {
            KubeletInput::PodAssigned(a) => self.admit(now, *a, out),
            KubeletInput::PodDeletion {
                pod,
                grace_period_seconds,
            } => {
                self.begin_termination(now, pod, grace_period_seconds, false, out);
            }
            KubeletInput::PodUpdated { pod, spec } => self.update(now, pod, spec, out),
            KubeletInput::PodRemoved { pod } => {
                if let Some(w) = self.workers.get_mut(&pod) {
                    w.removed = true;
                }
                self.begin_termination(now, pod, 0, false, out);
            }
            KubeletInput::Timer(t) => match t {
                KubeletTimer::StepDone { pod, token } => self.step_done(now, pod, token, out),
                KubeletTimer::PullDone { pull } => self.pull_done(now, pull, out),
                KubeletTimer::ContainerExit {
                    pod,
                    container,
                    attempt,
                } => self.container_exit(now, pod, usize::from(container), attempt, out),
                KubeletTimer::Relist { pod } => {
                    if self
                        .workers
                        .get(&pod)
                        .is_some_and(|w| w.terminating.is_none())
                    {
                        self.sync(now, pod, out);
                    }
                }
                KubeletTimer::ProbeTick { pod, probe } => {
                    self.run_probe(now, pod, usize::from(probe), true, out);
                }
                KubeletTimer::Stopped {
                    pod,
                    container,
                    attempt,
                } => self.stopped(now, pod, usize::from(container), attempt, out),
                KubeletTimer::Sync { pod, token } => {
                    if self.workers.get(&pod).is_some_and(|w| w.token == token) {
                        self.sync(now, pod, out);
                    }
                }
                KubeletTimer::ActiveDeadline { pod } => {
                    let Some(w) = self.workers.get(&pod) else {
                        return;
                    };
                    if w.finished || w.status.phase.is_terminal() {
                        return;
                    }
                    let grace = w.a.spec.termination_grace_period_seconds;
                    Self::event(
                        out,
                        pod,
                        "",
                        EventType::Normal,
                        "DeadlineExceeded",
                        "Pod was active on the node longer than the specified deadline",
                    );
                    self.begin_termination(now, pod, grace, true, out);
                }
            },
            KubeletInput::NodeDown => self.down = true,
            KubeletInput::NodeUp => {
                self.down = false;
                let ids: Vec<PodId> = self.workers.keys().copied().collect();
                for id in ids {
                    if let Some(w) = self.workers.get(&id) {
                        out.statuses.push((id, Arc::clone(&w.status)));
                        // A termination that completed while the node was cut off is reported now.
                        if w.finished {
                            out.finished.push(id);
                            self.workers.remove(&id);
                            continue;
                        }
                    }
                    self.sync(now, id, out);
                }
            }
            KubeletInput::RegistryReachable(r) => self.registry_reachable = r,
        }
        if self.down {
            // Cut off from the API server: nothing reaches it until the node is back.
            out.statuses.clear();
            out.events.clear();
            out.finished.clear();
        }
    }
}

/// What a failing probe reports, by handler type, as the kubelet's probers phrase it
/// (pkg/probe/http, pkg/probe/tcp, pkg/probe/exec, pkg/probe/grpc).
fn probe_failure_output(spec: &spec::ContainerSpec, kind: prober::ProbeKind, ip: &str) -> String {
    let probe = match kind {
        prober::ProbeKind::Liveness => &spec.liveness_probe,
        prober::ProbeKind::Readiness => &spec.readiness_probe,
        prober::ProbeKind::Startup => &spec.startup_probe,
    };
    match probe.as_ref().map(|p| &p.handler) {
        Some(spec::ProbeHandler::Http) => "HTTP probe failed with statuscode: 503".to_string(),
        Some(spec::ProbeHandler::Tcp { port }) => {
            format!("dial tcp {ip}:{port}: connect: connection refused")
        }
        Some(spec::ProbeHandler::Grpc { port }) => {
            format!("timeout: failed to connect service \":{port}\" within 1s")
        }
        _ => String::new(),
    }
}
