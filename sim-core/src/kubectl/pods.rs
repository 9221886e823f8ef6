//! `kubectl get pods`: the READY, STATUS and RESTARTS columns exactly as upstream's printPod
//! (pkg/printers/internalversion/printers.go) computes them.

use crate::api::PodSpec;
use crate::cluster::{Cluster, ConditionType, ContainerState, PodRecord, PodStatus};
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

fn is_restartable_init(spec: &PodSpec, name: &str) -> bool {
    spec.init_containers
        .iter()
        .find(|c| c.name == name)
        .is_some_and(|c| c.is_sidecar())
}

/// printPod's READY / STATUS / RESTARTS. `now` renders "(3m50s ago)".
pub fn pod_columns(input: &PodPrintInput<'_>, now: SimTime) -> PodColumns {
    let spec = input.spec;
    let status = input.status;
    let mut restarts: u32 = 0;
    let mut restartable_init_restarts: u32 = 0;
    let mut total = spec.containers.len();
    let mut ready = 0;
    let mut last_restart: Option<SimTime> = None;
    let mut last_restartable_init_restart: Option<SimTime> = None;

    let mut reason = if status.reason.is_empty() {
        status.phase.as_str().to_string()
    } else {
        status.reason.clone()
    };
    if status
        .condition(ConditionType::PodScheduled)
        .is_some_and(|c| c.reason == "SchedulingGated")
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
                reason = if !r.is_empty() {
                    format!("Init:{r}")
                } else if *signal != 0 {
                    format!("Init:Signal:{signal}")
                } else {
                    format!("Init:ExitCode:{exit_code}")
                };
            }
            ContainerState::Waiting { reason: r, .. }
                if !r.is_empty() && r != "PodInitializing" =>
            {
                reason = format!("Init:{r}");
            }
            _ => reason = format!("Init:{}/{}", i, spec.init_containers.len()),
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
                ContainerState::Waiting { reason: r, .. } if !r.is_empty() => reason = r.clone(),
                ContainerState::Terminated { reason: r, .. } if !r.is_empty() => reason = r.clone(),
                ContainerState::Terminated {
                    exit_code, signal, ..
                } => {
                    reason = if *signal != 0 {
                        format!("Signal:{signal}")
                    } else {
                        format!("ExitCode:{exit_code}")
                    };
                }
                ContainerState::Running { .. } if c.ready => {
                    has_running = true;
                    ready += 1;
                }
                _ => {}
            }
        }
        if reason == "Completed" && has_running {
            reason = if status.is_condition_true(ConditionType::Ready) {
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

    let restarts_str = match last_restart {
        Some(t) if restarts != 0 => {
            let ago = i128::from(now.as_nanos()) - i128::from(t.as_nanos());
            format!("{restarts} ({} ago)", human_duration(ago))
        }
        _ => restarts.to_string(),
    };
    PodColumns {
        ready: format!("{ready}/{total}"),
        status: reason,
        restarts: restarts_str,
    }
}

pub fn record_columns(p: &PodRecord, now: SimTime) -> PodColumns {
    pod_columns(
        &PodPrintInput {
            spec: &p.pod.spec,
            status: &p.status,
            deleting: p.deletion.is_some(),
        },
        now,
    )
}

fn age(created: SimTime, now: SimTime) -> String {
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
                                    && c.status == crate::cluster::ConditionStatus::True
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
