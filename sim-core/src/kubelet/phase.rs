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
    statuses.iter().find(|s| &*s.name == name)
}

/// `LastTerminationState.Terminated` of a status, if set.
fn last_terminated_exit_code(s: &ContainerStatus) -> Option<i32> {
    match &s.last_state {
        Some(ContainerState::Terminated { exit_code, .. }) => Some(*exit_code),
        _ => None,
    }
}

/// `getPhase(pod, allContainerStatuses, podIsTerminal, podHasInitialized)`.
///
/// `init_statuses` and `statuses` are the API statuses; `pod_is_terminal` is true once the pod
/// worker is terminating the pod (SyncTerminatingPod); `pod_has_initialized` is true once any
/// regular container has started in the current sandbox
/// (`kubecontainer.HasAnyActiveRegularContainerStarted`).
///
/// Upstream looks every container up by name in the concatenation of both status lists; names
/// are unique across init and regular containers, so looking init containers up in
/// `init_statuses` and regular ones in `statuses` is the same. The API's "no state set" case
/// (upstream's `default:` branches) cannot be represented by [`ContainerState`]. Static pods
/// (never given a terminal phase from `podIsTerminal`, TODO #116484) are not simulated.
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

    // Regular (non-restartable) init containers.
    for c in init_containers.iter().filter(|c| !c.restartable) {
        let Some(s) = status_of(init_statuses, c.name) else {
            pending_regular_init += 1;
            continue;
        };
        match &s.state {
            ContainerState::Running { .. } => pending_regular_init += 1,
            ContainerState::Terminated { exit_code, .. } => {
                // With ContainerRestartRules on, a non-restartable failure is also counted
                // (failedInitializationNotRestartable); the gate is off here.
                if *exit_code != 0 {
                    failed_initialization += 1;
                }
            }
            ContainerState::Waiting { .. } => match last_terminated_exit_code(s) {
                Some(exit_code) => {
                    if exit_code != 0 {
                        failed_initialization += 1;
                    }
                }
                None => pending_regular_init += 1,
            },
        }
    }

    // Counters for restartable init and regular containers.
    let mut unknown = 0;
    let mut running = 0;
    let mut waiting = 0;
    let mut stopped = 0;
    let mut succeeded = 0;

    // Sidecar (restartable) init containers.
    for c in init_containers.iter().filter(|c| c.restartable) {
        let Some(s) = status_of(init_statuses, c.name) else {
            unknown += 1;
            continue;
        };
        match &s.state {
            ContainerState::Running { .. } => {
                if s.started != Some(true) {
                    pending_restartable_init += 1;
                }
                running += 1;
            }
            // Terminated restartable init containers do not count toward the phase.
            ContainerState::Terminated { .. } => {}
            ContainerState::Waiting { .. } => {
                if last_terminated_exit_code(s).is_none() {
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
                // A crash-looping container counts as stopped, never as succeeded.
                if last_terminated_exit_code(s).is_some() {
                    stopped += 1;
                } else {
                    waiting += 1;
                }
            }
        }
    }

    // ContainerRestartRules off: an init failure is fatal only under restartPolicy Never.
    if failed_initialization > 0 && restart_policy == PodRestartPolicy::Never {
        return PodPhase::Failed;
    }
    if pending_regular_init > 0
        // A pod that has initialized does not go back to Pending while a sidecar restarts.
        || (pending_restartable_init > 0 && !pod_has_initialized)
        || waiting > 0
    {
        return PodPhase::Pending;
    }
    if running > 0 && unknown == 0 {
        return PodPhase::Running;
    }
    if running == 0 && stopped > 0 && unknown == 0 {
        // The pod is terminal, so its containers won't be restarted whatever the policy.
        if pod_is_terminal {
            return if stopped == succeeded {
                PodPhase::Succeeded
            } else {
                PodPhase::Failed
            };
        }
        return match restart_policy {
            // All containers are in the process of restarting.
            PodRestartPolicy::Always => PodPhase::Running,
            _ if stopped == succeeded => PodPhase::Succeeded,
            PodRestartPolicy::Never => PodPhase::Failed,
            // OnFailure with at least one failure: restarting.
            PodRestartPolicy::OnFailure => PodPhase::Running,
        };
    }
    PodPhase::Pending
}

/// Ports of the getPhase tables in upstream pkg/kubelet/kubelet_pods_test.go (gate
/// ContainerRestartRules off). Status helpers mirror upstream's `waitingState`,
/// `runningState`, ... constructors.
#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::SimTime;

    use PodPhase::{Failed, Pending, Running, Succeeded};
    use PodRestartPolicy::{Always, Never, OnFailure};

    fn status(name: &str, state: ContainerState) -> ContainerStatus {
        ContainerStatus {
            name: name.into(),
            image: "".into(),
            state,
            last_state: None,
            ready: false,
            started: None,
            restart_count: 0,
        }
    }

    fn terminated(exit_code: i32) -> ContainerState {
        ContainerState::Terminated {
            exit_code,
            signal: 0,
            reason: Default::default(),
            message: String::new(),
            started_at: SimTime::ZERO,
            finished_at: SimTime::ZERO,
        }
    }

    /// upstream `waitingState`: waiting, empty reason, no last termination.
    fn waiting_state(name: &str) -> ContainerStatus {
        status(name, ContainerState::waiting(""))
    }

    /// upstream `waitingStateWithLastTermination`: waiting, last terminated with exit 0.
    fn waiting_state_with_last_termination(name: &str) -> ContainerStatus {
        ContainerStatus {
            last_state: Some(terminated(0)),
            ..waiting_state(name)
        }
    }

    /// upstream `waitingStateWithNonZeroTermination`: waiting, last terminated with exit -1.
    fn waiting_state_with_non_zero_termination(name: &str) -> ContainerStatus {
        ContainerStatus {
            last_state: Some(terminated(-1)),
            ..waiting_state(name)
        }
    }

    /// upstream `runningState`: running, `started` unset.
    fn running_state(name: &str) -> ContainerStatus {
        status(
            name,
            ContainerState::Running {
                started_at: SimTime::ZERO,
            },
        )
    }

    /// upstream `startedState`: running with `started: true`.
    fn started_state(name: &str) -> ContainerStatus {
        ContainerStatus {
            started: Some(true),
            ..running_state(name)
        }
    }

    /// upstream `stoppedState`: terminated with the zero-value exit code.
    fn stopped_state(name: &str) -> ContainerStatus {
        status(name, terminated(0))
    }

    /// upstream `succeededState`: terminated with exit 0.
    fn succeeded_state(name: &str) -> ContainerStatus {
        status(name, terminated(0))
    }

    /// upstream `failedState`: terminated with exit -1.
    fn failed_state(name: &str) -> ContainerStatus {
        status(name, terminated(-1))
    }

    /// One row of an upstream table.
    struct Case {
        init_statuses: Vec<ContainerStatus>,
        statuses: Vec<ContainerStatus>,
        pod_is_terminal: bool,
        pod_has_initialized: bool,
        want: PodPhase,
        name: &'static str,
    }

    fn case(
        init_statuses: Vec<ContainerStatus>,
        statuses: Vec<ContainerStatus>,
        pod_is_terminal: bool,
        pod_has_initialized: bool,
        want: PodPhase,
        name: &'static str,
    ) -> Case {
        Case {
            init_statuses,
            statuses,
            pod_is_terminal,
            pod_has_initialized,
            want,
            name,
        }
    }

    /// Runs every case against one pod spec: `init` lists (name, restartable).
    fn run(
        policy: PodRestartPolicy,
        init: &[(&str, bool)],
        containers: &[&str],
        cases: &[Case],
    ) -> usize {
        let init: Vec<InitContainerInfo<'_>> = init
            .iter()
            .map(|&(name, restartable)| InitContainerInfo { name, restartable })
            .collect();
        for c in cases {
            let got = get_phase(
                policy,
                &init,
                &c.init_statuses,
                containers,
                &c.statuses,
                c.pod_is_terminal,
                c.pod_has_initialized,
            );
            assert_eq!(got, c.want, "[test {}]", c.name);
        }
        cases.len()
    }

    const AB: &[&str] = &["containerA", "containerB"];

    // upstream TestPodPhaseWithRestartAlways (podHasInitialized is always false there).
    #[test]
    fn pod_phase_with_restart_always() {
        let a = "containerA";
        let b = "containerB";
        let cases = [
            case(vec![], vec![], false, false, Pending, "waiting"),
            case(
                vec![],
                vec![running_state(a), running_state(b)],
                false,
                false,
                Running,
                "all running",
            ),
            case(
                vec![],
                vec![stopped_state(a), stopped_state(b)],
                false,
                false,
                Running,
                "all stopped with restart always",
            ),
            case(
                vec![],
                vec![succeeded_state(a), succeeded_state(b)],
                true,
                false,
                Succeeded,
                "all succeeded with restart always, but the pod is terminal",
            ),
            case(
                vec![],
                vec![succeeded_state(a), failed_state(b)],
                true,
                false,
                Failed,
                "all stopped with restart always, but the pod is terminal",
            ),
            case(
                vec![],
                vec![running_state(a), stopped_state(b)],
                false,
                false,
                Running,
                "mixed state #1 with restart always",
            ),
            case(
                vec![],
                vec![running_state(a)],
                false,
                false,
                Pending,
                "mixed state #2 with restart always",
            ),
            case(
                vec![],
                vec![running_state(a), waiting_state(b)],
                false,
                false,
                Pending,
                "mixed state #3 with restart always",
            ),
            case(
                vec![],
                vec![running_state(a), waiting_state_with_last_termination(b)],
                false,
                false,
                Running,
                "backoff crashloop container with restart always",
            ),
        ];
        assert_eq!(run(Always, &[], AB, &cases), 9);
    }

    // upstream TestPodPhaseWithRestartAlwaysInitContainers (podIsTerminal and
    // podHasInitialized are always false there).
    #[test]
    fn pod_phase_with_restart_always_init_containers() {
        let x = "containerX";
        let cases = [
            case(vec![], vec![], false, false, Pending, "empty, waiting"),
            case(
                vec![running_state(x)],
                vec![],
                false,
                false,
                Pending,
                "init container running",
            ),
            case(
                vec![failed_state(x)],
                vec![],
                false,
                false,
                Pending,
                "init container terminated non-zero",
            ),
            case(
                vec![waiting_state_with_last_termination(x)],
                vec![],
                false,
                false,
                Pending,
                "init container waiting, terminated zero",
            ),
            case(
                vec![waiting_state_with_non_zero_termination(x)],
                vec![],
                false,
                false,
                Pending,
                "init container waiting, terminated non-zero",
            ),
            case(
                vec![waiting_state(x)],
                vec![],
                false,
                false,
                Pending,
                "init container waiting, not terminated",
            ),
            case(
                vec![succeeded_state(x)],
                vec![running_state("containerA"), running_state("containerB")],
                false,
                false,
                Running,
                "init container succeeded",
            ),
        ];
        assert_eq!(run(Always, &[(x, false)], AB, &cases), 7);
    }

    // upstream TestPodPhaseWithRestartAlwaysRestartableInitContainers.
    #[test]
    fn pod_phase_with_restart_always_restartable_init_containers() {
        let x = "containerX";
        let a = "containerA";
        let b = "containerB";
        let cases = [
            case(vec![], vec![], false, false, Pending, "empty, waiting"),
            case(
                vec![running_state(x)],
                vec![],
                false,
                false,
                Pending,
                "restartable init container running",
            ),
            case(
                vec![stopped_state(x)],
                vec![],
                false,
                false,
                Pending,
                "restartable init container stopped",
            ),
            case(
                vec![waiting_state_with_last_termination(x)],
                vec![],
                false,
                false,
                Pending,
                "restartable init container waiting, terminated zero",
            ),
            case(
                vec![waiting_state_with_non_zero_termination(x)],
                vec![],
                false,
                false,
                Pending,
                "restartable init container waiting, terminated non-zero",
            ),
            case(
                vec![waiting_state(x)],
                vec![],
                false,
                false,
                Pending,
                "restartable init container waiting, not terminated",
            ),
            case(
                vec![started_state(x)],
                vec![running_state(a)],
                false,
                true,
                Pending,
                "restartable init container started, 1/2 regular container running",
            ),
            case(
                vec![started_state(x)],
                vec![running_state(a), running_state(b)],
                false,
                true,
                Running,
                "restartable init container started, all regular containers running",
            ),
            case(
                vec![running_state(x)],
                vec![running_state(a), running_state(b)],
                false,
                true,
                Running,
                "restartable init container running, all regular containers running",
            ),
            case(
                vec![stopped_state(x)],
                vec![running_state(a), running_state(b)],
                false,
                true,
                Running,
                "restartable init container stopped, all regular containers running",
            ),
            case(
                vec![waiting_state_with_last_termination(x)],
                vec![running_state(a), running_state(b)],
                false,
                true,
                Running,
                "backoff crashloop restartable init container, all regular containers running",
            ),
            case(
                vec![failed_state(x)],
                vec![succeeded_state(a), succeeded_state(b)],
                true,
                true,
                Succeeded,
                "all regular containers succeeded and restartable init container failed with \
                 restart always, but the pod is terminal",
            ),
            case(
                vec![succeeded_state(x)],
                vec![succeeded_state(a), succeeded_state(b)],
                true,
                true,
                Succeeded,
                "all regular containers succeeded and restartable init container succeeded with \
                 restart always, but the pod is terminal",
            ),
            case(
                vec![running_state(x)],
                vec![running_state(a), running_state(b)],
                false,
                false,
                Pending,
                "re-initializing the pod after the sandbox is recreated",
            ),
        ];
        assert_eq!(run(Always, &[(x, true)], AB, &cases), 14);
    }

    // upstream TestPodPhaseWithRestartAlwaysAndPodHasRun (podIsTerminal is always false there).
    #[test]
    fn pod_phase_with_restart_always_and_pod_has_run() {
        let x = "containerX";
        let y = "containerY";
        let a = "containerA";
        let cases = [
            case(
                vec![running_state(x), running_state(y)],
                vec![running_state(a)],
                false,
                false,
                Pending,
                "regular init containers, restartable init container and regular container are \
                 all running",
            ),
            case(
                vec![running_state(x), running_state(y)],
                vec![stopped_state(a)],
                false,
                false,
                Pending,
                "regular containers is stopped, restartable init container and regular int \
                 container are both running",
            ),
            case(
                vec![succeeded_state(x), running_state(y)],
                vec![stopped_state(a)],
                false,
                false,
                Pending,
                "re-created sandbox: regular init container is succeeded, restartable init \
                 container is running, old regular containers is stopped",
            ),
            case(
                vec![succeeded_state(x), running_state(y)],
                vec![stopped_state(a)],
                false,
                true,
                Running,
                "regular init container is succeeded, restartable init container is running, \
                 regular containers is stopped",
            ),
            case(
                vec![succeeded_state(x), running_state(y)],
                vec![running_state(a)],
                false,
                true,
                Running,
                "regular init container is succeeded, restartable init container and regular \
                 containers are both running",
            ),
        ];
        assert_eq!(run(Always, &[(x, false), (y, true)], &[a], &cases), 5);
    }

    // upstream TestPodPhaseWithRestartNever (podIsTerminal and podHasInitialized are always
    // false there).
    #[test]
    fn pod_phase_with_restart_never() {
        let a = "containerA";
        let b = "containerB";
        let cases = [
            case(vec![], vec![], false, false, Pending, "waiting"),
            case(
                vec![],
                vec![running_state(a), running_state(b)],
                false,
                false,
                Running,
                "all running with restart never",
            ),
            case(
                vec![],
                vec![succeeded_state(a), succeeded_state(b)],
                false,
                false,
                Succeeded,
                "all succeeded with restart never",
            ),
            case(
                vec![],
                vec![failed_state(a), failed_state(b)],
                false,
                false,
                Failed,
                "all failed with restart never",
            ),
            case(
                vec![],
                vec![running_state(a), succeeded_state(b)],
                false,
                false,
                Running,
                "mixed state #1 with restart never",
            ),
            case(
                vec![],
                vec![running_state(a)],
                false,
                false,
                Pending,
                "mixed state #2 with restart never",
            ),
            case(
                vec![],
                vec![running_state(a), waiting_state(b)],
                false,
                false,
                Pending,
                "mixed state #3 with restart never",
            ),
        ];
        assert_eq!(run(Never, &[], AB, &cases), 7);
    }

    // upstream TestPodPhaseWithRestartNeverInitContainers (podIsTerminal and
    // podHasInitialized are always false there).
    #[test]
    fn pod_phase_with_restart_never_init_containers() {
        let x = "containerX";
        let cases = [
            case(vec![], vec![], false, false, Pending, "empty, waiting"),
            case(
                vec![running_state(x)],
                vec![],
                false,
                false,
                Pending,
                "init container running",
            ),
            case(
                vec![failed_state(x)],
                vec![],
                false,
                false,
                Failed,
                "init container terminated non-zero",
            ),
            case(
                vec![waiting_state_with_last_termination(x)],
                vec![],
                false,
                false,
                Pending,
                "init container waiting, terminated zero",
            ),
            case(
                vec![waiting_state_with_non_zero_termination(x)],
                vec![],
                false,
                false,
                Failed,
                "init container waiting, terminated non-zero",
            ),
            case(
                vec![waiting_state(x)],
                vec![],
                false,
                false,
                Pending,
                "init container waiting, not terminated",
            ),
            case(
                vec![succeeded_state(x)],
                vec![running_state("containerA"), running_state("containerB")],
                false,
                false,
                Running,
                "init container succeeded",
            ),
        ];
        assert_eq!(run(Never, &[(x, false)], AB, &cases), 7);
    }

    // upstream TestPodPhaseWithRestartNeverRestartableInitContainers (podIsTerminal is always
    // false there).
    #[test]
    fn pod_phase_with_restart_never_restartable_init_containers() {
        let x = "containerX";
        let a = "containerA";
        let b = "containerB";
        let cases = [
            case(vec![], vec![], false, false, Pending, "empty, waiting"),
            case(
                vec![running_state(x)],
                vec![],
                false,
                false,
                Pending,
                "restartable init container running",
            ),
            case(
                vec![stopped_state(x)],
                vec![],
                false,
                false,
                Pending,
                "restartable init container stopped",
            ),
            case(
                vec![waiting_state_with_last_termination(x)],
                vec![],
                false,
                false,
                Pending,
                "restartable init container waiting, terminated zero",
            ),
            case(
                vec![waiting_state_with_non_zero_termination(x)],
                vec![],
                false,
                false,
                Pending,
                "restartable init container waiting, terminated non-zero",
            ),
            case(
                vec![waiting_state(x)],
                vec![],
                false,
                false,
                Pending,
                "restartable init container waiting, not terminated",
            ),
            case(
                vec![started_state(x)],
                vec![running_state(a)],
                false,
                true,
                Pending,
                "restartable init container started, one main container running",
            ),
            case(
                vec![started_state(x)],
                vec![succeeded_state(a), succeeded_state(b)],
                false,
                true,
                Running,
                "restartable init container started, main containers succeeded",
            ),
            case(
                vec![running_state(x)],
                vec![succeeded_state(a), succeeded_state(b)],
                false,
                true,
                Running,
                "restartable init container re-running, main containers succeeded",
            ),
            case(
                vec![succeeded_state(x)],
                vec![succeeded_state(a), succeeded_state(b)],
                false,
                true,
                Succeeded,
                "all containers succeeded",
            ),
            case(
                vec![failed_state(x)],
                vec![succeeded_state(a), succeeded_state(b)],
                false,
                true,
                Succeeded,
                "restartable init container terminated non-zero, main containers succeeded",
            ),
            case(
                vec![waiting_state_with_last_termination(x)],
                vec![succeeded_state(a), succeeded_state(b)],
                false,
                true,
                Succeeded,
                "backoff crashloop restartable init container, main containers succeeded",
            ),
            case(
                vec![waiting_state_with_non_zero_termination(x)],
                vec![succeeded_state(a), succeeded_state(b)],
                false,
                true,
                Succeeded,
                "backoff crashloop with non-zero restartable init container, main containers \
                 succeeded",
            ),
        ];
        assert_eq!(run(Never, &[(x, true)], AB, &cases), 13);
    }

    // upstream TestPodPhaseWithRestartOnFailure (podIsTerminal and podHasInitialized are always
    // false there).
    #[test]
    fn pod_phase_with_restart_on_failure() {
        let a = "containerA";
        let b = "containerB";
        let cases = [
            case(vec![], vec![], false, false, Pending, "waiting"),
            case(
                vec![],
                vec![running_state(a), running_state(b)],
                false,
                false,
                Running,
                "all running with restart onfailure",
            ),
            case(
                vec![],
                vec![succeeded_state(a), succeeded_state(b)],
                false,
                false,
                Succeeded,
                "all succeeded with restart onfailure",
            ),
            case(
                vec![],
                vec![failed_state(a), failed_state(b)],
                false,
                false,
                Running,
                // (sic: upstream's name says "never")
                "all failed with restart never",
            ),
            case(
                vec![],
                vec![running_state(a), succeeded_state(b)],
                false,
                false,
                Running,
                "mixed state #1 with restart onfailure",
            ),
            case(
                vec![],
                vec![running_state(a)],
                false,
                false,
                Pending,
                "mixed state #2 with restart onfailure",
            ),
            case(
                vec![],
                vec![running_state(a), waiting_state(b)],
                false,
                false,
                Pending,
                "mixed state #3 with restart onfailure",
            ),
            case(
                vec![],
                vec![running_state(a), waiting_state_with_last_termination(b)],
                false,
                false,
                Running,
                "backoff crashloop container with restart onfailure",
            ),
        ];
        assert_eq!(run(OnFailure, &[], AB, &cases), 8);
    }

    // upstream TestPodPhaseWithRestartOnFailureInitContainers: not present upstream (older
    // trees carry it only as a commented-out stub saying OnFailure init handling is the same
    // as Always).
    //
    // Skipped, they need the ContainerRestartRules gate ON (alpha in 1.34, off here):
    // TestPodPhaseWithContainerRestartPolicy, TestPodPhaseWithContainerRestartPolicyInitContainers,
    // TestPodPhaseWithRestartAllContainers (also RestartAllContainersOnContainerExits).
}
