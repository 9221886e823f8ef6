//! API status from runtime state: pkg/kubelet/kubelet_pods.go generateAPIPodStatus and
//! convertToAPIContainerStatuses, pkg/kubelet/status/generate.go for the conditions.

use compact_str::CompactString;

use crate::cluster::{
    ConditionStatus, ConditionType, ContainerState, ContainerStatus, PodCondition, PodPhase,
    PodStatus,
};
use crate::time::SimTime;

use super::phase::{InitContainerInfo, get_phase};
use super::{InstanceState, Sandbox, Worker};

fn container_status(w: &Worker, index: usize) -> ContainerStatus {
    let spec = w.a.spec.container(index);
    let rt = &w.containers[index];
    // kubelet_pods.go: the default state is Waiting, reason PodInitializing when the pod has
    // init containers, ContainerCreating otherwise.
    let default_reason = if w.a.spec.init_containers.is_empty() {
        "ContainerCreating"
    } else {
        "PodInitializing"
    };
    let terminated = |i: &super::Instance| match &i.state {
        InstanceState::Exited {
            exit_code,
            reason,
            finished_at,
        } => Some(ContainerState::Terminated {
            exit_code: *exit_code,
            signal: 0,
            reason: reason.clone(),
            message: String::new(),
            started_at: i.started_at,
            finished_at: *finished_at,
        }),
        _ => None,
    };
    let mut state = match rt.current.as_ref() {
        None => ContainerState::waiting(default_reason),
        Some(i) => match &i.state {
            InstanceState::Created => ContainerState::waiting(""),
            InstanceState::Running => ContainerState::Running {
                started_at: i.started_at,
            },
            InstanceState::Exited { .. } => {
                terminated(i).unwrap_or_else(|| ContainerState::waiting(""))
            }
        },
    };
    let mut last_state = rt.previous.as_ref().and_then(terminated);
    // The reason cache overrides the state with the last start failure; a Terminated state moves
    // to lastState.
    if let Some((reason, message)) = &rt.waiting
        && !state.is_running()
    {
        if state.is_terminated() {
            last_state = Some(state);
        }
        state = ContainerState::Waiting {
            reason: reason.clone(),
            message: message.clone(),
        };
    }
    // prober_manager.go UpdatePodStatus: `started` needs a successful startup probe (true at
    // once without one); `ready` is computed only for started containers and follows the
    // readiness probe (true without one). Regular init containers are ready once they exited 0.
    let running = state.is_running();
    let inst = rt.current.as_ref();
    let started = running && (spec.startup_probe.is_none() || inst.is_some_and(|i| i.started));
    let ready = if w.a.spec.is_init(index) && !spec.sidecar {
        matches!(&state, ContainerState::Terminated { exit_code: 0, .. })
    } else {
        started && (spec.readiness_probe.is_none() || inst.is_some_and(|i| i.ready))
    };
    ContainerStatus {
        name: spec.name.clone(),
        image: spec.image.clone(),
        state,
        last_state,
        ready,
        started: Some(started),
        restart_count: rt.restart_count,
    }
}

/// `prefix` followed by Go's %s of a []string: "[a b]".
fn with_bracket_list(prefix: &str, names: &[&str]) -> String {
    let len = names.iter().map(|n| n.len() + 1).sum::<usize>();
    let mut s = String::with_capacity(prefix.len() + len + 2);
    s.push_str(prefix);
    s.push('[');
    for (i, n) in names.iter().enumerate() {
        if i > 0 {
            s.push(' ');
        }
        s.push_str(n);
    }
    s.push(']');
    s
}

pub(super) fn generate(w: &Worker, now: SimTime) -> PodStatus {
    let spec = &w.a.spec;
    let n_init = spec.init_containers.len();
    let init_statuses: Vec<ContainerStatus> = (0..n_init).map(|i| container_status(w, i)).collect();
    let statuses: Vec<ContainerStatus> = (n_init..spec.len())
        .map(|i| container_status(w, i))
        .collect();

    let init_info: Vec<InitContainerInfo<'_>> = spec
        .init_containers
        .iter()
        .map(|c| InitContainerInfo {
            name: &c.name,
            restartable: c.sidecar,
        })
        .collect();
    // The regular containers' names; on the stack for the usual handful (this runs at every
    // pod sync).
    let mut few = [""; 8];
    let many: Vec<&str>;
    let names: &[&str] = if spec.containers.len() <= few.len() {
        for (slot, c) in few.iter_mut().zip(&spec.containers) {
            *slot = &c.name;
        }
        &few[..spec.containers.len()]
    } else {
        many = spec.containers.iter().map(|c| &*c.name).collect();
        &many
    };
    let terminal = w.terminating.is_some() && w.finished;
    let mut phase = get_phase(
        spec.restart_policy,
        &init_info,
        &init_statuses,
        names,
        &statuses,
        terminal,
        w.has_initialized,
    );
    let old = &*w.status;
    let (mut reason, mut message) = (old.reason.clone(), old.message.clone());
    if w.terminating.as_ref().is_some_and(|t| t.deadline_exceeded) {
        // active_deadline.go ShouldEvict: the pod fails with its own reason and message.
        phase = PodPhase::Failed;
        reason = "DeadlineExceeded".into();
        message = "Pod was active on the node longer than the specified deadline".into();
    }
    // Terminal phases are sticky (generateAPIPodStatus).
    if old.phase.is_terminal() && phase != old.phase {
        phase = old.phase;
    }
    // Built afresh, in generateAPIPodStatus's order: DisruptionTarget (carried over), the
    // kubelet's own four (their transition times carry over while their status holds),
    // PodScheduled (carried over) last. Pushed in that order, so nothing needs sorting.
    let mut conditions = Vec::with_capacity(old.conditions.len() + 4);
    conditions.extend(old.condition(ConditionType::DisruptionTarget).cloned());
    let mut status = PodStatus {
        phase,
        conditions,
        reason,
        message,
        start_time: w.start_time,
        init_container_statuses: Vec::new(),
        container_statuses: Vec::new(),
        nominated_node_name: old.nominated_node_name.clone(),
        pod_ip: w.ip.clone(),
        host_ip: String::new(),
    };

    // Conditions, in upstream's order: PodReadyToStartContainers, Initialized, Ready,
    // ContainersReady, PodScheduled.
    let mut set = |type_, cond_status, reason: &'static str, message: String| {
        let last_transition_time = match old.condition(type_) {
            Some(c) if c.status == cond_status => c.last_transition_time,
            _ => now,
        };
        status.conditions.push(PodCondition {
            type_,
            status: cond_status,
            reason: CompactString::const_new(reason),
            message,
            last_transition_time,
        });
    };
    let sandbox_ready = w.sandbox == Sandbox::Ready;
    set(
        ConditionType::PodReadyToStartContainers,
        ConditionStatus::from_bool(sandbox_ready),
        "",
        String::new(),
    );

    let incomplete: Vec<&str> = spec
        .init_containers
        .iter()
        .zip(&init_statuses)
        .filter(|(c, s)| {
            if c.sidecar {
                s.started != Some(true)
            } else {
                !s.ready
            }
        })
        .map(|(c, _)| &*c.name)
        .collect();
    if phase == PodPhase::Succeeded {
        set(
            ConditionType::Initialized,
            ConditionStatus::True,
            "PodCompleted",
            String::new(),
        );
    } else if incomplete.is_empty() || w.has_initialized {
        set(
            ConditionType::Initialized,
            ConditionStatus::True,
            "",
            String::new(),
        );
    } else {
        let msg = with_bracket_list("containers with incomplete status: ", &incomplete);
        set(
            ConditionType::Initialized,
            ConditionStatus::False,
            "ContainersNotInitialized",
            msg,
        );
    }

    let unready: Vec<&str> = spec
        .init_containers
        .iter()
        .zip(&init_statuses)
        .filter(|(c, _)| c.sidecar)
        .map(|(c, s)| (&*c.name, s.ready))
        .chain(
            spec.containers
                .iter()
                .zip(&statuses)
                .map(|(c, s)| (&*c.name, s.ready)),
        )
        .filter(|(_, ready)| !ready)
        .map(|(name, _)| name)
        .collect();
    let (ready_status, ready_reason, ready_message) = match phase {
        PodPhase::Succeeded => (ConditionStatus::False, "PodCompleted", String::new()),
        PodPhase::Failed => (ConditionStatus::False, "PodFailed", String::new()),
        _ if unready.is_empty() => (ConditionStatus::True, "", String::new()),
        _ => (
            ConditionStatus::False,
            "ContainersNotReady",
            with_bracket_list("containers with unready status: ", &unready),
        ),
    };
    set(
        ConditionType::Ready,
        ready_status,
        ready_reason,
        ready_message.clone(),
    );
    set(
        ConditionType::ContainersReady,
        ready_status,
        ready_reason,
        ready_message,
    );
    match old.condition(ConditionType::PodScheduled) {
        Some(c) => status.conditions.push(c.clone()),
        None => status.set_condition(
            now,
            ConditionType::PodScheduled,
            ConditionStatus::True,
            "",
            "",
        ),
    }
    status.init_container_statuses = init_statuses;
    status.container_statuses = statuses;
    status
}
