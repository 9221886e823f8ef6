//! The per-container restart decision (pkg/kubelet/container/helpers.go
//! ShouldContainerBeRestarted), with the ContainerRestartRules gate off (its 1.33 default).

use super::phase::PodRestartPolicy;

/// The newest runtime state of a container, as the decision sees it.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum RuntimeState {
    /// No instance ever ran (or all were garbage-collected).
    None,
    Running,
    Exited {
        exit_code: i32,
    },
    Created,
    Unknown,
}

pub fn should_container_be_restarted(
    pod_deleting: bool,
    policy: PodRestartPolicy,
    state: RuntimeState,
) -> bool {
    if pod_deleting {
        return false;
    }
    match state {
        RuntimeState::None | RuntimeState::Created | RuntimeState::Unknown => true,
        RuntimeState::Running => false,
        RuntimeState::Exited { exit_code } => match policy {
            PodRestartPolicy::Never => false,
            PodRestartPolicy::OnFailure => exit_code != 0,
            PodRestartPolicy::Always => true,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Ported from TestShouldContainerBeRestarted (pkg/kubelet/container/helpers_test.go):
    /// containers no-history, alive, succeed, failed, unknown, created under each policy, and
    /// nothing restarts once the pod is being deleted.
    #[test]
    fn should_container_be_restarted_table() {
        let states = [
            RuntimeState::None,
            RuntimeState::Running,
            RuntimeState::Exited { exit_code: 0 },
            RuntimeState::Exited { exit_code: 1 },
            RuntimeState::Unknown,
            RuntimeState::Created,
        ];
        let expected = [
            (
                PodRestartPolicy::Never,
                [true, false, false, false, true, true],
            ),
            (
                PodRestartPolicy::OnFailure,
                [true, false, false, true, true, true],
            ),
            (
                PodRestartPolicy::Always,
                [true, false, true, true, true, true],
            ),
        ];
        for (policy, want) in expected {
            for (state, want) in states.iter().zip(want) {
                assert_eq!(
                    should_container_be_restarted(false, policy, *state),
                    want,
                    "{policy:?} {state:?}"
                );
                assert!(
                    !should_container_be_restarted(true, policy, *state),
                    "deleted pod, {policy:?} {state:?}"
                );
            }
        }
    }
}
