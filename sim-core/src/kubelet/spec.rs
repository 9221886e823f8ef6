//! The parts of a Pod spec the kubelet acts on, extracted once when the pod is assigned, so the
//! state machine does not depend on the shape of the API types.

use std::sync::Arc;

use crate::api::{self, Pod};
use crate::kubelet::phase::PodRestartPolicy;

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum PullPolicy {
    Always,
    IfNotPresent,
    Never,
}

/// The probe's handler, for the failure text the kubelet reports.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ProbeHandler {
    Exec,
    Http,
    Tcp { port: String },
    Grpc { port: i32 },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProbeSpec {
    pub handler: ProbeHandler,
    pub initial_delay_seconds: i64,
    pub period_seconds: i64,
    pub success_threshold: i64,
    pub failure_threshold: i64,
    pub termination_grace_period_seconds: Option<i64>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PreStopHook {
    /// exec / httpGet / tcpSocket: its duration comes from the behaviour model.
    Handler,
    /// `sleep: {seconds: N}` (KEP-3960): sleeps N seconds.
    Sleep(i64),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContainerSpec {
    /// Shared with every `ContainerStatus` the kubelet generates for this container, so a
    /// status costs no string copy.
    pub name: Arc<str>,
    pub image: Arc<str>,
    pub pull_policy: PullPolicy,
    /// An init container with `restartPolicy: Always` (a sidecar).
    pub sidecar: bool,
    pub pre_stop: Option<PreStopHook>,
    pub readiness_probe: Option<ProbeSpec>,
    pub liveness_probe: Option<ProbeSpec>,
    pub startup_probe: Option<ProbeSpec>,
    pub memory_limit: Option<i64>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PodSpecView {
    pub restart_policy: PodRestartPolicy,
    pub termination_grace_period_seconds: i64,
    pub active_deadline_seconds: Option<i64>,
    pub init_containers: Vec<ContainerSpec>,
    pub containers: Vec<ContainerSpec>,
}

impl PodSpecView {
    /// All containers, init containers first: the kubelet's container index space.
    pub fn all(&self) -> impl Iterator<Item = &ContainerSpec> {
        self.init_containers.iter().chain(self.containers.iter())
    }

    pub fn container(&self, index: usize) -> &ContainerSpec {
        if index < self.init_containers.len() {
            &self.init_containers[index]
        } else {
            &self.containers[index - self.init_containers.len()]
        }
    }

    pub fn is_init(&self, index: usize) -> bool {
        index < self.init_containers.len()
    }

    pub fn len(&self) -> usize {
        self.init_containers.len() + self.containers.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn from_pod(pod: &Pod) -> PodSpecView {
        Self::from_spec(&pod.spec)
    }

    pub fn from_spec(spec: &api::PodSpec) -> PodSpecView {
        PodSpecView {
            restart_policy: match spec.restart_policy {
                Some(api::RestartPolicy::Never) => PodRestartPolicy::Never,
                Some(api::RestartPolicy::OnFailure) => PodRestartPolicy::OnFailure,
                _ => PodRestartPolicy::Always,
            },
            termination_grace_period_seconds: spec.termination_grace_period_seconds.unwrap_or(30),
            active_deadline_seconds: spec.active_deadline_seconds,
            init_containers: spec.init_containers.iter().map(container_spec).collect(),
            containers: spec.containers.iter().map(container_spec).collect(),
        }
    }
}

fn probe_spec(p: &api::Probe) -> ProbeSpec {
    // pkg/apis/core/v1/defaults.go SetDefaults_Probe.
    let handler = if p.http_get.is_some() {
        ProbeHandler::Http
    } else if let Some(t) = &p.tcp_socket {
        ProbeHandler::Tcp {
            port: t.port.to_string(),
        }
    } else if let Some(g) = &p.grpc {
        ProbeHandler::Grpc { port: g.port }
    } else {
        ProbeHandler::Exec
    };
    ProbeSpec {
        handler,
        initial_delay_seconds: i64::from(p.initial_delay_seconds.unwrap_or(0)),
        period_seconds: i64::from(p.period_seconds.unwrap_or(10)).max(1),
        success_threshold: i64::from(p.success_threshold.unwrap_or(1)).max(1),
        failure_threshold: i64::from(p.failure_threshold.unwrap_or(3)).max(1),
        termination_grace_period_seconds: p.termination_grace_period_seconds,
    }
}

fn container_spec(c: &api::Container) -> ContainerSpec {
    let image: Arc<str> = Arc::from(c.image.as_str());
    // Validation rejects unknown policies; the API server's defaulting from the tag covers an
    // unset one.
    let policy = match &c.image_pull_policy {
        Some(p) if p.is_known() => p.clone(),
        _ => api::defaults::pull_policy_for_image(&image),
    };
    let pull_policy = match policy {
        api::PullPolicy::Always => PullPolicy::Always,
        api::PullPolicy::Never => PullPolicy::Never,
        _ => PullPolicy::IfNotPresent,
    };
    let pre_stop = c
        .lifecycle
        .as_ref()
        .and_then(|l| l.pre_stop.as_ref())
        .map(|h| match &h.sleep {
            Some(s) => PreStopHook::Sleep(s.seconds),
            None => PreStopHook::Handler,
        });
    ContainerSpec {
        name: Arc::from(c.name.as_str()),
        image,
        pull_policy,
        sidecar: c.is_sidecar(),
        pre_stop,
        readiness_probe: c.readiness_probe.as_ref().map(probe_spec),
        liveness_probe: c.liveness_probe.as_ref().map(probe_spec),
        startup_probe: c.startup_probe.as_ref().map(probe_spec),
        memory_limit: c.resources.limits.get("memory").map(|q| q.value()),
    }
}
