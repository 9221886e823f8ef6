//! Expectations: what a scenario states must happen, checked by `kubesim test`.
//!
//! A scenario's `spec.expectations` decode into `spec` types; `resolve` checks their meaning
//! (one time clause, one subject) at load time. `eval` runs the simulation batch by batch and
//! judges every expectation against the cluster as kubectl would show it (STATUS, READY and
//! RESTARTS come from the kubectl printer) and against the timeline (Events, timings);
//! `stats` folds the verdicts of many seeds.

pub mod count;
pub mod eval;
mod observe;
pub mod spec;
pub mod stats;
pub mod workload;

use std::collections::{BTreeMap, BTreeSet};

use crate::time::{SimDuration, SimTime};

pub use count::{Count, Share};
pub use spec::ExpectationSpec;

/// When an expectation must hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum When {
    /// In the state after every event at or before this time.
    At(SimTime),
    /// In some state at or before the deadline.
    By(SimTime),
    /// In every state of the window.
    Always(Window),
    /// In no state of the window.
    Never(Window),
    /// In some state of the window (`eventually: {after, within}`).
    Eventually(Window),
    /// Over the whole run (timing metrics).
    Run,
}

/// An inclusive window of simulated time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Window {
    pub from: SimTime,
    pub until: SimTime,
}

impl Window {
    pub fn contains(&self, t: SimTime) -> bool {
        self.from <= t && t <= self.until
    }
}

/// A resolved expectation.
#[derive(Clone, Debug)]
pub struct Expectation {
    /// Position in `spec.expectations`.
    pub index: usize,
    /// Line of the expectation in the scenario file.
    pub line: u32,
    pub name: String,
    pub when: When,
    pub spec: ExpectationSpec,
    pub in_at_least: Option<Share>,
}

/// A problem with an expectation, reported by the loader at `path`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub path: String,
    pub message: String,
    pub help: String,
}

fn t(d: SimDuration) -> SimTime {
    SimTime::ZERO + d
}

impl When {
    /// Short text for output: `at 10m`, `always from 1m`.
    pub fn describe(&self, run_end: SimTime) -> String {
        let window = |w: &Window| {
            let mut s = String::new();
            if w.from != SimTime::ZERO {
                s.push_str(&format!(" from {}", w.from));
            }
            if w.until != run_end {
                s.push_str(&format!(" until {}", w.until));
            }
            s
        };
        match self {
            When::At(x) => format!("at {x}"),
            When::By(x) => format!("by {x}"),
            When::Always(w) => format!("always{}", window(w)),
            When::Never(w) => format!("never{}", window(w)),
            When::Eventually(w) => format!("between {} and {}", w.from, w.until),
            When::Run => "over the run".to_string(),
        }
    }
}

/// What the scenario defines, for checking the names expectations use.
#[derive(Debug, Default)]
pub struct Known {
    pub nodes: BTreeSet<String>,
    /// Container names (init containers included) of every pod the scenario creates, by
    /// (namespace, name). Pods created by controllers are not listed and not checked.
    pub containers: BTreeMap<(String, String), Vec<String>>,
}

/// Checks the meaning of decoded expectations: exactly one time clause (none for `timing`),
/// exactly one subject, times inside the run, nodes and containers that exist. `line_of` maps
/// a field path to its line in the scenario file.
pub fn resolve(
    specs: &[ExpectationSpec],
    until: SimDuration,
    known: &Known,
    line_of: &dyn Fn(&str) -> u32,
) -> (Vec<Expectation>, Vec<Problem>) {
    let nodes = &known.nodes;
    let mut out = Vec::new();
    let mut problems = Vec::new();
    let end = t(until);
    for (i, s) in specs.iter().enumerate() {
        let path = format!("spec.expectations[{i}]");
        let mut problem = |field: &str, message: String, help: &str| {
            problems.push(Problem {
                path: if field.is_empty() {
                    path.clone()
                } else {
                    format!("{path}.{field}")
                },
                message,
                help: help.to_string(),
            })
        };
        let subjects: Vec<&str> = [
            ("pod", s.pod.is_some()),
            ("pods", s.pods.is_some()),
            ("node", s.node.is_some()),
            ("event", s.event.is_some()),
            ("scheduling", s.scheduling.is_some()),
            ("timing", s.timing.is_some()),
            ("workload", s.workload.is_some()),
        ]
        .into_iter()
        .filter_map(|(n, set)| set.then_some(n))
        .collect();
        if subjects.len() != 1 {
            problem(
                "",
                format!(
                    "an expectation needs exactly one subject (pod, pods, node, event, scheduling, timing, workload); found {}",
                    if subjects.is_empty() {
                        "none".to_string()
                    } else {
                        subjects.join(", ")
                    }
                ),
                "split it into one expectation per subject",
            );
            continue;
        }
        let window = |w: &spec::WindowSpec| Window {
            from: w.from.map_or(SimTime::ZERO, t),
            until: w.until.map_or(end, t),
        };
        let whens: Vec<(&str, When)> = [
            ("at", s.at.map(|d| When::At(t(d)))),
            ("by", s.by.map(|d| When::By(t(d)))),
            ("always", s.always.as_ref().map(|w| When::Always(window(w)))),
            ("never", s.never.as_ref().map(|w| When::Never(window(w)))),
            (
                "eventually",
                s.eventually.as_ref().map(|e| {
                    When::Eventually(Window {
                        from: t(e.after),
                        until: t(e.after) + e.within,
                    })
                }),
            ),
        ]
        .into_iter()
        .filter_map(|(n, w)| w.map(|w| (n, w)))
        .collect();
        let when = if s.timing.is_some() {
            if let Some((name, _)) = whens.first() {
                problem(
                    name,
                    format!(
                        "a timing expectation is judged over the whole run and takes no `{name}`"
                    ),
                    "remove it; bound the value with atMost / atLeast",
                );
                continue;
            }
            When::Run
        } else {
            match whens.as_slice() {
                [(_, w)] => *w,
                [] => {
                    problem(
                        "",
                        "an expectation needs one of at, by, always, never, eventually".to_string(),
                        "e.g. `at: 10m`, `by: 30s`, `always: {}`, `never: {from: 1m}`, `eventually: {after: 2m, within: 30s}`",
                    );
                    continue;
                }
                many => {
                    let names: Vec<&str> = many.iter().map(|(n, _)| *n).collect();
                    problem(
                        names[1],
                        format!(
                            "an expectation takes one of at, by, always, never, eventually; found {}",
                            names.join(", ")
                        ),
                        "split it into one expectation per time clause",
                    );
                    continue;
                }
            }
        };
        let late = match when {
            When::At(x) | When::By(x) => (x > end).then_some(x),
            When::Always(w) | When::Never(w) | When::Eventually(w) => {
                if w.from > w.until {
                    problem(
                        "",
                        format!("the window {}..{} is empty", w.from, w.until),
                        "`from` must not be after `until`",
                    );
                    continue;
                }
                (w.until > end).then_some(w.until)
            }
            When::Run => None,
        };
        if let Some(x) = late {
            problem(
                subjects_when_field(s),
                format!("{x} is after the end of the run ({end})"),
                "raise spec.run.until, or check an earlier time",
            );
            continue;
        }
        if let Some(n) = &s.node
            && !nodes.contains(&n.name)
        {
            let known: Vec<&str> = nodes.iter().map(String::as_str).take(5).collect();
            problem(
                "node.name",
                format!("no node named \"{}\"", n.name),
                &format!("nodes are named like {}", known.join(", ")),
            );
            continue;
        }
        if let Some(n) = &s.node {
            for (k, taint) in n.taints.iter().enumerate() {
                if parse_taint(taint).is_none() {
                    problem(
                        &format!("node.taints[{k}]"),
                        format!("expected a taint like key=value:NoSchedule, found \"{taint}\""),
                        "effects are NoSchedule, PreferNoSchedule, NoExecute",
                    );
                }
            }
        }
        if let Some(n) = &s.node {
            let types = crate::controller::nodelifecycle::NODE_CONDITION_TYPES;
            for t in n.conditions.keys().filter(|t| !types.contains(&t.as_str())) {
                problem(
                    &format!("node.conditions.{t}"),
                    format!("kubesim models no node condition \"{t}\""),
                    "nodes carry MemoryPressure, DiskPressure, PIDPressure and Ready: `conditions: {Ready: {status: Unknown}}`",
                );
            }
        }
        if let Some(w) = &s.workload {
            check_workload(w, &mut problem);
        }
        if let Some(p) = &s.pod {
            let ns = p.namespace.as_deref().unwrap_or("default");
            if let Some(names) = known.containers.get(&(ns.to_string(), p.name.clone())) {
                for c in p.containers.keys().filter(|c| !names.contains(c)) {
                    problem(
                        &format!("pod.containers.{c}"),
                        format!("pod {} has no container \"{c}\"", p.name),
                        &format!("its containers are {}", names.join(", ")),
                    );
                }
            }
        }
        if let Some(sch) = &s.scheduling
            && sch.placed_on.is_some() == sch.unschedulable.is_some()
        {
            problem(
                "scheduling",
                "give exactly one of placedOn or unschedulable".to_string(),
                "placedOn: {labels...} checks where the pod went; unschedulable: <message> checks why it did not",
            );
            continue;
        }
        if let Some(tm) = &s.timing {
            if tm.pod.is_some() == tm.selector.is_some() {
                problem(
                    "timing",
                    "give exactly one of pod or selector".to_string(),
                    "pod: <name> times one pod; selector: {app: web} times every matching pod",
                );
                continue;
            }
            if tm.at_most.is_none() && tm.at_least.is_none() {
                problem(
                    "timing",
                    "a timing expectation needs atMost or atLeast".to_string(),
                    "e.g. `atMost: 10s`",
                );
                continue;
            }
            if tm.percentile.is_some_and(|p| p == 0 || p > 100) {
                problem(
                    "timing.percentile",
                    "a percentile is between 1 and 100".to_string(),
                    "e.g. `percentile: 95`",
                );
                continue;
            }
        }
        let expectation = Expectation {
            index: i,
            line: line_of(&path),
            name: s.name.clone().unwrap_or_default(),
            when,
            spec: s.clone(),
            in_at_least: s.in_at_least,
        };
        let name = if expectation.name.is_empty() {
            format!(
                "{} {}",
                expectation.when.describe(end),
                observe::summary(&expectation.spec)
            )
            .trim()
            .to_string()
        } else {
            expectation.name.clone()
        };
        out.push(Expectation {
            name,
            ..expectation
        });
    }
    (out, problems)
}

/// A workload expectation names only fields and conditions its kind has, with values of the
/// right type.
fn check_workload(w: &spec::WorkloadSpec, problem: &mut dyn FnMut(&str, String, &str)) {
    let kind = format!("{:?}", w.kind);
    let fields = workload::fields(w.kind);
    let names: Vec<&str> = fields.iter().map(|(n, _)| *n).collect();
    for (name, cell) in w.given() {
        match fields.iter().find(|(n, _)| *n == name) {
            None => problem(
                &format!("workload.{name}"),
                format!("a {kind} has no field `{name}`"),
                &format!("its fields are {}", names.join(", ")),
            ),
            Some((_, how)) => {
                if let Err(e) = workload::check_value(*how, cell) {
                    problem(
                        &format!("workload.{name}"),
                        e,
                        "see docs/scenario-format.md §13",
                    );
                }
            }
        }
    }
    let has_rollout_status = matches!(
        w.kind,
        spec::WorkloadKind::Deployment
            | spec::WorkloadKind::StatefulSet
            | spec::WorkloadKind::DaemonSet
    );
    if w.rollout_complete.is_some() && !has_rollout_status {
        problem(
            "workload.rolloutComplete",
            format!(
                "rolloutComplete applies to a Deployment, StatefulSet or DaemonSet, not a {kind}"
            ),
            "check its replicas with the kind's own fields",
        );
    }
    let types = workload::condition_types(w.kind);
    for t in w.conditions.keys().filter(|t| !types.contains(&t.as_str())) {
        problem(
            &format!("workload.conditions.{t}"),
            format!("a {kind} has no condition \"{t}\""),
            &if types.is_empty() {
                format!("kubesim records no conditions for a {kind}")
            } else {
                format!("its conditions are {}", types.join(", "))
            },
        );
    }
}

fn subjects_when_field(s: &ExpectationSpec) -> &'static str {
    if s.at.is_some() {
        "at"
    } else if s.by.is_some() {
        "by"
    } else if s.always.is_some() {
        "always"
    } else if s.never.is_some() {
        "never"
    } else {
        "eventually"
    }
}

/// `key[=value]:Effect` → (key, value, effect).
pub fn parse_taint(text: &str) -> Option<(&str, &str, &str)> {
    let (kv, effect) = text.rsplit_once(':')?;
    if !matches!(effect, "NoSchedule" | "PreferNoSchedule" | "NoExecute") || kv.is_empty() {
        return None;
    }
    let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
    Some((k, v, effect))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(yaml: &str) -> Vec<String> {
        let docs = crate::yaml::parse_documents(yaml).expect("yaml");
        let specs: Vec<ExpectationSpec> =
            serde_json::from_value(crate::yaml::to_json(&docs[0].root)).expect("decodes");
        let known = Known {
            nodes: BTreeSet::from(["worker-1".to_string()]),
            containers: BTreeMap::from([(
                ("default".to_string(), "a".to_string()),
                vec!["init".to_string(), "app".to_string()],
            )]),
        };
        let (_, p) = resolve(&specs, SimDuration::from_mins(1), &known, &|_| 1);
        p.into_iter()
            .map(|p| format!("{}: {}", p.path, p.message))
            .collect()
    }

    #[test]
    fn meaning_is_checked_at_load() {
        assert_eq!(
            problems("- {at: 1s, by: 2s, pod: {name: a}}"),
            [
                "spec.expectations[0].by: an expectation takes one of at, by, always, never, eventually; found at, by"
            ]
        );
        assert_eq!(
            problems("- {at: 1s}"),
            [
                "spec.expectations[0]: an expectation needs exactly one subject (pod, pods, node, event, scheduling, timing, workload); found none"
            ]
        );
        assert_eq!(
            problems("- {pod: {name: a}}"),
            ["spec.expectations[0]: an expectation needs one of at, by, always, never, eventually"]
        );
        assert_eq!(
            problems("- {at: 2m, pod: {name: a}}"),
            ["spec.expectations[0].at: 2m0s is after the end of the run (1m0s)"]
        );
        assert_eq!(
            problems("- {always: {from: 30s, until: 10s}, pod: {name: a}}"),
            ["spec.expectations[0]: the window 30s..10s is empty"]
        );
        assert_eq!(
            problems("- {at: 1s, node: {name: worker-2}}"),
            ["spec.expectations[0].node.name: no node named \"worker-2\""]
        );
        assert_eq!(
            problems("- {at: 1s, node: {name: worker-1, taints: [gpu]}}"),
            [
                "spec.expectations[0].node.taints[0]: expected a taint like key=value:NoSchedule, found \"gpu\""
            ]
        );
        assert_eq!(
            problems("- {at: 1s, timing: {pod: a, to: Ready, atMost: 1s}}"),
            [
                "spec.expectations[0].at: a timing expectation is judged over the whole run and takes no `at`"
            ]
        );
        assert_eq!(
            problems("- {timing: {pod: a, to: Ready}}"),
            ["spec.expectations[0].timing: a timing expectation needs atMost or atLeast"]
        );
        assert_eq!(
            problems("- {at: 1s, scheduling: {pod: a}}"),
            ["spec.expectations[0].scheduling: give exactly one of placedOn or unschedulable"]
        );
        assert_eq!(
            problems("- {at: 1s, pod: {name: a, containers: {job: {state: Running}, app: {}}}}"),
            ["spec.expectations[0].pod.containers.job: pod a has no container \"job\""]
        );
        assert_eq!(
            problems("- {at: 1s, workload: {kind: Deployment, name: web, succeeded: 1}}"),
            ["spec.expectations[0].workload.succeeded: a Deployment has no field `succeeded`"]
        );
        assert_eq!(
            problems("- {at: 1s, workload: {kind: Job, name: pi, failed: \"some\"}}"),
            [
                "spec.expectations[0].workload.failed: expected a count like 3, \">=3\", \"<2\" or \"3..7\", found \"some\""
            ]
        );
        assert_eq!(
            problems("- {at: 1s, workload: {kind: Job, name: pi, rolloutComplete: true}}"),
            [
                "spec.expectations[0].workload.rolloutComplete: rolloutComplete applies to a Deployment, StatefulSet or DaemonSet, not a Job"
            ]
        );
        assert_eq!(
            problems(
                "- {at: 1s, workload: {kind: Deployment, name: web, conditions: {Complete: {status: \"True\"}}}}"
            ),
            [
                "spec.expectations[0].workload.conditions.Complete: a Deployment has no condition \"Complete\""
            ]
        );
        assert_eq!(
            problems("- {at: 1s, workload: {kind: CronJob, name: c, lastSchedule: soon}}"),
            [
                "spec.expectations[0].workload.lastSchedule: expected a simulated time like 5m or \"<none>\", found \"soon\""
            ]
        );
        assert_eq!(
            problems(
                "- {at: 1s, node: {name: worker-1, conditions: {NetworkUnavailable: {status: \"False\"}}}}"
            ),
            [
                "spec.expectations[0].node.conditions.NetworkUnavailable: kubesim models no node condition \"NetworkUnavailable\""
            ]
        );
        assert!(
            problems(
                "- {at: 1s, workload: {kind: Deployment, name: web, ready: 3/3, upToDate: \">=2\", rolloutComplete: true, conditions: {Progressing: {status: \"True\", reason: NewReplicaSetAvailable}}}}"
            )
            .is_empty()
        );
        assert!(
            problems(
                "- {by: 30s, pods: {selector: {app: web}, count: \">=2\"}, inAtLeast: \"95%\"}"
            )
            .is_empty()
        );
    }
}
