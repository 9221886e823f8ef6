//! The `workload` subject: a Deployment, ReplicaSet, StatefulSet, DaemonSet, Job or CronJob,
//! judged on the cells `kubectl get <kind>` prints (the printer functions in
//! kubectl/workloads.rs), the status counts `kubectl describe` shows, `kubectl rollout status`
//! and the object's conditions.

use std::collections::BTreeMap;

use crate::controller::workloads::Workloads;
use crate::kubectl::{rollout, workloads as printers};
use crate::time::{SimDuration, SimTime};

use super::count::Count;
use super::observe::{Field, Verdict};
use super::spec::{Cell, WorkloadKind, WorkloadSpec};

/// How a field's expected value is read.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Value {
    /// A count (`3`, `">=2"`).
    Count,
    /// A column's exact text (`3/3`, `Complete`).
    Text,
    /// A simulated time (`5m`), or `<none>`.
    Time,
}

/// The value fields each kind has, with how they are read.
pub fn fields(kind: WorkloadKind) -> &'static [(&'static str, Value)] {
    use Value::*;
    match kind {
        // printDeployment: READY UP-TO-DATE AVAILABLE; status.replicas.
        WorkloadKind::Deployment => &[
            ("ready", Text),
            ("upToDate", Count),
            ("available", Count),
            ("replicas", Count),
        ],
        // printReplicaSet: DESIRED CURRENT READY.
        WorkloadKind::ReplicaSet => &[("desired", Count), ("current", Count), ("ready", Count)],
        // printStatefulSet: READY; status.replicas.
        WorkloadKind::StatefulSet => &[("ready", Text), ("replicas", Count)],
        // printDaemonSet: DESIRED CURRENT READY UP-TO-DATE AVAILABLE.
        WorkloadKind::DaemonSet => &[
            ("desired", Count),
            ("current", Count),
            ("ready", Count),
            ("upToDate", Count),
            ("available", Count),
        ],
        // printJob: STATUS COMPLETIONS; describe's Pods Statuses: active, succeeded, failed.
        WorkloadKind::Job => &[
            ("status", Text),
            ("completions", Text),
            ("active", Count),
            ("succeeded", Count),
            ("failed", Count),
        ],
        // printCronJob: ACTIVE; status.lastScheduleTime.
        WorkloadKind::CronJob => &[("active", Count), ("lastSchedule", Time)],
    }
}

/// The condition types each kind's status carries.
pub fn condition_types(kind: WorkloadKind) -> &'static [&'static str] {
    match kind {
        WorkloadKind::Deployment => &["Available", "Progressing"],
        WorkloadKind::Job => &[
            "Complete",
            "Failed",
            "Suspended",
            "FailureTarget",
            "SuccessCriteriaMet",
        ],
        _ => &[],
    }
}

/// Checks an expected value of `kind`; Err is the problem to report.
pub fn check_value(how: Value, cell: &Cell) -> Result<(), String> {
    match how {
        Value::Count => Count::parse(&cell.0).map(|_| ()),
        Value::Text => Ok(()),
        Value::Time if cell.0 == NONE => Ok(()),
        Value::Time => cell.0.parse::<SimDuration>().map(|_| ()).map_err(|_| {
            format!(
                "expected a simulated time like 5m or \"<none>\", found \"{}\"",
                cell.0
            )
        }),
    }
}

const NONE: &str = "<none>";
const ABSENT: &str = "<no object>";

/// What kubectl shows for one workload at `now`.
struct Shown {
    cells: BTreeMap<&'static str, String>,
    /// type -> (status, reason)
    conditions: BTreeMap<&'static str, (String, String)>,
    rollout: Option<Result<(String, bool), String>>,
}

fn status(b: bool) -> String {
    if b { "True" } else { "False" }.to_string()
}

fn shown(
    w: &Workloads,
    s: &WorkloadSpec,
    ns: &str,
    now: SimTime,
    epoch_seconds: i64,
) -> Option<Shown> {
    let mut cells = BTreeMap::new();
    let mut conditions = BTreeMap::new();
    let mut rollout = None;
    match s.kind {
        WorkloadKind::Deployment => {
            let d = w.deployment(w.find_deployment(ns, &s.name)?)?;
            let [ready, up_to_date, available, _] = printers::deployment_cells(d, now);
            cells.extend([
                ("ready", ready),
                ("upToDate", up_to_date),
                ("available", available),
                ("replicas", d.status.replicas.to_string()),
            ]);
            for c in &d.status.conditions {
                conditions.insert(
                    c.type_.as_str(),
                    (c.status.as_str().to_string(), c.reason.clone()),
                );
            }
            rollout = Some(rollout::deployment_status(d));
        }
        WorkloadKind::ReplicaSet => {
            let r = w.replica_set(w.find_replica_set(ns, &s.name)?)?;
            let [desired, current, ready, _] = printers::replica_set_cells(r, now);
            cells.extend([("desired", desired), ("current", current), ("ready", ready)]);
        }
        WorkloadKind::StatefulSet => {
            let r = w.stateful_set(w.find_stateful_set(ns, &s.name)?)?;
            let [ready, _] = printers::stateful_set_cells(r, now);
            rollout = Some(rollout::stateful_set_status(r));
            cells.extend([
                ("ready", ready),
                ("replicas", r.status.replicas.to_string()),
            ]);
        }
        WorkloadKind::DaemonSet => {
            let d = w.daemon_set(w.find_daemon_set(ns, &s.name)?)?;
            let [desired, current, ready, up_to_date, available, ..] =
                printers::daemon_set_cells(d, now);
            rollout = Some(rollout::daemon_set_status(d));
            cells.extend([
                ("desired", desired),
                ("current", current),
                ("ready", ready),
                ("upToDate", up_to_date),
                ("available", available),
            ]);
        }
        WorkloadKind::Job => {
            let j = w.job(w.find_job(ns, &s.name)?)?;
            let [column, completions, ..] = printers::job_cells(j, now);
            cells.extend([
                ("status", column),
                ("completions", completions),
                ("active", j.status.active.to_string()),
                ("succeeded", j.status.succeeded.to_string()),
                ("failed", j.status.failed.to_string()),
            ]);
            for c in &j.status.conditions {
                conditions.insert(c.type_.as_str(), (status(c.status), c.reason.clone()));
            }
        }
        WorkloadKind::CronJob => {
            let c = w.cron_job(w.find_cron_job(ns, &s.name)?)?;
            let [_, _, _, active, ..] = printers::cron_job_cells(c, now, epoch_seconds);
            cells.extend([
                ("active", active),
                (
                    "lastSchedule",
                    printers::last_schedule_time(c, epoch_seconds)
                        .map_or(NONE.to_string(), |t| t.to_string()),
                ),
            ]);
        }
    }
    Some(Shown {
        cells,
        conditions,
        rollout,
    })
}

/// The workload subject at `now`. With `w` None, only the expected side is filled.
pub fn workload(
    w: Option<&Workloads>,
    now: SimTime,
    epoch_seconds: i64,
    s: &WorkloadSpec,
) -> Verdict {
    let ns = s.namespace.as_deref().unwrap_or("default");
    let shown = w.and_then(|w| shown(w, s, ns, now, epoch_seconds));
    let mut v = Verdict::default();
    let mut push = |name: String, expected: String, actual: String, holds: bool| {
        v.fields.push(Field {
            name,
            expected,
            actual,
            holds,
        })
    };
    match s.exists {
        Some(e) => push(
            "exists".into(),
            e.to_string(),
            shown.is_some().to_string(),
            e == shown.is_some(),
        ),
        None if w.is_some() && shown.is_none() => {
            push("exists".into(), "true".into(), "false".into(), false)
        }
        None => {}
    }
    let how = |name: &str| {
        fields(s.kind)
            .iter()
            .find(|(n, _)| *n == name)
            .map_or(Value::Text, |(_, h)| *h)
    };
    for (name, cell) in s.given() {
        let actual = shown
            .as_ref()
            .and_then(|sh| sh.cells.get(name).cloned())
            .unwrap_or_else(|| ABSENT.to_string());
        let (expected, holds) = match how(name) {
            Value::Count => match Count::parse(&cell.0) {
                Ok(c) => (
                    c.to_string(),
                    actual.parse::<u64>().is_ok_and(|n| c.contains(n)),
                ),
                Err(_) => (cell.0.clone(), false),
            },
            Value::Text => (cell.0.clone(), cell.0 == actual),
            Value::Time => {
                let expected = match cell.0.parse::<SimDuration>() {
                    Ok(d) => (SimTime::ZERO + d).to_string(),
                    Err(_) => cell.0.clone(),
                };
                let holds = expected == actual;
                (expected, holds)
            }
        };
        push(name.to_string(), expected, actual, holds);
    }
    if let Some(want) = s.rollout_complete {
        let (done, text) = match shown.as_ref().and_then(|sh| sh.rollout.as_ref()) {
            Some(Ok((msg, done))) => (Some(*done), msg.clone()),
            Some(Err(e)) => (Some(false), format!("error: {e}")),
            None => (None, ABSENT.to_string()),
        };
        let holds = done == Some(want);
        let actual = match done {
            Some(d) if holds => d.to_string(),
            Some(d) => format!("{d} ({text})"),
            None => text,
        };
        push("rolloutComplete".into(), want.to_string(), actual, holds);
    }
    for (t, c) in &s.conditions {
        let actual = shown
            .as_ref()
            .map(|sh| sh.conditions.get(t.as_str()).cloned());
        let get = |f: fn(&(String, String)) -> String| match &actual {
            None => ABSENT.to_string(),
            Some(None) => NONE.to_string(),
            Some(Some(pair)) => f(pair),
        };
        if let Some(st) = c.status {
            let a = get(|p| p.0.clone());
            let holds = a == st.as_str();
            push(t.clone(), st.as_str().to_string(), a, holds);
        }
        if let Some(r) = &c.reason {
            let a = get(|p| p.1.clone());
            let holds = &a == r;
            push(format!("{t}.reason"), r.clone(), a, holds);
        }
    }
    v
}
