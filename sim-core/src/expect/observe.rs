//! Judging one subject in one state of the cluster. Pod columns come from the kubectl printer
//! (`record_columns`), never re-derived here.

use std::collections::BTreeMap;

use crate::cluster::{Cluster, ContainerState, ContainerStatus, PodRecord};
use crate::kubectl::describe::node_status;
use crate::kubectl::pods::record_columns;
use crate::time::SimTime;
use crate::timeline::TimelineRecord;

use super::count::Count;
use super::spec::{
    EventSpec, EventType, ExpectationSpec, NodeSpec, PodSpec, PodsSpec, SchedulingSpec, StateKind,
};

/// Expected and actual values of the fields an expectation names, in the same order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Verdict {
    pub fields: Vec<Field>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Field {
    pub name: String,
    pub expected: String,
    pub actual: String,
    pub holds: bool,
}

impl Verdict {
    pub fn holds(&self) -> bool {
        self.fields.iter().all(|f| f.holds)
    }

    fn same(&mut self, name: &str, expected: impl ToString, actual: impl ToString) {
        let (expected, actual) = (expected.to_string(), actual.to_string());
        let holds = expected == actual;
        self.fields.push(Field {
            name: name.to_string(),
            expected,
            actual,
            holds,
        });
    }

    fn count(&mut self, name: &str, expected: Count, actual: u64) {
        self.fields.push(Field {
            name: name.to_string(),
            expected: expected.to_string(),
            actual: actual.to_string(),
            holds: expected.contains(actual),
        });
    }

    /// `status=Running ready=1/1`: the actual values.
    pub fn actual(&self) -> String {
        join(self.fields.iter().map(|f| (&f.name, &f.actual)))
    }

    /// The expected values.
    pub fn expected(&self) -> String {
        join(self.fields.iter().map(|f| (&f.name, &f.expected)))
    }
}

fn join<'a>(it: impl Iterator<Item = (&'a String, &'a String)>) -> String {
    it.map(|(n, v)| format!("{n}={v}"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// A one-line summary of what the expectation is about, for its default name.
pub fn summary(s: &ExpectationSpec) -> String {
    let expected = |v: Verdict| v.expected();
    if let Some(p) = &s.pod {
        format!("pod {}: {}", p.name, expected(pod_expected(p)))
    } else if let Some(p) = &s.pods {
        let sel = if p.selector.is_empty() {
            "all pods".to_string()
        } else {
            format!("pods {}", labels(&p.selector))
        };
        format!("{sel}: {}", expected(pods(None, SimTime::ZERO, p)))
    } else if let Some(n) = &s.node {
        format!("node {}: {}", n.name, expected(node_expected(n)))
    } else if let Some(e) = &s.event {
        let on = e
            .object
            .as_deref()
            .map(|o| format!(" on {o}"))
            .unwrap_or_default();
        format!(
            "event {}{on}: count {}",
            e.reason,
            e.count.unwrap_or(Count::AT_LEAST_ONE)
        )
    } else if let Some(sch) = &s.scheduling {
        match (&sch.placed_on, &sch.unschedulable) {
            (Some(l), _) => format!("pod {} placed on a node with {}", sch.pod, labels(l)),
            (_, Some(m)) => format!("pod {} unschedulable: {m}", sch.pod),
            _ => format!("pod {} scheduling", sch.pod),
        }
    } else if let Some(w) = &s.workload {
        format!(
            "{} {}: {}",
            format!("{:?}", w.kind).to_lowercase(),
            w.name,
            expected(super::workload::workload(None, SimTime::ZERO, 0, w))
        )
    } else if let Some(tm) = &s.timing {
        let who = tm
            .pod
            .clone()
            .unwrap_or_else(|| tm.selector.as_ref().map(labels).unwrap_or_default());
        let bound = match (tm.at_least, tm.at_most) {
            (Some(a), Some(b)) => format!("between {a} and {b}"),
            (Some(a), None) => format!(">= {a}"),
            (None, Some(b)) => format!("<= {b}"),
            (None, None) => String::new(),
        };
        let p = tm.percentile.map(|p| format!("p{p} ")).unwrap_or_default();
        format!(
            "{p}{:?}→{:?} of {who} {bound}",
            tm.from.unwrap_or(super::spec::Moment::Created),
            tm.to
        )
    } else {
        String::new()
    }
}

pub fn labels(l: &BTreeMap<String, String>) -> String {
    l.iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(",")
}

fn pod_expected(p: &PodSpec) -> Verdict {
    let mut v = Verdict::default();
    check_pod(&mut v, p, None, SimTime::ZERO);
    v
}

fn node_expected(n: &NodeSpec) -> Verdict {
    let mut v = Verdict::default();
    check_node(&mut v, n, None, SimTime::ZERO);
    v
}

/// The pod subject in the current state.
pub fn pod(cluster: &Cluster, now: SimTime, p: &PodSpec) -> Verdict {
    let ns = p.namespace.as_deref().unwrap_or("default");
    let record = cluster.find_pod(ns, &p.name).and_then(|id| cluster.pod(id));
    let mut v = Verdict::default();
    if p.exists.is_none() && record.is_none() {
        // Every named field is compared against a pod that is not there.
        v.same("exists", true, false);
    }
    check_pod(&mut v, p, record.map(|r| (cluster, r)), now);
    v
}

const ABSENT: &str = "<no pod>";

fn check_pod(v: &mut Verdict, p: &PodSpec, rec: Option<(&Cluster, &PodRecord)>, now: SimTime) {
    if let Some(e) = p.exists {
        v.same("exists", e, rec.is_some());
    }
    let cols = rec.map(|(_, r)| record_columns(r, now));
    let get =
        |f: &dyn Fn(&PodRecord) -> String| rec.map_or_else(|| ABSENT.to_string(), |(_, r)| f(r));
    if let Some(phase) = p.phase {
        v.same(
            "phase",
            phase.as_str(),
            get(&|r| r.status.phase.as_str().to_string()),
        );
    }
    if let Some(s) = &p.status {
        let actual = cols
            .as_ref()
            .map_or(ABSENT.to_string(), |c| c.status.clone());
        v.same("status", s, actual);
    }
    if let Some(s) = &p.ready {
        let actual = cols
            .as_ref()
            .map_or(ABSENT.to_string(), |c| c.ready.clone());
        v.same("ready", s, actual);
    }
    if let Some(c) = p.restarts {
        // The number in kubectl's RESTARTS column (`6 (3m50s ago)`).
        let n = cols.as_ref().and_then(|c| {
            c.restarts
                .split_whitespace()
                .next()
                .and_then(|n| n.parse::<u64>().ok())
        });
        match n {
            Some(n) => v.count("restarts", c, n),
            None => v.same("restarts", c, ABSENT),
        }
    }
    if let Some(node) = &p.node {
        let actual = get(&|r| {
            r.node
                .and_then(|id| rec.map(|(cl, _)| cl.node(id).name.clone()))
                .unwrap_or_default()
        });
        v.same("node", node, actual);
    }
    if let Some(nominated) = &p.nominated_node {
        let actual = get(&|r| r.status.nominated_node_name.clone());
        v.same("nominatedNode", nominated, actual);
    }
    for (t, s) in &p.conditions {
        let actual = get(&|r| {
            r.status
                .condition(*t)
                .map_or("<none>".to_string(), |c| c.status.as_str().to_string())
        });
        v.same(t.as_str(), s.as_str(), actual);
    }
    for (name, c) in &p.containers {
        let status = rec.and_then(|(_, r)| {
            r.status
                .init_container_statuses
                .iter()
                .chain(&r.status.container_statuses)
                .find(|s| *s.name == **name)
        });
        check_container(v, name, c, status, rec.is_some());
    }
}

fn check_container(
    v: &mut Verdict,
    name: &str,
    c: &super::spec::ContainerSpec,
    status: Option<&ContainerStatus>,
    pod_exists: bool,
) {
    let missing = if pod_exists { "<no status>" } else { ABSENT };
    let field = |f: &str| format!("{name}.{f}");
    let kind = |s: &ContainerState| match s {
        ContainerState::Waiting { .. } => "Waiting",
        ContainerState::Running { .. } => "Running",
        ContainerState::Terminated { .. } => "Terminated",
    };
    let reason = |s: &ContainerState| match s {
        ContainerState::Waiting { reason, .. } | ContainerState::Terminated { reason, .. } => {
            reason.to_string()
        }
        ContainerState::Running { .. } => String::new(),
    };
    let exit = |s: &ContainerState| match s {
        ContainerState::Terminated { exit_code, .. } => exit_code.to_string(),
        _ => "<not terminated>".to_string(),
    };
    let or = |f: &dyn Fn(&ContainerStatus) -> String| status.map_or(missing.to_string(), f);
    if let Some(k) = c.state {
        let k = match k {
            StateKind::Waiting => "Waiting",
            StateKind::Running => "Running",
            StateKind::Terminated => "Terminated",
        };
        v.same(&field("state"), k, or(&|s| kind(&s.state).to_string()));
    }
    if let Some(r) = &c.reason {
        v.same(&field("reason"), r, or(&|s| reason(&s.state)));
    }
    if let Some(e) = c.exit_code {
        v.same(&field("exitCode"), e, or(&|s| exit(&s.state)));
    }
    if let Some(r) = c.ready {
        v.same(&field("ready"), r, or(&|s| s.ready.to_string()));
    }
    if let Some(n) = c.restarts {
        match status {
            Some(s) => v.count(&field("restarts"), n, u64::from(s.restart_count)),
            None => v.same(&field("restarts"), n, missing),
        }
    }
    if let Some(l) = &c.last_state {
        let last = |f: &dyn Fn(&ContainerState) -> String| {
            or(&|s| s.last_state.as_ref().map_or("<none>".to_string(), f))
        };
        if let Some(r) = &l.reason {
            v.same(&field("lastState.reason"), r, last(&reason));
        }
        if let Some(e) = l.exit_code {
            v.same(&field("lastState.exitCode"), e, last(&exit));
        }
    }
}

/// Pods selected by labels (and namespace), in name order.
pub fn selected<'a>(
    cluster: &'a Cluster,
    selector: &'a BTreeMap<String, String>,
    namespace: Option<&'a str>,
) -> impl Iterator<Item = &'a PodRecord> {
    cluster.pods().filter(move |p| {
        namespace.is_none_or(|n| p.namespace() == n)
            && selector
                .iter()
                .all(|(k, v)| p.pod.metadata.labels.get(k) == Some(v))
    })
}

/// The pods subject. With `cluster` None, only the expected side is filled.
pub fn pods(cluster: Option<&Cluster>, now: SimTime, p: &PodsSpec) -> Verdict {
    let empty = Cluster::new();
    let cluster = cluster.unwrap_or(&empty);
    let pods: Vec<&PodRecord> = selected(cluster, &p.selector, p.namespace.as_deref()).collect();
    let mut v = Verdict::default();
    if let Some(c) = p.count {
        v.count("count", c, pods.len() as u64);
    }
    for (phase, c) in &p.phases {
        let n = pods.iter().filter(|r| r.status.phase == *phase).count();
        v.count(phase.as_str(), *c, n as u64);
    }
    for (status, c) in &p.statuses {
        let n = pods
            .iter()
            .filter(|r| &record_columns(r, now).status == status)
            .count();
        v.count(status, *c, n as u64);
    }
    if let Some(all) = p.all_ready {
        let ready = !pods.is_empty()
            && pods.iter().all(|r| {
                r.status
                    .is_condition_true(crate::cluster::ConditionType::Ready)
            });
        v.same("allReady", all, ready);
    }
    v
}

pub fn node(cluster: &Cluster, n: &NodeSpec) -> Verdict {
    let mut v = Verdict::default();
    let rec = cluster.find_node(&n.name).map(|id| cluster.node(id));
    check_node(&mut v, n, rec.map(|r| (cluster, r)), SimTime::ZERO);
    v
}

fn check_node(
    v: &mut Verdict,
    n: &NodeSpec,
    rec: Option<(&Cluster, &crate::cluster::NodeRecord)>,
    _now: SimTime,
) {
    const NO_NODE: &str = "<no node>";
    if let Some(e) = n.exists {
        v.same("exists", e, rec.is_some());
    }
    if let Some(s) = &n.status {
        v.same(
            "status",
            s,
            rec.map_or(NO_NODE.to_string(), |(_, r)| node_status(r)),
        );
    }
    if let Some(u) = n.unschedulable {
        v.same(
            "unschedulable",
            u,
            rec.map_or(NO_NODE.to_string(), |(_, r)| r.unschedulable.to_string()),
        );
    }
    for taint in &n.taints {
        let has = rec.is_some_and(|(_, r)| {
            super::parse_taint(taint).is_some_and(|(k, val, effect)| {
                r.taints.iter().any(|t| {
                    t.key == k
                        && t.value == val
                        && t.effect
                            .as_ref()
                            .is_some_and(|e| format!("{e:?}") == effect)
                })
            })
        });
        v.same(
            &format!("taint {taint}"),
            "present",
            if has { "present" } else { "absent" },
        );
    }
    for (t, c) in &n.conditions {
        // `resolve` rejects types a node does not carry.
        let actual = rec.and_then(|(_, r)| {
            crate::controller::nodelifecycle::node_conditions(r.ready, r.ready_reason)
                .into_iter()
                .find(|cond| cond.type_ == t.as_str())
        });
        if let Some(st) = c.status {
            v.same(
                t,
                st.as_str(),
                actual.as_ref().map_or(NO_NODE, |a| a.status.as_str()),
            );
        }
        if let Some(reason) = &c.reason {
            v.same(
                &format!("{t}.reason"),
                reason,
                actual.as_ref().map_or(NO_NODE, |a| a.reason),
            );
        }
    }
    if let Some(c) = n.pods {
        let count = rec.map_or(0, |(cl, r)| {
            r.pods
                .iter()
                .filter_map(|id| cl.pod(*id))
                .filter(|p| !p.status.phase.is_terminal() && p.node == Some(r.id))
                .count()
        });
        v.count("pods", c, count as u64);
    }
}

/// Whether a timeline row is an occurrence of the Event the expectation counts.
pub fn event_matches(e: &EventSpec, r: &TimelineRecord) -> bool {
    let type_ok = match e.type_ {
        None => r.event == "Normal" || r.event == "Warning",
        Some(EventType::Normal) => r.event == "Normal",
        Some(EventType::Warning) => r.event == "Warning",
    };
    type_ok
        && r.reason == e.reason
        && e.object.as_deref().is_none_or(|o| r.name == o)
        && e.namespace.as_deref().is_none_or(|n| r.namespace == n)
        && e.message_contains
            .as_deref()
            .is_none_or(|m| r.message.contains(m))
}

pub fn event(e: &EventSpec, occurrences: u64) -> Verdict {
    let mut v = Verdict::default();
    v.count("count", e.count.unwrap_or(Count::AT_LEAST_ONE), occurrences);
    v
}

pub fn scheduling(cluster: &Cluster, s: &SchedulingSpec) -> Verdict {
    let ns = s.namespace.as_deref().unwrap_or("default");
    let rec = cluster.find_pod(ns, &s.pod).and_then(|id| cluster.pod(id));
    let mut v = Verdict::default();
    let node = rec.and_then(|r| r.node).map(|id| cluster.node(id));
    if let Some(want) = &s.placed_on {
        let actual = match (rec, node) {
            (None, _) => ABSENT.to_string(),
            (Some(_), None) => "<not bound>".to_string(),
            (Some(_), Some(n)) => {
                let shown: BTreeMap<String, String> = want
                    .keys()
                    .map(|k| (k.clone(), n.labels.get(k).cloned().unwrap_or_default()))
                    .collect();
                labels(&shown)
            }
        };
        v.same("node labels", labels(want), actual);
    }
    if let Some(msg) = &s.unschedulable {
        let actual = match (rec, node) {
            (None, _) => ABSENT.to_string(),
            (Some(_), Some(n)) => format!("<bound to {}>", n.name),
            (Some(_), None) => cluster
                .events_for("Pod", ns, &s.pod)
                .filter(|e| e.reason == "FailedScheduling")
                .max_by_key(|e| e.last_timestamp)
                .map_or("<no FailedScheduling event>".to_string(), |e| {
                    e.message.to_string()
                }),
        };
        v.same("FailedScheduling", msg, actual);
    }
    v
}
