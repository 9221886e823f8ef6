//! `kubesim explain pod`: a plain-language account of why a pod is in its state at a time,
//! built from the cluster at that time and the causal chain the timeline records (the Events
//! and state changes that led there, and what happens next).
//!
//! Every fact comes from the simulation: STATUS from the kubectl printer, the back-off period
//! from the kubelet's own CrashLoopBackOff message, each node's scheduling reason from the
//! scheduler's filters, the next restart from the rest of the run.

mod eviction;
mod preemption;

use std::sync::Arc;

use crate::api::{Container, Probe, RestartPolicy};
use crate::cluster::{Cluster, ContainerState, ContainerStatus, PodRecord};
use crate::engine::{RunOptions, Simulation, StopReason};
use crate::kubectl::pods::record_columns;
use crate::rng::RngStreams;
use crate::scenario::load::Scenario;
use crate::scheduler::DefaultScheduler;
use crate::scheduler::framework::Code;
use crate::time::{SimDuration, SimTime};
use crate::timeline::TimelineRecord;

/// A time rounded to the millisecond, for reading.
fn ms(t: SimTime) -> String {
    SimTime::from_nanos(t.as_nanos() / 1_000_000 * 1_000_000).to_string()
}

/// What an explanation is built from.
pub struct ExplainInput<'a> {
    /// The cluster at `now`.
    pub cluster: &'a Cluster,
    pub now: SimTime,
    /// The whole run's timeline, including what happens after `now`.
    pub records: &'a [TimelineRecord],
    /// Where the run ended (how far "next" can be seen).
    pub run_end: SimTime,
    /// The scenario's KubeSchedulerConfiguration (None: the default profile).
    pub scheduler_config: Option<&'a crate::scheduler::config::SchedulerConfig>,
}

struct Pod<'a> {
    input: &'a ExplainInput<'a>,
    ns: &'a str,
    name: &'a str,
}

impl<'a> Pod<'a> {
    /// Rows about this pod (or one of its containers) up to `now`.
    fn past(&self) -> impl Iterator<Item = &'a TimelineRecord> + '_ {
        self.input.records.iter().filter(move |r| {
            r.time <= self.input.now
                && r.kind == "Pod"
                && r.namespace == self.ns
                && r.name == self.name
        })
    }

    fn future(&self) -> impl Iterator<Item = &'a TimelineRecord> + '_ {
        self.input.records.iter().filter(move |r| {
            r.time > self.input.now
                && r.kind == "Pod"
                && r.namespace == self.ns
                && r.name == self.name
        })
    }

    fn events(
        &self,
        container: &'a str,
        reason: &'a str,
    ) -> impl Iterator<Item = &'a TimelineRecord> + '_ {
        self.past().filter(move |r| {
            (r.event == "Normal" || r.event == "Warning")
                && r.reason == reason
                && (container.is_empty() || r.container == container)
        })
    }
}

/// How far past the explained moment the run goes on: far enough to see the next restart after
/// the longest back-off (5m plus the pod worker's 10-15s retry).
pub const LOOKAHEAD: SimDuration = SimDuration::from_mins(6);

/// Runs `scenario` to `at`, then on for `LOOKAHEAD` (or to `options.until` if later), and
/// explains pod `namespace/name` at `at`. Err when the run broke an invariant.
pub fn explain_run(
    scenario: &Arc<Scenario>,
    mut options: RunOptions,
    at: SimTime,
    namespace: &str,
    name: &str,
) -> Result<Option<String>, StopReason> {
    options.until = options.until.max(at + LOOKAHEAD);
    let mut sim = Simulation::new(Arc::clone(scenario), options);
    sim.run_until(at);
    let cluster = sim.cluster().clone();
    sim.run();
    if let Some(stop @ StopReason::Invariant(_)) = sim.stop_reason() {
        return Err(stop.clone());
    }
    let input = ExplainInput {
        cluster: &cluster,
        now: at,
        records: sim.timeline().records(),
        run_end: sim.now(),
        scheduler_config: scenario.scheduler_config.as_ref(),
    };
    Ok(explain_pod(&input, namespace, name))
}

/// The account of pod `namespace/name` at `input.now`, or None if it never existed by then.
pub fn explain_pod(input: &ExplainInput<'_>, namespace: &str, name: &str) -> Option<String> {
    let pod = Pod {
        input,
        ns: namespace,
        name,
    };
    let now = input.now;
    let mut out = Vec::new();
    let Some(rec) = input
        .cluster
        .find_pod(namespace, name)
        .and_then(|id| input.cluster.pod(id))
    else {
        let deleted = pod.past().filter(|r| r.event == "Deleted").last()?;
        let requested = pod
            .past()
            .filter(|r| r.event == "DeletionRequested")
            .last()
            .map(|r| format!(" (deletion requested at {}: {})", ms(r.time), r.message))
            .unwrap_or_default();
        let evicted = preemption::victim(&pod, None)
            .or_else(|| eviction::account(&pod, None))
            .map(|e| format!("{e}\n"))
            .unwrap_or_default();
        return Some(format!(
            "Pod {namespace}/{name} at {now}: gone. The object was removed at {}{requested}.\n{evicted}",
            ms(deleted.time)
        ));
    };
    let cols = record_columns(rec, now);
    let node = rec
        .node
        .map(|id| input.cluster.node(id).name.clone())
        .unwrap_or_else(|| "<none>".to_string());
    out.push(format!(
        "Pod {namespace}/{name} at {now}: STATUS {}, READY {}, RESTARTS {}, phase {}, node {node}.",
        cols.status,
        cols.ready,
        cols.restarts,
        rec.status.phase.as_str()
    ));
    let spec = &rec.pod.spec;

    if let Some(d) = &rec.deletion {
        let by = pod
            .past()
            .filter(|r| r.event == "DeletionRequested")
            .last()
            .map(|r| format!(" ({})", r.message))
            .unwrap_or_default();
        let mut s = format!(
            "Terminating: deletion was requested at {}{by} with a grace period of {}s, so the kubelet must have stopped every container by {}",
            ms(d.requested_at),
            d.grace_period_seconds,
            ms(d.timestamp)
        );
        let kills: Vec<String> = pod
            .events("", "Killing")
            .filter(|r| r.time >= d.requested_at)
            .map(|r| format!("{} at {}", r.message, ms(r.time)))
            .collect();
        if !kills.is_empty() {
            s.push_str(&format!("; {}", kills.join("; ")));
        }
        let hooks: Vec<&Container> = spec
            .containers
            .iter()
            .filter(|c| c.lifecycle.as_ref().is_some_and(|l| l.pre_stop.is_some()))
            .collect();
        for c in hooks {
            s.push_str(&format!(
                "; container `{}` runs its preStop hook first, then gets SIGTERM, and SIGKILL if still running at the deadline",
                c.name
            ));
        }
        if let Some(gone) = pod.future().find(|r| r.event == "Deleted") {
            s.push_str(&format!(". The object is removed at {}", ms(gone.time)));
        }
        out.push(format!("{s}."));
    }

    if rec.node.is_none() && !rec.status.phase.is_terminal() {
        out.extend(pending(input, &pod, rec));
    } else if !rec.status.reason.is_empty() {
        let why = match rec.status.reason.as_str() {
            "DeadlineExceeded" => format!(
                "the pod ran longer than its activeDeadlineSeconds ({}s): the kubelet killed its containers and marked it Failed",
                spec.active_deadline_seconds.unwrap_or_default()
            ),
            "Evicted" => "the kubelet evicted it".to_string(),
            other => format!("the kubelet set reason {other}"),
        };
        out.push(format!(
            "Phase {} with reason {}: {why}. {}",
            rec.status.phase.as_str(),
            rec.status.reason,
            rec.status.message
        ));
    }

    let statuses = rec
        .status
        .init_container_statuses
        .iter()
        .chain(&rec.status.container_statuses);
    for cs in statuses {
        let Some(c) = spec
            .init_containers
            .iter()
            .chain(&spec.containers)
            .find(|c| *c.name == *cs.name)
        else {
            continue;
        };
        let init = spec.init_containers.iter().any(|i| *i.name == *cs.name);
        out.push(container(&pod, rec, c, cs, init));
    }
    if let Some(p) = preemption::victim(&pod, Some(rec)) {
        out.push(p);
    } else if let Some(e) = eviction::account(&pod, Some(rec)) {
        out.push(e);
    }
    if let Some(e) = pod.events("", "Evicted").last() {
        out.push(format!("Evicted at {}: {}", ms(e.time), e.message));
    }
    // The latest Events, repeats folded as kubectl's event correlator folds them.
    let mut recent: Vec<(&TimelineRecord, SimTime, u32)> = Vec::new();
    for r in pod
        .past()
        .filter(|r| r.event == "Normal" || r.event == "Warning")
    {
        match recent
            .iter_mut()
            .find(|(f, _, _)| f.reason == r.reason && f.message == r.message)
        {
            Some(entry) => {
                entry.1 = r.time;
                entry.2 += 1;
            }
            None => recent.push((r, r.time, 1)),
        }
    }
    recent.sort_by_key(|(_, last, _)| *last);
    let recent: Vec<String> = recent
        .iter()
        .rev()
        .take(6)
        .rev()
        .map(|(r, last, n)| {
            let times = if *n > 1 {
                format!("{} (x{n} since {})", ms(*last), ms(r.time))
            } else {
                ms(*last)
            };
            format!("  {times}  {} {}: {}", r.event, r.reason, r.message)
        })
        .collect();
    if !recent.is_empty() {
        out.push(format!("Latest Events:\n{}", recent.join("\n")));
    }
    Some(out.join("\n") + "\n")
}

/// Why an unbound pod is Pending: scheduling gates, or each node's Filter verdict.
fn pending(input: &ExplainInput<'_>, pod: &Pod<'_>, rec: &PodRecord) -> Vec<String> {
    let mut out = Vec::new();
    let gates = &rec.pod.spec.scheduling_gates;
    if !gates.is_empty() {
        let names: Vec<&str> = gates.iter().map(|g| g.name.as_str()).collect();
        out.push(format!(
            "Pending: the pod is not scheduled because it has scheduling gates ({}); the scheduler skips it until they are removed.",
            names.join(", ")
        ));
        return out;
    }
    match pod.events("", "FailedScheduling").last() {
        Some(e) => out.push(format!(
            "Pending: the scheduler could not place it. Its latest attempt at {} said: {}",
            ms(e.time),
            e.message
        )),
        None => out.push(
            "Pending: the scheduler has not placed it yet (no FailedScheduling Event so far)."
                .to_string(),
        ),
    }
    out.extend(preemption::nominated(pod, rec));
    let mut scheduler =
        DefaultScheduler::for_config(RngStreams::new(0).stream("explain"), input.scheduler_config);
    let mut lines = Vec::new();
    for (i, n) in input.cluster.nodes().iter().enumerate() {
        if n.deleted {
            continue;
        }
        let status = scheduler.run_filters(rec, i, input.cluster);
        let reasons = status.reasons().collect::<Vec<_>>().join(", ");
        let verdict = match status.code {
            Code::Success | Code::Skip => {
                "fits now (the next scheduling attempt can bind it)".to_string()
            }
            Code::Unschedulable => {
                format!(
                    "{reasons} (evicting lower-priority pods could make room: preemption may help)"
                )
            }
            Code::UnschedulableAndUnresolvable => {
                format!("{reasons} (no preemption can help)")
            }
            Code::Error => {
                format!("{reasons} (a scheduler error: the attempt fails and the pod backs off)")
            }
        };
        lines.push(format!("  {}: {verdict}", n.name));
    }
    if !lines.is_empty() {
        out.push(format!("Each node's verdict now:\n{}", lines.join("\n")));
    }
    if let Some(b) = pod
        .future()
        .find(|r| r.event == "Normal" && r.reason == "Scheduled")
    {
        out.push(format!("It is scheduled at {}: {}", ms(b.time), b.message));
    } else {
        out.push(format!(
            "It stays Pending until the end of the simulated run ({}).",
            input.run_end
        ));
    }
    out
}

fn probe_text(kind: &str, p: &Probe) -> String {
    format!(
        "{kind} probe every {}s, failureThreshold {}",
        p.period_seconds.unwrap_or(10),
        p.failure_threshold.unwrap_or(3)
    )
}

fn restart_rule(policy: &RestartPolicy, exit_code: i32, init: bool, sidecar: bool) -> String {
    if sidecar {
        return "as a sidecar (restartPolicy Always on the init container) it is restarted whatever its exit code".to_string();
    }
    match (policy, exit_code) {
        (RestartPolicy::Always, _) if !init => {
            "restartPolicy Always restarts it whatever the exit code".to_string()
        }
        (RestartPolicy::Never, _) => "restartPolicy Never: it is not restarted".to_string(),
        (_, 0) => format!(
            "it succeeded, so restartPolicy {} does not restart it",
            if init {
                "(for init containers: OnFailure)".to_string()
            } else {
                policy.to_string()
            }
        ),
        (_, code) => format!(
            "it failed (exit code {code}), so restartPolicy {} restarts it",
            if init {
                "OnFailure (init containers of a non-Never pod)".to_string()
            } else {
                policy.to_string()
            }
        ),
    }
}

fn terminated_text(s: &ContainerState) -> Option<(String, i32)> {
    match s {
        ContainerState::Terminated {
            exit_code,
            reason,
            finished_at,
            ..
        } => Some((
            format!(
                "exited with code {exit_code} ({reason}) at {}",
                ms(*finished_at)
            ),
            *exit_code,
        )),
        _ => None,
    }
}

/// Why the previous run of a container ended, when something killed it: the kernel (OOM) or the
/// kubelet (a failed liveness probe).
fn kill_cause(cs: &ContainerStatus, limit: &str, liveness_kill: Option<&TimelineRecord>) -> String {
    let mut s = String::new();
    if matches!(&cs.last_state, Some(ContainerState::Terminated { reason, .. }) if reason == "OOMKilled")
    {
        s.push_str(&format!(
            "; it was OOMKilled: its memory use passed limits.memory {limit}, so the kernel killed it"
        ));
    }
    if let Some(k) = liveness_kill {
        s.push_str(&format!(
            "; the kubelet killed it at {} because its liveness probe failed ({})",
            ms(k.time),
            k.message
        ));
    }
    s
}

/// One container's account.
fn container(
    pod: &Pod<'_>,
    rec: &PodRecord,
    c: &Container,
    cs: &ContainerStatus,
    init: bool,
) -> String {
    let policy = &rec
        .pod
        .spec
        .restart_policy
        .clone()
        .unwrap_or(RestartPolicy::Always);
    let pod_grace = rec.pod.spec.termination_grace_period_seconds;
    let deletion_grace = rec.deletion.as_ref().map(|d| d.grace_period_seconds);
    let terminal = rec
        .status
        .phase
        .is_terminal()
        .then_some(rec.status.phase.as_str());
    let name = c.name.as_str();
    let kind = if c.is_sidecar() {
        "sidecar container"
    } else if init {
        "init container"
    } else {
        "container"
    };
    let mut s = format!("{kind} `{name}`: ");
    let liveness_kill = pod
        .events(name, "Killing")
        .filter(|r| r.message.contains("liveness probe"))
        .last();
    let limit = c
        .resources
        .limits
        .get("memory")
        .map(|q| q.to_string())
        .unwrap_or_else(|| "none".to_string());
    match &cs.state {
        ContainerState::Waiting { reason, message } if reason == "CrashLoopBackOff" => {
            s.push_str("waiting in CrashLoopBackOff");
            if let Some((what, code)) = cs.last_state.as_ref().and_then(terminated_text) {
                s.push_str(&format!(
                    ": it {what}; {}",
                    restart_rule(policy, code, init, c.is_sidecar())
                ));
            }
            s.push_str(&kill_cause(cs, &limit, liveness_kill));
            // The kubelet's message names the current period: `back-off 2m40s restarting ...`.
            let period = message
                .strip_prefix("back-off ")
                .and_then(|m| m.split_whitespace().next())
                .unwrap_or("?");
            s.push_str(&format!(
                "; this is restart {}, so the kubelet waits {period} before starting it again (10s doubling after each crash, capped at 5m0s, reset after 10 minutes of running)",
                cs.restart_count
            ));
            match pod
                .future()
                .find(|r| r.event == "Normal" && r.reason == "Started" && r.container == name)
            {
                Some(r) => s.push_str(&format!(
                    "; next start at {} (the pod worker's first sync after the back-off expires)",
                    ms(r.time)
                )),
                None => s.push_str(&format!(
                    "; no restart before the end of the run ({})",
                    pod.input.run_end
                )),
            }
        }
        ContainerState::Waiting { reason, message }
            if reason == "ErrImagePull" || reason == "ImagePullBackOff" =>
        {
            s.push_str(&format!(
                "waiting in {reason}: the image {} cannot be pulled",
                c.image
            ));
            if let Some(f) = pod.events(name, "Failed").last() {
                s.push_str(&format!(" ({} at {})", f.message, ms(f.time)));
            } else if !message.is_empty() {
                s.push_str(&format!(" ({message})"));
            }
            s.push_str("; the kubelet retries with a back-off of 10s doubling up to 5m0s");
            if let Some(r) = pod
                .future()
                .find(|r| r.reason == "Pulling" && r.container == name)
            {
                s.push_str(&format!("; next pull attempt at {}", ms(r.time)));
            }
        }
        ContainerState::Waiting { reason, .. } if reason == "PodInitializing" => {
            s.push_str("waiting for the init containers to complete (PodInitializing)");
        }
        ContainerState::Waiting { reason, message } => {
            s.push_str(&format!("waiting ({reason})"));
            if !message.is_empty() {
                s.push_str(&format!(": {message}"));
            }
            if let Some(last) = pod
                .past()
                .filter(|r| r.container == name && (r.event == "Normal" || r.event == "Warning"))
                .last()
            {
                s.push_str(&format!(
                    "; latest step: {} at {} ({})",
                    last.reason,
                    ms(last.time),
                    last.message
                ));
            }
        }
        ContainerState::Running { started_at } => {
            s.push_str(&format!("running since {}", ms(*started_at)));
            if cs.restart_count > 0
                && let Some((what, code)) = cs.last_state.as_ref().and_then(terminated_text)
            {
                s.push_str(&format!(
                    " (restart {}; before that it {what}; {})",
                    cs.restart_count,
                    restart_rule(policy, code, init, c.is_sidecar())
                ));
                s.push_str(&kill_cause(cs, &limit, liveness_kill));
            }
            if let Some(k) = pod
                .events(name, "Killing")
                .filter(|k| k.time >= *started_at)
                .last()
            {
                // A deletion's grace period wins; a probe kill may use the probe's own.
                let grace = deletion_grace
                    .or_else(|| {
                        c.liveness_probe
                            .as_ref()
                            .and_then(|p| p.termination_grace_period_seconds)
                    })
                    .or(pod_grace)
                    .unwrap_or(30);
                s.push_str(&format!(
                    "; being stopped since {} ({}): SIGTERM, then SIGKILL if it is still running {grace}s later",
                    ms(k.time),
                    k.message
                ));
                match pod.future().find(|r| {
                    r.container == name
                        && ((r.event == "Normal" && r.reason == "Started")
                            || (r.event == "ContainerState" && r.to.starts_with("Terminated")))
                }) {
                    Some(r) if r.event == "Normal" => {
                        s.push_str(&format!("; it is started again at {}", ms(r.time)));
                    }
                    Some(r) => s.push_str(&format!("; it is {} at {}", r.to, ms(r.time))),
                    None => s.push_str("; it is not started again before the end of the run"),
                }
            }
            if cs.started == Some(false)
                && let Some(p) = &c.startup_probe
            {
                s.push_str(&format!(
                    "; not started yet: its {} has not succeeded, and liveness/readiness probes wait for it",
                    probe_text("startup", p)
                ));
            }
            if init && !c.is_sidecar() {
                s.push_str(
                    "; it must exit 0 before the next init container, and then the app containers, can start",
                );
            } else if cs.ready {
                s.push_str("; ready");
            } else {
                s.push_str("; not ready");
                if let Some(p) = &c.readiness_probe {
                    s.push_str(&format!(" (its {})", probe_text("readiness", p)));
                }
            }
        }
        ContainerState::Terminated {
            exit_code,
            reason,
            finished_at,
            ..
        } => {
            let rule = match terminal {
                Some(phase) => format!("the pod is {phase}, a final phase: nothing restarts it"),
                None => restart_rule(policy, *exit_code, init, c.is_sidecar()),
            };
            s.push_str(&format!(
                "terminated with exit code {exit_code} ({reason}) at {}; {rule}",
                ms(*finished_at),
            ));
            if reason == "OOMKilled" {
                s.push_str(&format!(
                    "; OOMKilled: its memory use passed limits.memory {limit}, so the kernel killed it"
                ));
            }
        }
    }
    let unhealthy: Vec<&TimelineRecord> = pod.events(name, "Unhealthy").collect();
    if let Some(last) = unhealthy.last() {
        s.push_str(&format!(
            ". Probe failures so far: {} (latest at {}: {})",
            unhealthy.len(),
            ms(last.time),
            last.message
        ));
        if let Some(p) = &c.liveness_probe
            && last.message.starts_with("Liveness")
        {
            s.push_str(&format!(
                "; its {} means {} failures in a row kill the container",
                probe_text("liveness", p),
                p.failure_threshold.unwrap_or(3)
            ));
        }
    }
    s.push('.');
    s
}
