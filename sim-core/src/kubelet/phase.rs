//! The pod phase from container statuses: upstream's `getPhase`
//! (pkg/kubelet/kubelet_pods.go), gate ContainerRestartRules off (its 1.33 default).

use crate::cluster::{ContainerState, ContainerStatus, PodPhase};

/// The restart policy of the pod (`spec.restartPolicy`).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum PodRestartPolicy {
    Always,
    OnFailure,
    Never,
}

/// What `get_phase` needs to know about one init container of the spec.
#[derive(Copy, Clone, Debug)]
pub struct InitContainerInfo<'a> {
    pub name: &'a str,
    /// `restartPolicy: Always` on the init container: a sidecar (KEP-753).
    pub restartable: bool,
}

fn status_of<'a>(statuses: &'a [ContainerStatus], name: &str) -> Option<&'a ContainerStatus> {
    statuses.iter().find(|s| s.name == name)
}

/// `getPhase(pod, allContainerStatuses, podIsTerminal, podHasInitialized)`.
///
/// `init_statuses` and `statuses` are the API statuses; `pod_is_terminal` is true once the pod
/// worker is terminating the pod (SyncTerminatingPod); `pod_has_initialized` is true once any
/// regular container has started in the current sandbox.
pub fn get_phase(
    restart_policy: PodRestartPolicy,
    init_containers: &[InitContainerInfo<'_>],
    init_statuses: &[ContainerStatus],
    containers: &[&str],
    statuses: &[ContainerStatus],
    pod_is_terminal: bool,
    pod_has_initialized: bool,
) -> PodPhase {
    let mut pending_restartable_init = 0;
    let mut pending_regular_init = 0;
    let mut failed_initialization = 0;
    for c in init_containers {
        let Some(s) = status_of(init_statuses, c.name) else {
            if c.restartable {
                // Counted below as unknown, like a regular container without status.
            } else {
                pending_regular_init += 1;
            }
            continue;
        };
        if c.restartable {
            continue;
        }
        match &s.state {
            ContainerState::Running { .. } => pending_regular_init += 1,
            ContainerState::Terminated { exit_code, .. } => {
                if *exit_code != 0 {
                    failed_initialization += 1;
                }
            }
            ContainerState::Waiting { .. } => match &s.last_state {
                Some(ContainerState::Terminated { exit_code, .. }) => {
                    if *exit_code != 0 {
                        failed_initialization += 1;
                    }
                }
                _ => pending_regular_init += 1,
            },
        }
    }

    let mut unknown = 0;
    let mut running = 0;
    let mut waiting = 0;
    let mut stopped = 0;
    let mut succeeded = 0;
    for c in init_containers.iter().filter(|c| c.restartable) {
        let Some(s) = status_of(init_statuses, c.name) else {
            unknown += 1;
            continue;
        };
        match &s.state {
            ContainerState::Running { .. } => {
                running += 1;
                if s.started != Some(true) {
                    pending_restartable_init += 1;
                }
            }
            ContainerState::Terminated { .. } => {}
            ContainerState::Waiting { .. } => {
                if s.last_state.is_none() {
                    pending_restartable_init += 1;
                    waiting += 1;
                }
            }
        }
    }
    for name in containers {
        let Some(s) = status_of(statuses, name) else {
            unknown += 1;
            continue;
        };
        match &s.state {
            ContainerState::Running { .. } => running += 1,
            ContainerState::Terminated { exit_code, .. } => {
                stopped += 1;
                if *exit_code == 0 {
                    succeeded += 1;
                }
            }
            ContainerState::Waiting { .. } => {
                if s.last_state.is_some() {
                    stopped += 1;
                } else {
                    waiting += 1;
                }
            }
        }
    }

    if failed_initialization > 0 && restart_policy == PodRestartPolicy::Never {
        return PodPhase::Failed;
    }
    if pending_regular_init > 0
        || (pending_restartable_init > 0 && !pod_has_initialized)
        || waiting > 0
    {
        return PodPhase::Pending;
    }
    if running > 0 && unknown == 0 {
        return PodPhase::Running;
    }
    if running == 0 && stopped > 0 && unknown == 0 {
        if pod_is_terminal {
            return if stopped == succeeded {
                PodPhase::Succeeded
            } else {
                PodPhase::Failed
            };
        }
        return match restart_policy {
            PodRestartPolicy::Always => PodPhase::Running,
            _ if stopped == succeeded => PodPhase::Succeeded,
            PodRestartPolicy::Never => PodPhase::Failed,
            PodRestartPolicy::OnFailure => PodPhase::Running,
        };
    }
    PodPhase::Pending
}
