//! Scenario files: a versioned YAML format (`apiVersion: kubesim.io/v1alpha1`, `kind: Scenario`),
//! documented in docs/scenario-format.md. This module holds the format's types; `load` turns a
//! file into a validated `Scenario`.

pub mod load;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::api::Taint;
use crate::behaviour::BehaviourRule;
use crate::quantity::Quantity;
use crate::time::SimDuration;

pub const API_VERSION: &str = "kubesim.io/v1alpha1";
pub const KIND: &str = "Scenario";
/// Kubernetes minor versions whose behaviour kubesim emulates.
pub const SUPPORTED_VERSIONS: &[&str] = &["1.31", "1.32", "1.33", "1.34"];
pub const DEFAULT_VERSION: &str = "1.33";

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ScenarioFile {
    pub api_version: String,
    pub kind: String,
    pub metadata: ScenarioMeta,
    pub spec: ScenarioSpec,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ScenarioMeta {
    pub name: String,
    #[serde(default)]
    pub description: String,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ScenarioSpec {
    /// Root of every random stream (default 1).
    pub seed: Option<u64>,
    /// Kubernetes version whose behaviour is emulated, `"1.33"` by default.
    pub kubernetes_version: Option<String>,
    /// Wall-clock time of t = 0 (RFC 3339, UTC), used only to print timestamps.
    pub start_time: Option<String>,
    #[serde(default)]
    pub run: RunSpec,
    #[serde(default)]
    pub cluster: ClusterSpec,
    #[serde(default)]
    pub registry: RegistrySpec,
    #[serde(default)]
    pub timings: Timings,
    /// kube-scheduler's configuration and the per-attempt explanations.
    #[serde(default)]
    pub scheduler: SchedulerSpec,
    #[serde(default)]
    pub behaviours: Vec<BehaviourRule>,
    #[serde(default)]
    pub workloads: Vec<ManifestSource>,
    #[serde(default)]
    pub actions: Vec<Action>,
    /// What must happen, checked by `kubesim test` (see `crate::expect`).
    #[serde(default)]
    pub expectations: Vec<crate::expect::ExpectationSpec>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RunSpec {
    /// Stop at this simulated time (default 10m).
    pub until: Option<SimDuration>,
    /// Stop after this many events (default 10,000,000); reaching it is reported.
    pub max_events: Option<u64>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ClusterSpec {
    #[serde(default)]
    pub node_pools: Vec<NodePool>,
    /// Node manifests (inline or files).
    #[serde(default)]
    pub nodes: Vec<ManifestSource>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NodePool {
    /// Node names are `<name>-<i>`, i from 1.
    pub name: String,
    pub count: u32,
    pub capacity: BTreeMap<String, Quantity>,
    /// Defaults to `capacity`.
    pub allocatable: Option<BTreeMap<String, Quantity>>,
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
    #[serde(default)]
    pub taints: Vec<Taint>,
    /// Images already on every node of the pool.
    #[serde(default)]
    pub images: Vec<String>,
    /// Registry bandwidth of each node, bytes per second (default `50Mi`).
    pub image_pull_bandwidth: Option<Quantity>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RegistrySpec {
    #[serde(default)]
    pub images: Vec<RegistryImageSpec>,
    /// Size of images not listed (default `50Mi`).
    pub default_image_size: Option<Quantity>,
    /// When true, pulls of images not listed fail with NotFound.
    #[serde(default)]
    pub only_listed_images: bool,
    /// Time before the first byte of a pull (default 500ms).
    pub pull_latency: Option<SimDuration>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RegistryImageSpec {
    pub name: String,
    pub size: Option<Quantity>,
    /// The image does not exist: pulls fail with NotFound.
    #[serde(default)]
    pub missing: bool,
    /// Pulls fail with this error text.
    pub pull_error: Option<String>,
}

/// `spec.scheduler`.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SchedulerSpec {
    /// A `KubeSchedulerConfiguration` (kubescheduler.config.k8s.io/v1): `{file: ...}` or
    /// `{manifest: {...}}` inline.
    pub config: Option<ManifestSource>,
    /// Record every scheduling attempt's filter verdicts and scores in the timeline.
    #[serde(default)]
    pub explain: bool,
}

/// Latencies of the control plane and the node, with realistic defaults.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Timings {
    /// API server to watcher (scheduler, kubelet) delivery (default 5ms).
    pub watch_latency: Option<SimDuration>,
    /// One scheduling cycle (default 2ms).
    pub scheduling_latency: Option<SimDuration>,
    /// The Bind API call (default 5ms).
    pub binding_latency: Option<SimDuration>,
    /// RunPodSandbox including networking (default 1s).
    pub sandbox_creation: Option<SimDuration>,
    /// CreateContainer (default 100ms).
    pub container_creation: Option<SimDuration>,
    /// StartContainer (default 150ms).
    pub container_start: Option<SimDuration>,
    /// kubelet `serializeImagePulls` (default true).
    pub serialize_image_pulls: Option<bool>,
    /// Controller-manager periods and reaction latencies.
    pub controllers: Option<ControllerTimingsSpec>,
}

/// `timings.controllers`: every field defaults per the scenario's Kubernetes version.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ControllerTimingsSpec {
    /// `--node-monitor-period` (default 5s).
    pub node_monitor_period: Option<SimDuration>,
    /// `--node-monitor-grace-period` (default 40s before 1.32, 50s from 1.32).
    pub node_monitor_grace_period: Option<SimDuration>,
    /// Kubelet lease renewal / `nodeStatusUpdateFrequency` (default 10s).
    pub node_status_update_frequency: Option<SimDuration>,
    /// Taint eviction controller reaction (default 10ms).
    pub taint_eviction: Option<SimDuration>,
    /// ReplicaSet controller reaction (default 10ms).
    pub replica_set: Option<SimDuration>,
    /// Deployment controller reaction (default 10ms).
    pub deployment: Option<SimDuration>,
    /// Job controller reaction (default 10ms).
    pub job: Option<SimDuration>,
    /// StatefulSet controller reaction (default 10ms).
    pub stateful_set: Option<SimDuration>,
    /// DaemonSet controller reaction (default 10ms).
    pub daemon_set: Option<SimDuration>,
    /// CronJob controller reaction (default 10ms).
    pub cron_job: Option<SimDuration>,
    /// PodGC's gcCheckPeriod (default 20s).
    pub pod_gc_period: Option<SimDuration>,
    /// `--terminated-pod-gc-threshold` (default 12500; 0 disables).
    pub terminated_pod_gc_threshold: Option<u32>,
}

/// A manifest given inline or as a file path relative to the scenario file.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ManifestSource {
    pub file: Option<String>,
    pub manifest: Option<serde_json::Value>,
}

/// A timed action. Exactly one of the action fields is set.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Action {
    pub at: SimDuration,
    pub create: Option<ManifestSource>,
    pub apply: Option<ManifestSource>,
    pub delete: Option<DeleteAction>,
    pub scale: Option<ScaleAction>,
    pub node_failure: Option<NodeRef>,
    pub node_recovery: Option<NodeRef>,
    pub cordon: Option<NodeRef>,
    pub uncordon: Option<NodeRef>,
    pub drain: Option<DrainAction>,
    pub rollout: Option<RolloutAction>,
    pub registry_outage: Option<RegistryOutage>,
    pub registry_recovery: Option<EmptyAction>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DeleteAction {
    #[serde(default = "default_kind")]
    pub kind: String,
    pub name: String,
    pub namespace: Option<String>,
    /// kubectl `--grace-period` in seconds.
    pub grace_period: Option<i64>,
    /// kubectl `--force`.
    #[serde(default)]
    pub force: bool,
    /// kubectl `--now` (grace period 1).
    #[serde(default)]
    pub now: bool,
    /// kubectl `--cascade=background|foreground|orphan` (default background).
    pub cascade: Option<crate::controller::garbagecollector::PropagationPolicy>,
}

fn default_kind() -> String {
    "Pod".to_string()
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ScaleAction {
    pub kind: String,
    pub name: String,
    pub namespace: Option<String>,
    pub replicas: i32,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NodeRef {
    pub node: String,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DrainAction {
    pub node: String,
    /// kubectl drain `--grace-period` (seconds; default: each pod's own).
    pub grace_period: Option<i64>,
    /// kubectl drain `--force`: also delete pods that no controller manages.
    #[serde(default)]
    pub force: bool,
    /// kubectl drain `--ignore-daemonsets`: skip DaemonSet pods instead of failing.
    #[serde(default)]
    pub ignore_daemonsets: bool,
    /// kubectl drain `--timeout` (default: wait forever).
    pub timeout: Option<SimDuration>,
}

/// `kubectl rollout pause|resume|undo deployment/<name>`.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RolloutAction {
    pub deployment: String,
    pub namespace: Option<String>,
    pub action: RolloutVerb,
    /// `undo --to-revision` (default: the previous revision).
    pub to_revision: Option<i64>,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum RolloutVerb {
    Pause,
    Resume,
    Undo,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RegistryOutage {
    /// The registry comes back after this long; unset: until a `registryRecovery` action.
    pub duration: Option<SimDuration>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct EmptyAction {}
