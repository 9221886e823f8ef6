//! Pod status as the API server holds it (staging/src/k8s.io/api/core/v1/types.go: PodStatus,
//! ContainerStatus, ContainerState, PodCondition), with simulated timestamps.

use std::fmt;
use std::sync::Arc;

use compact_str::CompactString;
use serde::{Deserialize, Serialize};

use crate::time::SimTime;

#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum PodPhase {
    Pending,
    Running,
    Succeeded,
    Failed,
    Unknown,
}

impl PodPhase {
    pub fn as_str(self) -> &'static str {
        match self {
            PodPhase::Pending => "Pending",
            PodPhase::Running => "Running",
            PodPhase::Succeeded => "Succeeded",
            PodPhase::Failed => "Failed",
            PodPhase::Unknown => "Unknown",
        }
    }

    pub fn is_terminal(self) -> bool {
        matches!(self, PodPhase::Succeeded | PodPhase::Failed)
    }

    /// Whether upstream allows `self -> next`. Terminal phases are sticky
    /// (pkg/kubelet/kubelet_pods.go generateAPIPodStatus: "Pod attempted illegal phase transition").
    pub fn can_transition_to(self, next: PodPhase) -> bool {
        self == next || !self.is_terminal()
    }
}

impl fmt::Display for PodPhase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum ContainerState {
    /// Reasons are short (`ContainerCreating`, `CrashLoopBackOff`): inline, so a status
    /// generation allocates nothing for them.
    Waiting {
        reason: CompactString,
        message: String,
    },
    Running {
        started_at: SimTime,
    },
    Terminated {
        exit_code: i32,
        signal: i32,
        reason: CompactString,
        message: String,
        started_at: SimTime,
        finished_at: SimTime,
    },
}

impl ContainerState {
    pub fn waiting(reason: &str) -> Self {
        ContainerState::Waiting {
            reason: reason.into(),
            message: String::new(),
        }
    }

    pub fn is_running(&self) -> bool {
        matches!(self, ContainerState::Running { .. })
    }

    pub fn is_terminated(&self) -> bool {
        matches!(self, ContainerState::Terminated { .. })
    }

    /// Compact label used in timelines: `Waiting:ContainerCreating`, `Running`,
    /// `Terminated:Completed(0)`. Short labels are stored inline (no allocation).
    pub fn label(&self) -> CompactString {
        // Built by pushing pieces: this runs for every container at every batch that touches
        // its pod, and the formatting machinery would cost more than the rest of the diff.
        match self {
            ContainerState::Waiting { reason, .. } if reason.is_empty() => {
                CompactString::const_new("Waiting")
            }
            ContainerState::Waiting { reason, .. } => {
                let mut s = CompactString::const_new("Waiting:");
                s.push_str(reason);
                s
            }
            ContainerState::Running { .. } => CompactString::const_new("Running"),
            ContainerState::Terminated {
                exit_code, reason, ..
            } => {
                let mut s = CompactString::const_new("Terminated:");
                s.push_str(reason);
                s.push('(');
                s.push_str(crate::text::decimal(i64::from(*exit_code), &mut [0; 20]));
                s.push(')');
                s
            }
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ContainerStatus {
    /// Shared with the kubelet's container spec: generating a status copies no string.
    #[serde(serialize_with = "serialize_shared_str")]
    pub name: Arc<str>,
    #[serde(serialize_with = "serialize_shared_str")]
    pub image: Arc<str>,
    pub state: ContainerState,
    pub last_state: Option<ContainerState>,
    pub ready: bool,
    pub started: Option<bool>,
    pub restart_count: u32,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum ConditionType {
    PodScheduled,
    PodReadyToStartContainers,
    Initialized,
    ContainersReady,
    Ready,
    DisruptionTarget,
}

impl ConditionType {
    /// `Type=Status`, as timeline rows show a condition.
    pub fn with_status(self, status: ConditionStatus) -> &'static str {
        use ConditionStatus::{False, True, Unknown};
        use ConditionType::*;
        match (self, status) {
            (PodScheduled, True) => "PodScheduled=True",
            (PodScheduled, False) => "PodScheduled=False",
            (PodScheduled, Unknown) => "PodScheduled=Unknown",
            (PodReadyToStartContainers, True) => "PodReadyToStartContainers=True",
            (PodReadyToStartContainers, False) => "PodReadyToStartContainers=False",
            (PodReadyToStartContainers, Unknown) => "PodReadyToStartContainers=Unknown",
            (Initialized, True) => "Initialized=True",
            (Initialized, False) => "Initialized=False",
            (Initialized, Unknown) => "Initialized=Unknown",
            (ContainersReady, True) => "ContainersReady=True",
            (ContainersReady, False) => "ContainersReady=False",
            (ContainersReady, Unknown) => "ContainersReady=Unknown",
            (Ready, True) => "Ready=True",
            (Ready, False) => "Ready=False",
            (Ready, Unknown) => "Ready=Unknown",
            (DisruptionTarget, True) => "DisruptionTarget=True",
            (DisruptionTarget, False) => "DisruptionTarget=False",
            (DisruptionTarget, Unknown) => "DisruptionTarget=Unknown",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ConditionType::PodScheduled => "PodScheduled",
            ConditionType::PodReadyToStartContainers => "PodReadyToStartContainers",
            ConditionType::Initialized => "Initialized",
            ConditionType::ContainersReady => "ContainersReady",
            ConditionType::Ready => "Ready",
            ConditionType::DisruptionTarget => "DisruptionTarget",
        }
    }
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ConditionStatus {
    True,
    False,
    Unknown,
}

impl ConditionStatus {
    pub fn from_bool(b: bool) -> Self {
        if b {
            ConditionStatus::True
        } else {
            ConditionStatus::False
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ConditionStatus::True => "True",
            ConditionStatus::False => "False",
            ConditionStatus::Unknown => "Unknown",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PodCondition {
    #[serde(rename = "type")]
    pub type_: ConditionType,
    pub status: ConditionStatus,
    /// Short (`PodCompleted`, `ContainersNotReady`): inline, no allocation per status generation.
    pub reason: CompactString,
    pub message: String,
    pub last_transition_time: SimTime,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PodStatus {
    pub phase: PodPhase,
    pub conditions: Vec<PodCondition>,
    pub reason: String,
    pub message: String,
    pub start_time: Option<SimTime>,
    pub init_container_statuses: Vec<ContainerStatus>,
    pub container_statuses: Vec<ContainerStatus>,
    pub nominated_node_name: String,
    /// Inline: copied into every status the kubelet generates.
    pub pod_ip: CompactString,
    pub host_ip: String,
}

impl Default for PodStatus {
    fn default() -> Self {
        PodStatus {
            phase: PodPhase::Pending,
            conditions: Vec::new(),
            reason: String::new(),
            message: String::new(),
            start_time: None,
            init_container_statuses: Vec::new(),
            container_statuses: Vec::new(),
            nominated_node_name: String::new(),
            pod_ip: CompactString::default(),
            host_ip: String::new(),
        }
    }
}

impl PodStatus {
    pub fn condition(&self, t: ConditionType) -> Option<&PodCondition> {
        self.conditions.iter().find(|c| c.type_ == t)
    }

    pub fn is_condition_true(&self, t: ConditionType) -> bool {
        self.condition(t)
            .is_some_and(|c| c.status == ConditionStatus::True)
    }

    /// Sets a condition, keeping `lastTransitionTime` when the status does not change
    /// (pkg/api/v1/pod/util.go UpdatePodCondition).
    pub fn set_condition(
        &mut self,
        now: SimTime,
        type_: ConditionType,
        status: ConditionStatus,
        reason: &str,
        message: &str,
    ) {
        if let Some(c) = self.conditions.iter_mut().find(|c| c.type_ == type_) {
            if c.status != status {
                c.last_transition_time = now;
            }
            c.status = status;
            // Status regeneration sets every condition on every sync: reuse the strings when
            // nothing changed.
            if c.reason != reason {
                c.reason = reason.into();
            }
            if c.message != message {
                c.message = message.to_string();
            }
        } else {
            self.conditions.push(PodCondition {
                type_,
                status,
                reason: reason.into(),
                message: message.to_string(),
                last_transition_time: now,
            });
        }
    }
}

fn serialize_shared_str<S: serde::Serializer>(
    s: &Arc<str>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(s)
}
