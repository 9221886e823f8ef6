//! `kubectl get pods`: the READY, STATUS and RESTARTS columns exactly as upstream's printPod
//! (pkg/printers/internalversion/printers.go) computes them.

use std::borrow::Cow;

use crate::api::PodSpec;
use crate::cluster::{
    Cluster, ConditionStatus, ConditionType, ContainerState, PodRecord, PodStatus,
};
use crate::time::{SimTime, human_duration};

use super::table;

/// The columns of one pod row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PodColumns {
    pub ready: String,
    pub status: String,
    pub restarts: String,
}

/// What printPod needs besides the status: the spec's container lists and the deletion state.
pub struct PodPrintInput<'a> {
    pub spec: &'a PodSpec,
    pub status: &'a PodStatus,
    pub deleting: bool,
}

/// printPod looks init container statuses up by name in a map built from the spec, so with
/// duplicate names the last spec entry wins; a status naming no init container is not a sidecar.
fn is_restartable_init(spec: &PodSpec, name: &str) -> bool {
    spec.init_containers
        .iter()
        .rev()
        .find(|c| c.name == name)
        .is_some_and(|c| c.is_sidecar())
}

/// printPod's READY / STATUS / RESTARTS before they are formatted; the STATUS text borrows from
/// the pod's status where it can.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PodSummary<'a> {
    pub ready: usize,
    pub total: usize,
    pub reason: Cow<'a, str>,
    pub restarts: u32,
    pub last_restart: Option<SimTime>,
}

impl PodSummary<'_> {
    /// The READY column: `1/2`.
    pub fn ready_column(&self) -> String {
        format!("{}/{}", self.ready, self.total)
    }
}

/// printPod's READY / STATUS / RESTARTS. `now` renders "(3m50s ago)".
pub fn pod_columns(input: &PodPrintInput<'_>, now: SimTime) -> PodColumns {
    let summary = pod_summary(input);
    let restarts = match summary.last_restart {
        Some(t) if summary.restarts != 0 => {
            let ago = i128::from(now.as_nanos()) - i128::from(t.as_nanos());
            format!("{} ({} ago)", summary.restarts, human_duration(ago))
        }
        _ => summary.restarts.to_string(),
    };
    PodColumns {
        ready: summary.ready_column(),
        status: summary.reason.into_owned(),
        restarts,
    }
}

/// The counts and STATUS text of printPod.
pub fn pod_summary<'a>(input: &PodPrintInput<'a>) -> PodSummary<'a> {
    let spec = input.spec;
    let status = input.status;
    let mut restarts: u32 = 0;
    let mut restartable_init_restarts: u32 = 0;
    let mut total = spec.containers.len();
    let mut ready = 0;
    let mut last_restart: Option<SimTime> = None;
    let mut last_restartable_init_restart: Option<SimTime> = None;

    let mut reason: Cow<'a, str> = if status.reason.is_empty() {
        Cow::Borrowed(status.phase.as_str())
    } else {
        Cow::Borrowed(&status.reason)
    };
    // Upstream scans every condition, not just the first PodScheduled one.
    if status
        .conditions
        .iter()
        .any(|c| c.type_ == ConditionType::PodScheduled && c.reason == "SchedulingGated")
    {
        reason = "SchedulingGated".into();
    }
    total += spec
        .init_containers
        .iter()
        .filter(|c| c.is_sidecar())
        .count();

    let finished = |s: &Option<ContainerState>| match s {
        Some(ContainerState::Terminated { finished_at, .. }) => Some(*finished_at),
        _ => None,
    };
    let newer = |a: Option<SimTime>, b: Option<SimTime>| match (a, b) {
        (Some(x), Some(y)) => Some(x.max(y)),
        (x, y) => x.or(y),
    };

    let mut initializing = false;
    for (i, c) in status.init_container_statuses.iter().enumerate() {
        restarts += c.restart_count;
        last_restart = newer(last_restart, finished(&c.last_state));
        let restartable = is_restartable_init(spec, &c.name);
        if restartable {
            restartable_init_restarts += c.restart_count;
            last_restartable_init_restart =
                newer(last_restartable_init_restart, finished(&c.last_state));
        }
        match &c.state {
            ContainerState::Terminated { exit_code: 0, .. } => continue,
            _ if restartable && c.started == Some(true) => {
                if c.ready {
                    ready += 1;
                }
                continue;
            }
            ContainerState::Terminated {
                exit_code,
                signal,
                reason: r,
                ..
            } => {
                reason = Cow::Owned(if !r.is_empty() {
                    format!("Init:{r}")
                } else if *signal != 0 {
                    format!("Init:Signal:{signal}")
                } else {
                    format!("Init:ExitCode:{exit_code}")
                });
            }
            ContainerState::Waiting { reason: r, .. }
                if !r.is_empty() && r != "PodInitializing" =>
            {
                reason = Cow::Owned(format!("Init:{r}"));
            }
            _ => reason = Cow::Owned(format!("Init:{}/{}", i, spec.init_containers.len())),
        }
        initializing = true;
        break;
    }

    if !initializing || status.is_condition_true(ConditionType::Initialized) {
        restarts = restartable_init_restarts;
        last_restart = last_restartable_init_restart;
        let mut has_running = false;
        for c in status.container_statuses.iter().rev() {
            restarts += c.restart_count;
            last_restart = newer(last_restart, finished(&c.last_state));
            match &c.state {
                ContainerState::Waiting { reason: r, .. } if !r.is_empty() => {
                    reason = Cow::Borrowed(r);
                }
                ContainerState::Terminated { reason: r, .. } if !r.is_empty() => {
                    reason = Cow::Borrowed(r);
                }
                ContainerState::Terminated {
                    exit_code, signal, ..
                } => {
                    reason = Cow::Owned(if *signal != 0 {
                        format!("Signal:{signal}")
                    } else {
                        format!("ExitCode:{exit_code}")
                    });
                }
                ContainerState::Running { .. } if c.ready => {
                    has_running = true;
                    ready += 1;
                }
                _ => {}
            }
        }
        if reason == "Completed" && has_running {
            // hasPodReadyCondition: any Ready condition that is True.
            let pod_ready = status
                .conditions
                .iter()
                .any(|c| c.type_ == ConditionType::Ready && c.status == ConditionStatus::True);
            reason = if pod_ready {
                "Running".into()
            } else {
                "NotReady".into()
            };
        }
    }

    if input.deleting && status.reason == "NodeLost" {
        reason = "Unknown".into();
    } else if input.deleting && !status.phase.is_terminal() {
        reason = "Terminating".into();
    }

    PodSummary {
        ready,
        total,
        reason,
        restarts,
        last_restart,
    }
}

pub fn record_columns(p: &PodRecord, now: SimTime) -> PodColumns {
    pod_columns(&record_print_input(p), now)
}

/// printPod's view of a pod record.
pub fn record_print_input(p: &PodRecord) -> PodPrintInput<'_> {
    PodPrintInput {
        spec: &p.pod.spec,
        status: &p.status,
        deleting: p.deletion.is_some(),
    }
}

pub(crate) fn age(created: SimTime, now: SimTime) -> String {
    human_duration(i128::from(now.as_nanos()) - i128::from(created.as_nanos()))
}

pub fn or_none(s: &str) -> String {
    if s.is_empty() {
        "<none>".to_string()
    } else {
        s.to_string()
    }
}

/// `kubectl get pods [-A] [-o wide]` at `now`.
pub fn get_pods(cluster: &Cluster, now: SimTime, namespace: Option<&str>, wide: bool) -> String {
    let all_namespaces = namespace.is_none();
    let mut pods: Vec<&PodRecord> = cluster
        .pods()
        .filter(|p| namespace.is_none_or(|ns| p.namespace() == ns))
        .collect();
    // kubectl sorts by namespace and name (the API lists in key order).
    pods.sort_by(|a, b| (a.namespace(), a.name()).cmp(&(b.namespace(), b.name())));
    if pods.is_empty() {
        return match namespace {
            Some(ns) => format!("No resources found in {ns} namespace.\n"),
            None => "No resources found\n".to_string(),
        };
    }
    let mut headers = Vec::new();
    if all_namespaces {
        headers.push("NAMESPACE");
    }
    headers.extend(["NAME", "READY", "STATUS", "RESTARTS", "AGE"]);
    if wide {
        headers.extend(["IP", "NODE", "NOMINATED NODE", "READINESS GATES"]);
    }
    let rows: Vec<Vec<String>> = pods
        .iter()
        .map(|p| {
            let c = record_columns(p, now);
            let mut row = Vec::new();
            if all_namespaces {
                row.push(p.namespace().to_string());
            }
            row.extend([
                p.name().to_string(),
                c.ready,
                c.status,
                c.restarts,
                age(p.created_at, now),
            ]);
            if wide {
                let node = p
                    .node
                    .map(|n| cluster.node(n).name.clone())
                    .unwrap_or_default();
                let gates = &p.pod.spec.readiness_gates;
                let gates = if gates.is_empty() {
                    "<none>".to_string()
                } else {
                    let ok = gates
                        .iter()
                        .filter(|g| {
                            p.status.conditions.iter().any(|c| {
                                c.type_.as_str() == g.condition_type
                                    && c.status == ConditionStatus::True
                            })
                        })
                        .count();
                    format!("{ok}/{}", gates.len())
                };
                row.extend([
                    or_none(&p.status.pod_ip),
                    or_none(&node),
                    or_none(&p.status.nominated_node_name),
                    gates,
                ]);
            }
            row
        })
        .collect();
    table::render(&headers, &rows)
}

/// Ports of upstream's printPod tables (pkg/printers/internalversion/printers_test.go). Upstream
/// compares whole rows; these compare READY, STATUS and RESTARTS. Upstream's arbitrary phase
/// "podPhase" cannot be a `PodPhase` here, so those cases use the non-terminal `Pending` (the only
/// property printPod reads besides the text) and expect "Pending" where upstream prints "podPhase".
/// Upstream's all-nil `ContainerState{}` is `Waiting` with an empty reason, which printPod treats
/// identically. Times like `time.Now().Add(-10 * time.Second)` become offsets before `NOW`.
#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::{Container, ContainerRestartPolicy};
    use crate::cluster::{ContainerStatus, PodCondition, PodPhase};
    use crate::time::SimDuration;

    const NOW: SimTime = SimTime::from_nanos(365 * 24 * 3600 * 1_000_000_000);

    fn ago(d: SimDuration) -> SimTime {
        SimTime::from_nanos(NOW.as_nanos() - d.as_nanos())
    }

    fn secs(s: u64) -> SimDuration {
        SimDuration::from_secs(s)
    }

    fn days(d: u64) -> SimDuration {
        SimDuration::from_hours(24 * d)
    }

    /// `make([]api.Container, n)`: unnamed, not sidecars.
    fn containers(n: usize) -> Vec<Container> {
        vec![Container::default(); n]
    }

    fn named(name: &str, sidecar: bool) -> Container {
        Container {
            name: name.into(),
            restart_policy: sidecar.then_some(ContainerRestartPolicy::Always),
            ..Container::default()
        }
    }

    fn spec(init: Vec<Container>, regular: Vec<Container>) -> PodSpec {
        PodSpec {
            init_containers: init,
            containers: regular,
            ..PodSpec::default()
        }
    }

    /// `api.ContainerState{}`.
    fn empty() -> ContainerState {
        ContainerState::waiting("")
    }

    fn waiting(reason: &str) -> ContainerState {
        ContainerState::waiting(reason)
    }

    fn running() -> ContainerState {
        ContainerState::Running {
            started_at: SimTime::ZERO,
        }
    }

    fn terminated(reason: &str, exit_code: i32, signal: i32) -> ContainerState {
        ContainerState::Terminated {
            exit_code,
            signal,
            reason: reason.into(),
            message: String::new(),
            started_at: SimTime::ZERO,
            finished_at: SimTime::ZERO,
        }
    }

    /// `LastTerminationState: {Terminated: {FinishedAt: at}}`.
    fn finished(at: SimTime) -> Option<ContainerState> {
        Some(ContainerState::Terminated {
            exit_code: 0,
            signal: 0,
            reason: Default::default(),
            message: String::new(),
            started_at: SimTime::ZERO,
            finished_at: at,
        })
    }

    fn cs(ready: bool, restart_count: u32, state: ContainerState) -> ContainerStatus {
        ContainerStatus {
            name: "".into(),
            image: "".into(),
            state,
            last_state: None,
            ready,
            started: None,
            restart_count,
        }
    }

    fn with_last(mut c: ContainerStatus, at: SimTime) -> ContainerStatus {
        c.last_state = finished(at);
        c
    }

    fn with_name(mut c: ContainerStatus, name: &str) -> ContainerStatus {
        c.name = name.into();
        c
    }

    fn with_started(mut c: ContainerStatus, started: bool) -> ContainerStatus {
        c.started = Some(started);
        c
    }

    fn cond(type_: ConditionType, status: ConditionStatus, reason: &str) -> PodCondition {
        PodCondition {
            type_,
            status,
            reason: reason.into(),
            message: String::new(),
            last_transition_time: SimTime::ZERO,
        }
    }

    fn status(phase: PodPhase) -> PodStatus {
        PodStatus {
            phase,
            ..PodStatus::default()
        }
    }

    struct Case {
        spec: PodSpec,
        status: PodStatus,
        deleting: bool,
        expect: [&'static str; 3],
    }

    fn case(spec: PodSpec, status: PodStatus, expect: [&'static str; 3]) -> Case {
        Case {
            spec,
            status,
            deleting: false,
            expect,
        }
    }

    fn deleted(mut c: Case) -> Case {
        c.deleting = true;
        c
    }

    fn check(test: &str, cases: &[Case]) {
        for (i, c) in cases.iter().enumerate() {
            let got = pod_columns(
                &PodPrintInput {
                    spec: &c.spec,
                    status: &c.status,
                    deleting: c.deleting,
                },
                NOW,
            );
            let [ready, status, restarts] = c.expect;
            assert_eq!(
                (
                    got.ready.as_str(),
                    got.status.as_str(),
                    got.restarts.as_str()
                ),
                (ready, status, restarts),
                "{test} case {i}"
            );
        }
    }

    /// Statuses shared by several upstream tables: one ready running container and one with an
    /// empty state, 3 restarts each.
    fn running_and_empty(phase: PodPhase) -> PodStatus {
        PodStatus {
            container_statuses: vec![cs(true, 3, running()), cs(false, 3, empty())],
            ..status(phase)
        }
    }

    #[test]
    fn upstream_test_print_pod() {
        let one_init = || spec(containers(1), containers(1));
        let two_init = || spec(containers(2), containers(1));
        check(
            "TestPrintPod",
            &[
                // test1: name, num of containers, restarts, container ready status
                case(
                    spec(vec![], containers(2)),
                    running_and_empty(PodPhase::Pending),
                    ["1/2", "Pending", "6"],
                ),
                // test2: container error overwrites pod phase
                case(
                    spec(vec![], containers(2)),
                    PodStatus {
                        container_statuses: vec![
                            cs(true, 3, running()),
                            cs(false, 3, waiting("ContainerWaitingReason")),
                        ],
                        ..status(PodPhase::Pending)
                    },
                    ["1/2", "ContainerWaitingReason", "6"],
                ),
                // test3: Terminated state; the first container overwrites the rest
                case(
                    spec(vec![], containers(2)),
                    PodStatus {
                        container_statuses: vec![
                            cs(false, 3, waiting("ContainerWaitingReason")),
                            cs(false, 3, terminated("ContainerTerminatedReason", 0, 0)),
                        ],
                        ..status(PodPhase::Pending)
                    },
                    ["0/2", "ContainerWaitingReason", "6"],
                ),
                // test4: ready is not enough for reporting running
                case(
                    spec(vec![], containers(2)),
                    PodStatus {
                        container_statuses: vec![cs(true, 3, running()), cs(true, 3, empty())],
                        ..status(PodPhase::Pending)
                    },
                    ["1/2", "Pending", "6"],
                ),
                // test5: ready is not enough for reporting running; pod reason wins over phase
                case(
                    spec(vec![], containers(2)),
                    PodStatus {
                        reason: "podReason".into(),
                        container_statuses: vec![cs(true, 3, running()), cs(true, 3, empty())],
                        ..status(PodPhase::Pending)
                    },
                    ["1/2", "podReason", "6"],
                ),
                // test6: one running, one completed, w/o ready condition
                case(
                    spec(vec![], containers(2)),
                    PodStatus {
                        container_statuses: vec![
                            cs(true, 3, terminated("Completed", 0, 0)),
                            cs(true, 3, running()),
                        ],
                        ..status(PodPhase::Running)
                    },
                    ["1/2", "NotReady", "6"],
                ),
                // test6 (second): one running, one completed, with ready condition
                case(
                    spec(vec![], containers(2)),
                    PodStatus {
                        container_statuses: vec![
                            cs(true, 3, terminated("Completed", 0, 0)),
                            cs(true, 3, running()),
                        ],
                        conditions: vec![cond(ConditionType::Ready, ConditionStatus::True, "")],
                        ..status(PodPhase::Running)
                    },
                    ["1/2", "Running", "6"],
                ),
                // test7: 1 init container restarting and 1 container not running
                case(
                    one_init(),
                    PodStatus {
                        init_container_statuses: vec![with_last(
                            cs(false, 3, running()),
                            ago(secs(10)),
                        )],
                        container_statuses: vec![cs(false, 0, empty())],
                        ..status(PodPhase::Pending)
                    },
                    ["0/1", "Init:0/1", "3 (10s ago)"],
                ),
                // test8: 2 init containers, one restarting and the other not running
                case(
                    two_init(),
                    PodStatus {
                        init_container_statuses: vec![
                            with_last(cs(false, 3, running()), ago(secs(10))),
                            cs(false, 0, empty()),
                        ],
                        container_statuses: vec![cs(false, 0, empty())],
                        ..status(PodPhase::Pending)
                    },
                    ["0/1", "Init:0/2", "3 (10s ago)"],
                ),
                // test9: 2 init containers, one completed without restarts, the other restarting
                case(
                    two_init(),
                    PodStatus {
                        init_container_statuses: vec![
                            cs(false, 0, terminated("", 0, 0)),
                            with_last(cs(false, 3, running()), ago(secs(10))),
                        ],
                        container_statuses: vec![cs(false, 0, empty())],
                        ..status(PodPhase::Pending)
                    },
                    ["0/1", "Init:1/2", "3 (10s ago)"],
                ),
                // test10: 2 init containers, one completed with restarts, the other restarting
                case(
                    two_init(),
                    PodStatus {
                        init_container_statuses: vec![
                            with_last(cs(false, 2, terminated("", 0, 0)), ago(secs(120))),
                            with_last(cs(false, 3, running()), ago(secs(10))),
                        ],
                        container_statuses: vec![cs(false, 0, empty())],
                        ..status(PodPhase::Pending)
                    },
                    ["0/1", "Init:1/2", "5 (10s ago)"],
                ),
                // test11: 1 init container completed with restarts, one container restarting
                case(
                    one_init(),
                    PodStatus {
                        init_container_statuses: vec![with_last(
                            cs(false, 2, terminated("", 0, 0)),
                            ago(secs(120)),
                        )],
                        container_statuses: vec![with_last(cs(false, 4, running()), ago(secs(20)))],
                        ..status(PodPhase::Running)
                    },
                    ["0/1", "Running", "4 (20s ago)"],
                ),
                // test12: 1 container that restarted 5d ago
                case(
                    spec(vec![], containers(1)),
                    PodStatus {
                        container_statuses: vec![with_last(cs(true, 3, running()), ago(days(5)))],
                        ..status(PodPhase::Running)
                    },
                    ["1/1", "Running", "3 (5d ago)"],
                ),
                // test13: one never restarted, the other restarted 10d ago
                case(
                    spec(vec![], containers(2)),
                    PodStatus {
                        container_statuses: vec![
                            cs(true, 0, running()),
                            with_last(cs(true, 3, running()), ago(days(10))),
                        ],
                        ..status(PodPhase::Running)
                    },
                    ["2/2", "Running", "3 (10d ago)"],
                ),
                // test14: one restarted 5d ago, the other 20d ago
                case(
                    spec(vec![], containers(2)),
                    PodStatus {
                        container_statuses: vec![
                            with_last(cs(true, 6, running()), ago(days(5))),
                            with_last(cs(true, 3, running()), ago(days(20))),
                        ],
                        ..status(PodPhase::Running)
                    },
                    ["2/2", "Running", "9 (5d ago)"],
                ),
                // test15: PodScheduled condition with reason SchedulingGated
                case(
                    spec(vec![], containers(2)),
                    PodStatus {
                        conditions: vec![cond(
                            ConditionType::PodScheduled,
                            ConditionStatus::False,
                            "SchedulingGated",
                        )],
                        ..status(PodPhase::Pending)
                    },
                    ["0/2", "SchedulingGated", "0"],
                ),
                // test16: pod condition succeed
                case(
                    spec(vec![], containers(1)),
                    PodStatus {
                        container_statuses: vec![cs(false, 0, terminated("Completed", 0, 0))],
                        ..status(PodPhase::Succeeded)
                    },
                    ["0/1", "Completed", "0"],
                ),
                // test17: pod condition failed
                case(
                    spec(vec![], containers(1)),
                    PodStatus {
                        container_statuses: vec![cs(false, 0, terminated("Error", 1, 0))],
                        ..status(PodPhase::Failed)
                    },
                    ["0/1", "Error", "0"],
                ),
                // test18: pod condition succeed with deletion
                deleted(case(
                    spec(vec![], containers(1)),
                    PodStatus {
                        container_statuses: vec![cs(false, 0, terminated("Completed", 0, 0))],
                        ..status(PodPhase::Succeeded)
                    },
                    ["0/1", "Completed", "0"],
                )),
                // test19: pod condition running with deletion
                deleted(case(
                    spec(vec![], containers(1)),
                    PodStatus {
                        container_statuses: vec![cs(false, 0, running())],
                        ..status(PodPhase::Running)
                    },
                    ["0/1", "Terminating", "0"],
                )),
                // test20: pod condition pending with deletion
                deleted(case(
                    spec(vec![], containers(1)),
                    status(PodPhase::Pending),
                    ["0/1", "Terminating", "0"],
                )),
            ],
        );
    }

    #[test]
    fn upstream_test_print_pod_with_restartable_init_container() {
        let sidecars = || {
            spec(
                vec![
                    named("restartable-init-1", true),
                    named("restartable-init-2", true),
                ],
                containers(1),
            )
        };
        let init1 = |state: ContainerState, started: bool| {
            with_started(
                with_last(
                    with_name(cs(false, 3, state), "restartable-init-1"),
                    ago(secs(10)),
                ),
                started,
            )
        };
        let init2 = |state: ContainerState, started: bool| {
            with_started(
                with_name(cs(false, 0, state), "restartable-init-2"),
                started,
            )
        };
        let initialized = |s: ConditionStatus| vec![cond(ConditionType::Initialized, s, "")];
        check(
            "TestPrintPodWithRestartableInitContainer",
            &[
                // 2 restartable init containers, the first one running but not started
                case(
                    sidecars(),
                    PodStatus {
                        init_container_statuses: vec![
                            init1(running(), false),
                            init2(empty(), false),
                        ],
                        container_statuses: vec![cs(false, 0, empty())],
                        conditions: initialized(ConditionStatus::False),
                        ..status(PodPhase::Pending)
                    },
                    ["0/3", "Init:0/2", "3 (10s ago)"],
                ),
                // the first one started and the second one running but not started
                case(
                    sidecars(),
                    PodStatus {
                        init_container_statuses: vec![
                            init1(running(), true),
                            init2(running(), false),
                        ],
                        container_statuses: vec![cs(false, 0, empty())],
                        conditions: initialized(ConditionStatus::False),
                        ..status(PodPhase::Pending)
                    },
                    ["0/3", "Init:1/2", "3 (10s ago)"],
                ),
                // 2 restartable init containers started and 1 container running
                case(
                    sidecars(),
                    PodStatus {
                        init_container_statuses: vec![
                            init1(running(), true),
                            init2(running(), true),
                        ],
                        container_statuses: vec![with_last(cs(true, 4, running()), ago(secs(20)))],
                        conditions: initialized(ConditionStatus::True),
                        ..status(PodPhase::Running)
                    },
                    ["1/3", "Running", "7 (10s ago)"],
                ),
                // 2 restartable init containers completed with non-zero and 1 container completed
                case(
                    sidecars(),
                    PodStatus {
                        init_container_statuses: vec![
                            init1(terminated("Error", 137, 0), false),
                            init2(terminated("Error", 137, 0), false),
                        ],
                        container_statuses: vec![with_last(
                            cs(false, 4, terminated("Completed", 0, 0)),
                            ago(secs(20)),
                        )],
                        conditions: initialized(ConditionStatus::True),
                        ..status(PodPhase::Succeeded)
                    },
                    ["0/3", "Completed", "7 (10s ago)"],
                ),
                // container statuses for non-existent initContainers and containers
                case(
                    spec(
                        vec![named("init1", false), named("sidecar1", true)],
                        vec![named("container1", false)],
                    ),
                    PodStatus {
                        init_container_statuses: vec![
                            with_name(cs(false, 0, empty()), "initinvalid"),
                            with_name(cs(false, 0, empty()), "init1"),
                            with_name(cs(false, 0, empty()), "sidecar1"),
                        ],
                        container_statuses: vec![
                            with_name(cs(false, 0, empty()), "containerinvalid"),
                            with_name(cs(false, 0, empty()), "container1"),
                        ],
                        ..status(PodPhase::Running)
                    },
                    ["0/2", "Init:0/2", "0"],
                ),
            ],
        );
    }

    /// The wide columns (IP, NODE, NOMINATED NODE, READINESS GATES) come from `get_pods`, not
    /// `pod_columns`; only READY/STATUS/RESTARTS are ported.
    #[test]
    fn upstream_test_print_podwide() {
        check(
            "TestPrintPodwide",
            &[
                case(
                    spec(vec![], containers(2)),
                    running_and_empty(PodPhase::Pending),
                    ["1/2", "Pending", "6"],
                ),
                case(
                    spec(vec![], containers(2)),
                    running_and_empty(PodPhase::Pending),
                    ["1/2", "Pending", "6"],
                ),
                case(
                    spec(vec![], containers(2)),
                    PodStatus {
                        container_statuses: vec![
                            cs(true, 3, running()),
                            cs(false, 3, waiting("ContainerWaitingReason")),
                        ],
                        ..status(PodPhase::Pending)
                    },
                    ["1/2", "ContainerWaitingReason", "6"],
                ),
            ],
        );
    }

    #[test]
    fn upstream_test_print_pod_conditions() {
        check(
            "TestPrintPodConditions",
            &[
                case(
                    spec(vec![], containers(2)),
                    running_and_empty(PodPhase::Running),
                    ["1/2", "Running", "6"],
                ),
                case(
                    spec(vec![], containers(2)),
                    running_and_empty(PodPhase::Succeeded),
                    ["1/2", "Succeeded", "6"],
                ),
                case(
                    spec(vec![], containers(2)),
                    running_and_empty(PodPhase::Failed),
                    ["1/2", "Failed", "6"],
                ),
            ],
        );
    }

    #[test]
    fn upstream_test_print_pod_list() {
        check(
            "TestPrintPodList",
            &[
                case(
                    spec(vec![], containers(2)),
                    PodStatus {
                        container_statuses: vec![cs(true, 3, running()), cs(true, 3, running())],
                        ..status(PodPhase::Pending)
                    },
                    ["2/2", "Pending", "6"],
                ),
                case(
                    spec(vec![], containers(1)),
                    PodStatus {
                        container_statuses: vec![cs(true, 1, running())],
                        ..status(PodPhase::Pending)
                    },
                    ["1/1", "Pending", "1"],
                ),
            ],
        );
    }

    #[test]
    fn upstream_test_print_non_terminated_pod() {
        check(
            "TestPrintNonTerminatedPod",
            &[
                case(
                    spec(vec![], containers(2)),
                    running_and_empty(PodPhase::Running),
                    ["1/2", "Running", "6"],
                ),
                case(
                    spec(vec![], containers(2)),
                    running_and_empty(PodPhase::Pending),
                    ["1/2", "Pending", "6"],
                ),
                case(
                    spec(vec![], containers(2)),
                    running_and_empty(PodPhase::Unknown),
                    ["1/2", "Unknown", "6"],
                ),
                case(
                    spec(vec![], containers(2)),
                    running_and_empty(PodPhase::Succeeded),
                    ["1/2", "Succeeded", "6"],
                ),
                case(
                    spec(vec![], containers(2)),
                    PodStatus {
                        container_statuses: vec![cs(true, 3, running()), cs(true, 3, empty())],
                        ..status(PodPhase::Failed)
                    },
                    ["1/2", "Failed", "6"],
                ),
            ],
        );
    }

    /// Not an upstream table: upstream's tests have no NodeLost or Signal/ExitCode case, so these
    /// follow printPod's source directly.
    #[test]
    fn print_pod_source_branches() {
        let node_lost = |phase: PodPhase| PodStatus {
            reason: "NodeLost".into(),
            container_statuses: vec![cs(true, 0, running())],
            ..status(phase)
        };
        let failed_init = |state: ContainerState| PodStatus {
            init_container_statuses: vec![cs(false, 0, state)],
            container_statuses: vec![cs(false, 0, waiting("PodInitializing"))],
            ..status(PodPhase::Pending)
        };
        let regular = |state: ContainerState| PodStatus {
            container_statuses: vec![cs(false, 0, state)],
            ..status(PodPhase::Failed)
        };
        check(
            "printPod source",
            &[
                // NodeLost without deletion prints the reason itself.
                case(
                    spec(vec![], containers(1)),
                    node_lost(PodPhase::Running),
                    ["1/1", "NodeLost", "0"],
                ),
                // Deleted NodeLost pods print Unknown, even in a terminal phase.
                deleted(case(
                    spec(vec![], containers(1)),
                    node_lost(PodPhase::Running),
                    ["1/1", "Unknown", "0"],
                )),
                deleted(case(
                    spec(vec![], containers(1)),
                    node_lost(PodPhase::Succeeded),
                    ["1/1", "Unknown", "0"],
                )),
                // A deleted Failed pod keeps its container reason.
                deleted(case(
                    spec(vec![], containers(1)),
                    regular(terminated("Error", 1, 0)),
                    ["0/1", "Error", "0"],
                )),
                // Init container failures.
                case(
                    spec(containers(1), containers(1)),
                    failed_init(terminated("", 2, 0)),
                    ["0/1", "Init:ExitCode:2", "0"],
                ),
                case(
                    spec(containers(1), containers(1)),
                    failed_init(terminated("", 137, 9)),
                    ["0/1", "Init:Signal:9", "0"],
                ),
                case(
                    spec(containers(1), containers(1)),
                    failed_init(terminated("OOMKilled", 137, 0)),
                    ["0/1", "Init:OOMKilled", "0"],
                ),
                case(
                    spec(containers(1), containers(1)),
                    failed_init(waiting("CrashLoopBackOff")),
                    ["0/1", "Init:CrashLoopBackOff", "0"],
                ),
                // Waiting in PodInitializing counts as Init:i/n.
                case(
                    spec(containers(1), containers(1)),
                    failed_init(waiting("PodInitializing")),
                    ["0/1", "Init:0/1", "0"],
                ),
                // Regular containers terminated without a reason.
                case(
                    spec(vec![], containers(1)),
                    regular(terminated("", 3, 0)),
                    ["0/1", "ExitCode:3", "0"],
                ),
                case(
                    spec(vec![], containers(1)),
                    regular(terminated("", 143, 15)),
                    ["0/1", "Signal:15", "0"],
                ),
                // Init containers done and Initialized True: regular containers still in
                // PodInitializing print that.
                case(
                    spec(containers(1), containers(1)),
                    PodStatus {
                        init_container_statuses: vec![cs(false, 0, terminated("Completed", 0, 0))],
                        container_statuses: vec![cs(false, 0, waiting("PodInitializing"))],
                        conditions: vec![cond(
                            ConditionType::Initialized,
                            ConditionStatus::True,
                            "",
                        )],
                        ..status(PodPhase::Pending)
                    },
                    ["0/1", "PodInitializing", "0"],
                ),
            ],
        );
    }
}
