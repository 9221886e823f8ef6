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

/// Writes `prefix` followed by Go's %s of a []string, "[a b]", into `s` (its buffer reused).
fn write_bracket_list<'n>(s: &mut String, prefix: &str, names: impl Iterator<Item = &'n str>) {
    s.clear();
    s.push_str(prefix);
    s.push('[');
    for (i, n) in names.enumerate() {
        if i > 0 {
            s.push(' ');
        }
        s.push_str(n);
    }
    s.push(']');
}

/// The conditions of a status being regenerated in place: each one overwrites the next slot of
/// the previous generation's list, so its message buffer is reused.
struct ConditionSlots<'a> {
    list: &'a mut Vec<PodCondition>,
    len: usize,
}

impl ConditionSlots<'_> {
    /// The next condition, its message cleared for the caller to write.
    fn put(
        &mut self,
        type_: ConditionType,
        status: ConditionStatus,
        reason: CompactString,
        last_transition_time: SimTime,
    ) -> &mut String {
        if self.len == self.list.len() {
            self.list.push(PodCondition {
                type_,
                status,
                reason,
                message: String::new(),
                last_transition_time,
            });
        } else {
            let c = &mut self.list[self.len];
            c.type_ = type_;
            c.status = status;
            c.reason = reason;
            c.message.clear();
            c.last_transition_time = last_transition_time;
        }
        self.len += 1;
        &mut self.list[self.len - 1].message
    }

    /// One of the kubelet's own conditions: its transition time carries over from `old` while
    /// its status holds.
    fn set(
        &mut self,
        old: &PodStatus,
        now: SimTime,
        type_: ConditionType,
        status: ConditionStatus,
        reason: &'static str,
    ) -> &mut String {
        let last_transition_time = match old.condition(type_) {
            Some(c) if c.status == status => c.last_transition_time,
            _ => now,
        };
        self.put(
            type_,
            status,
            CompactString::const_new(reason),
            last_transition_time,
        )
    }

    fn copy(&mut self, c: &PodCondition) {
        let message = self.put(c.type_, c.status, c.reason.clone(), c.last_transition_time);
        message.push_str(&c.message);
    }

    fn finish(self) {
        self.list.truncate(self.len);
    }
}

/// generateAPIPodStatus, written over `status` (the previous generation's buffers, so a
/// generation that changes nothing allocates nothing). Every field is assigned.
pub(super) fn generate_into(w: &Worker, now: SimTime, status: &mut PodStatus) {
    let spec = &w.a.spec;
    let n_init = spec.init_containers.len();
    status.init_container_statuses.clear();
    status
        .init_container_statuses
        .extend((0..n_init).map(|i| container_status(w, i)));
    status.container_statuses.clear();
    status
        .container_statuses
        .extend((n_init..spec.len()).map(|i| container_status(w, i)));
    let init_statuses = &status.init_container_statuses;
    let statuses = &status.container_statuses;

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
        init_statuses,
        names,
        statuses,
        terminal,
        w.has_initialized,
    );
    let old = &*w.status;
    if w.terminating.as_ref().is_some_and(|t| t.deadline_exceeded) {
        // active_deadline.go ShouldEvict: the pod fails with its own reason and message.
        phase = PodPhase::Failed;
        status.reason.clear();
        status.reason.push_str("DeadlineExceeded");
        status.message.clear();
        status
            .message
            .push_str("Pod was active on the node longer than the specified deadline");
    } else {
        status.reason.clone_from(&old.reason);
        status.message.clone_from(&old.message);
    }
    // Terminal phases are sticky (generateAPIPodStatus).
    if old.phase.is_terminal() && phase != old.phase {
        phase = old.phase;
    }
    status.phase = phase;
    status.start_time = w.start_time;
    status
        .nominated_node_name
        .clone_from(&old.nominated_node_name);
    status.pod_ip.clone_from(&w.ip);
    status.host_ip.clear();

    // Containers still to initialize, and containers not ready (sidecars count as regular
    // containers for readiness).
    let incomplete = || {
        spec.init_containers
            .iter()
            .zip(init_statuses)
            .filter(|(c, s)| {
                if c.sidecar {
                    s.started != Some(true)
                } else {
                    !s.ready
                }
            })
            .map(|(c, _)| &*c.name)
    };
    let unready = || {
        spec.init_containers
            .iter()
            .zip(init_statuses)
            .filter(|(c, _)| c.sidecar)
            .map(|(c, s)| (&*c.name, s.ready))
            .chain(
                spec.containers
                    .iter()
                    .zip(statuses)
                    .map(|(c, s)| (&*c.name, s.ready)),
            )
            .filter(|(_, ready)| !ready)
            .map(|(name, _)| name)
    };

    // Built afresh, in generateAPIPodStatus's order: DisruptionTarget (carried over), the
    // kubelet's own four (their transition times carry over while their status holds),
    // PodScheduled (carried over) last. Written in that order, so nothing needs sorting.
    // A fresh status gets its room at once (no regrowth); a recycled one has it already.
    if status.conditions.is_empty() {
        status.conditions.reserve(old.conditions.len() + 4);
    }
    let mut conditions = ConditionSlots {
        list: &mut status.conditions,
        len: 0,
    };
    if let Some(c) = old.condition(ConditionType::DisruptionTarget) {
        conditions.copy(c);
    }
    let sandbox_ready = w.sandbox == Sandbox::Ready;
    conditions.set(
        old,
        now,
        ConditionType::PodReadyToStartContainers,
        ConditionStatus::from_bool(sandbox_ready),
        "",
    );

    if phase == PodPhase::Succeeded {
        conditions.set(
            old,
            now,
            ConditionType::Initialized,
            ConditionStatus::True,
            "PodCompleted",
        );
    } else if incomplete().next().is_none() || w.has_initialized {
        conditions.set(
            old,
            now,
            ConditionType::Initialized,
            ConditionStatus::True,
            "",
        );
    } else {
        let message = conditions.set(
            old,
            now,
            ConditionType::Initialized,
            ConditionStatus::False,
            "ContainersNotInitialized",
        );
        write_bracket_list(message, "containers with incomplete status: ", incomplete());
    }

    let (ready_status, ready_reason, unready_message) = match phase {
        PodPhase::Succeeded => (ConditionStatus::False, "PodCompleted", false),
        PodPhase::Failed => (ConditionStatus::False, "PodFailed", false),
        _ if unready().next().is_none() => (ConditionStatus::True, "", false),
        _ => (ConditionStatus::False, "ContainersNotReady", true),
    };
    for type_ in [ConditionType::Ready, ConditionType::ContainersReady] {
        let message = conditions.set(old, now, type_, ready_status, ready_reason);
        if unready_message {
            write_bracket_list(message, "containers with unready status: ", unready());
        }
    }
    match old.condition(ConditionType::PodScheduled) {
        Some(c) => conditions.copy(c),
        None => {
            conditions.put(
                ConditionType::PodScheduled,
                ConditionStatus::True,
                CompactString::default(),
                now,
            );
        }
    }
    conditions.finish();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bracket_list_is_gos_percent_s_of_a_string_slice() {
        let mut s = String::from("left over");
        write_bracket_list(
            &mut s,
            "containers with unready status: ",
            ["a", "b"].into_iter(),
        );
        assert_eq!(s, "containers with unready status: [a b]");
        write_bracket_list(&mut s, "p: ", std::iter::empty());
        assert_eq!(s, "p: []");
    }

    /// Regenerating over a longer previous list overwrites its slots in order (messages
    /// cleared) and drops the rest.
    #[test]
    fn condition_slots_overwrite_and_truncate() {
        let t = SimTime::from_nanos;
        let mut old = PodStatus::default();
        for type_ in [
            ConditionType::DisruptionTarget,
            ConditionType::Initialized,
            ConditionType::Ready,
        ] {
            old.set_condition(t(1), type_, ConditionStatus::False, "Old", "old message");
        }
        let mut list = old.conditions.clone();
        let mut slots = ConditionSlots {
            list: &mut list,
            len: 0,
        };
        // Ready keeps its transition time while its status holds; Initialized changes.
        slots.set(
            &old,
            t(5),
            ConditionType::Ready,
            ConditionStatus::False,
            "ContainersNotReady",
        );
        slots
            .set(
                &old,
                t(5),
                ConditionType::Initialized,
                ConditionStatus::True,
                "",
            )
            .push_str("new");
        slots.finish();
        let got: Vec<_> = list
            .iter()
            .map(|c| {
                (
                    c.type_,
                    c.status,
                    c.reason.as_str(),
                    c.message.as_str(),
                    c.last_transition_time,
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                (
                    ConditionType::Ready,
                    ConditionStatus::False,
                    "ContainersNotReady",
                    "",
                    t(1)
                ),
                (
                    ConditionType::Initialized,
                    ConditionStatus::True,
                    "",
                    "new",
                    t(5)
                ),
            ]
        );
    }
}
