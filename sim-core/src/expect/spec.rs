//! The expectation format as written in a scenario's `spec.expectations` (see
//! docs/scenario-format.md §13). These types only decode; `resolve` checks their meaning.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::cluster::{ConditionStatus, ConditionType, PodPhase};
use crate::time::SimDuration;

pub use super::count::{Count, Share};

/// One expectation: when it must hold, what it is about, and (optionally) how often across
/// seeds.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ExpectationSpec {
    /// Shown in `kubesim test`'s output; a summary of the expectation by default.
    pub name: Option<String>,
    // When: exactly one, except for `timing`, which takes none.
    pub at: Option<SimDuration>,
    pub by: Option<SimDuration>,
    pub always: Option<WindowSpec>,
    pub never: Option<WindowSpec>,
    pub eventually: Option<EventuallySpec>,
    // Subject: exactly one.
    pub pod: Option<PodSpec>,
    pub pods: Option<PodsSpec>,
    pub node: Option<NodeSpec>,
    pub event: Option<EventSpec>,
    pub scheduling: Option<SchedulingSpec>,
    pub timing: Option<TimingSpec>,
    pub workload: Option<WorkloadSpec>,
    /// With `kubesim test --seeds`: the share of seeds in which the expectation must hold,
    /// e.g. `95%` (default: every seed).
    pub in_at_least: Option<Share>,
}

/// A window of the run; both ends optional (the whole run by default).
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WindowSpec {
    pub from: Option<SimDuration>,
    pub until: Option<SimDuration>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EventuallySpec {
    pub after: SimDuration,
    pub within: SimDuration,
}

/// One pod and what it must show; every field given is checked.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PodSpec {
    pub name: String,
    pub namespace: Option<String>,
    /// Whether the pod exists (false: deleted, or not created yet).
    pub exists: Option<bool>,
    pub phase: Option<PodPhase>,
    /// kubectl's STATUS column.
    pub status: Option<String>,
    /// kubectl's READY column, e.g. `1/2`.
    pub ready: Option<String>,
    /// The number in kubectl's RESTARTS column: `6`, `">=5"`, `"3..7"`.
    pub restarts: Option<Count>,
    /// `spec.nodeName` (`""`: not bound).
    pub node: Option<String>,
    /// `status.nominatedNodeName` (`""`: none), set when the pod preempted others.
    pub nominated_node: Option<String>,
    /// Pod conditions by type: `{Ready: "False", PodScheduled: "True"}`.
    #[serde(default)]
    pub conditions: BTreeMap<ConditionType, ConditionStatus>,
    /// Container statuses by container name (init containers included).
    #[serde(default)]
    pub containers: BTreeMap<String, ContainerSpec>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ContainerSpec {
    pub state: Option<StateKind>,
    /// The waiting or terminated reason (`CrashLoopBackOff`, `OOMKilled`, `Completed`).
    pub reason: Option<String>,
    pub exit_code: Option<i32>,
    pub ready: Option<bool>,
    pub restarts: Option<Count>,
    /// The previous termination (`lastState.terminated`).
    pub last_state: Option<LastStateSpec>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LastStateSpec {
    pub reason: Option<String>,
    pub exit_code: Option<i32>,
}

/// The pods matching a label selector.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PodsSpec {
    /// Labels every selected pod carries (matchLabels); empty selects every pod.
    #[serde(default)]
    pub selector: BTreeMap<String, String>,
    /// Limits the selection to one namespace (default: every namespace).
    pub namespace: Option<String>,
    /// How many pods match.
    pub count: Option<Count>,
    /// Pods per phase: `{Running: 3, Pending: 0}`.
    #[serde(default)]
    pub phases: BTreeMap<PodPhase, Count>,
    /// Pods per kubectl STATUS: `{Completed: 2}`.
    #[serde(default)]
    pub statuses: BTreeMap<String, Count>,
    /// Every selected pod has the Ready condition True (and at least one pod is selected).
    pub all_ready: Option<bool>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NodeSpec {
    pub name: String,
    /// Whether the Node object exists (false: deleted, or not created yet).
    pub exists: Option<bool>,
    /// kubectl get nodes' STATUS column (`Ready`, `Ready,SchedulingDisabled`).
    pub status: Option<String>,
    /// `spec.unschedulable` (cordoned).
    pub unschedulable: Option<bool>,
    /// Taints the node must carry, as `key[=value]:Effect`.
    #[serde(default)]
    pub taints: Vec<String>,
    /// Number of pods bound to the node and not terminal.
    pub pods: Option<Count>,
    /// Node conditions by type (kubesim models `Ready`): `{Ready: {status: Unknown}}`.
    #[serde(default)]
    pub conditions: BTreeMap<String, ConditionSpec>,
}

/// A condition's status and reason; every field given is checked.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ConditionSpec {
    pub status: Option<ConditionStatus>,
    pub reason: Option<String>,
}

/// The kinds a `workload` expectation can name.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
pub enum WorkloadKind {
    Deployment,
    ReplicaSet,
    StatefulSet,
    DaemonSet,
    Job,
    CronJob,
}

/// A workload and what kubectl shows for it. Which fields apply depends on the kind
/// (`expect::workload::FIELDS`); `resolve` rejects the others.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WorkloadSpec {
    pub kind: WorkloadKind,
    pub name: String,
    pub namespace: Option<String>,
    /// Whether the object exists (false: deleted, or not created yet).
    pub exists: Option<bool>,
    pub ready: Option<Cell>,
    pub up_to_date: Option<Cell>,
    pub available: Option<Cell>,
    pub desired: Option<Cell>,
    pub current: Option<Cell>,
    pub replicas: Option<Cell>,
    pub status: Option<Cell>,
    pub completions: Option<Cell>,
    pub active: Option<Cell>,
    pub succeeded: Option<Cell>,
    pub failed: Option<Cell>,
    pub last_schedule: Option<Cell>,
    /// `kubectl rollout status` reports the rollout finished.
    pub rollout_complete: Option<bool>,
    #[serde(default)]
    pub conditions: BTreeMap<String, ConditionSpec>,
}

impl WorkloadSpec {
    /// The value fields given, by name, in declaration order.
    pub fn given(&self) -> Vec<(&'static str, &Cell)> {
        [
            ("ready", &self.ready),
            ("upToDate", &self.up_to_date),
            ("available", &self.available),
            ("desired", &self.desired),
            ("current", &self.current),
            ("replicas", &self.replicas),
            ("status", &self.status),
            ("completions", &self.completions),
            ("active", &self.active),
            ("succeeded", &self.succeeded),
            ("failed", &self.failed),
            ("lastSchedule", &self.last_schedule),
        ]
        .into_iter()
        .filter_map(|(n, c)| c.as_ref().map(|c| (n, c)))
        .collect()
    }
}

/// An expected value as written: a number or a string, read as a count, a time or a column's
/// text depending on the field.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Cell(pub String);

impl<'de> Deserialize<'de> for Cell {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            N(u64),
            S(String),
        }
        match Raw::deserialize(d)
            .map_err(|_| serde::de::Error::custom("expected a number or a string"))?
        {
            Raw::N(n) => Ok(Cell(n.to_string())),
            Raw::S(s) => Ok(Cell(s)),
        }
    }
}

/// Kubernetes Events (as `kubectl get events` lists them), counted by occurrence.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EventSpec {
    pub reason: String,
    #[serde(rename = "type")]
    pub type_: Option<EventType>,
    /// The involved object's name (a pod's or a node's).
    pub object: Option<String>,
    pub namespace: Option<String>,
    /// Only occurrences whose message contains this text.
    pub message_contains: Option<String>,
    /// Occurrences so far (default `">=1"`: it happened).
    pub count: Option<Count>,
}

/// Where the scheduler put a pod, or why it could not.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SchedulingSpec {
    pub pod: String,
    pub namespace: Option<String>,
    /// Bound to a node carrying these labels.
    pub placed_on: Option<BTreeMap<String, String>>,
    /// Not bound, and the latest FailedScheduling message is exactly this.
    pub unschedulable: Option<String>,
}

/// Time from one moment of a pod's life to another.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TimingSpec {
    /// One pod by name, or every pod matching `selector`.
    pub pod: Option<String>,
    pub selector: Option<BTreeMap<String, String>>,
    pub namespace: Option<String>,
    /// Default `Created`.
    pub from: Option<Moment>,
    pub to: Moment,
    pub at_most: Option<SimDuration>,
    pub at_least: Option<SimDuration>,
    /// Compare this percentile of the values (over the selected pods, and over seeds with
    /// `--seeds`) instead of every value, e.g. `95`.
    pub percentile: Option<u8>,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
pub enum StateKind {
    Waiting,
    Running,
    Terminated,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
pub enum EventType {
    Normal,
    Warning,
}

/// A moment of a pod's life, as the timeline records it.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
pub enum Moment {
    /// The pod object was created.
    Created,
    /// The PodScheduled condition became True (bound to a node).
    Scheduled,
    /// The phase became Running.
    Running,
    /// The Ready condition first became True.
    Ready,
    Succeeded,
    Failed,
    /// Deletion was requested (`kubectl delete`, drain).
    DeletionRequested,
    /// The pod object was removed.
    Deleted,
}
