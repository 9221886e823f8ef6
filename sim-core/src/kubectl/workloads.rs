//! `kubectl get deployments` and `kubectl get replicasets` (pkg/printers/internalversion/
//! printers.go printDeployment, printReplicaSet).

use crate::api::{LabelSelector, LabelSelectorOperator, PodTemplateSpec};
use crate::controller::workloads::{
    CronJobRecord, DaemonSetRecord, DeploymentRecord, JobRecord, ReplicaSetRecord,
    StatefulSetRecord, Workloads,
};
use crate::time::SimTime;

use super::pods::age;
use super::table::render;

/// metav1.FormatLabelSelector: the selector's requirements sorted by key, `<none>` when empty.
pub fn format_label_selector(selector: Option<&LabelSelector>) -> String {
    let Some(s) = selector else {
        return "<none>".into();
    };
    let mut reqs: Vec<(String, String)> = s
        .match_labels
        .iter()
        .map(|(k, v)| (k.clone(), format!("{k}={v}")))
        .collect();
    for r in &s.match_expressions {
        let mut values = r.values.clone();
        values.sort();
        let text = match &r.operator {
            Some(LabelSelectorOperator::In) => format!("{} in ({})", r.key, values.join(",")),
            Some(LabelSelectorOperator::NotIn) => {
                format!("{} notin ({})", r.key, values.join(","))
            }
            Some(LabelSelectorOperator::Exists) => r.key.clone(),
            Some(LabelSelectorOperator::DoesNotExist) => format!("!{}", r.key),
            _ => continue,
        };
        reqs.push((r.key.clone(), text));
    }
    reqs.sort_by(|a, b| a.0.cmp(&b.0));
    if reqs.is_empty() {
        return "<none>".into();
    }
    reqs.into_iter()
        .map(|(_, t)| t)
        .collect::<Vec<_>>()
        .join(",")
}

/// layoutContainerCells: container names and images, comma-separated.
fn containers(t: &PodTemplateSpec) -> [String; 2] {
    let names: Vec<&str> = t.spec.containers.iter().map(|c| c.name.as_str()).collect();
    let images: Vec<&str> = t.spec.containers.iter().map(|c| c.image.as_str()).collect();
    [names.join(","), images.join(",")]
}

fn none_found(namespace: Option<&str>) -> String {
    match namespace {
        Some(ns) => format!("No resources found in {ns} namespace.\n"),
        None => "No resources found\n".to_string(),
    }
}

/// CONTAINERS, IMAGES and SELECTOR: the wide cells every workload printer shares.
fn wide_cells(t: &PodTemplateSpec, selector: Option<&LabelSelector>) -> Vec<String> {
    let [c, i] = containers(t);
    vec![c, i, format_label_selector(selector)]
}

/// One table row: namespace, name, the kind's cells and its wide cells.
type Row = (String, String, Vec<String>, Vec<String>);

const WIDE: &[&str] = &["CONTAINERS", "IMAGES", "SELECTOR"];

fn table(
    namespace: Option<&str>,
    columns: &[&str],
    wide_columns: &[&str],
    wide: bool,
    mut rows: Vec<Row>,
) -> String {
    rows.retain(|r| namespace.is_none_or(|ns| r.0 == ns));
    if rows.is_empty() {
        return none_found(namespace);
    }
    rows.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
    let mut headers = Vec::new();
    if namespace.is_none() {
        headers.push("NAMESPACE");
    }
    headers.push("NAME");
    headers.extend(columns);
    if wide {
        headers.extend(wide_columns);
    }
    let rows: Vec<Vec<String>> = rows
        .into_iter()
        .map(|(ns, name, cells, wide_cells)| {
            let mut row = Vec::new();
            if namespace.is_none() {
                row.push(ns);
            }
            row.push(name);
            row.extend(cells);
            if wide {
                row.extend(wide_cells);
            }
            row
        })
        .collect();
    render(&headers, &rows)
}

/// printDeployment's READY, UP-TO-DATE, AVAILABLE and AGE cells.
pub fn deployment_cells(d: &DeploymentRecord, now: SimTime) -> [String; 4] {
    let s = &d.status;
    [
        format!("{}/{}", s.ready_replicas, d.replicas()),
        s.updated_replicas.to_string(),
        s.available_replicas.to_string(),
        age(d.created_at, now),
    ]
}

/// `kubectl get deployments`: NAME READY UP-TO-DATE AVAILABLE AGE.
pub fn get_deployments(w: &Workloads, now: SimTime, namespace: Option<&str>, wide: bool) -> String {
    let rows = w
        .deployments()
        .map(|d| {
            let spec = &d.object.spec;
            (
                d.namespace().to_string(),
                d.name().to_string(),
                deployment_cells(d, now).to_vec(),
                wide_cells(&spec.template, spec.selector.as_ref()),
            )
        })
        .collect();
    table(
        namespace,
        &["READY", "UP-TO-DATE", "AVAILABLE", "AGE"],
        WIDE,
        wide,
        rows,
    )
}

/// printReplicaSet's DESIRED, CURRENT, READY and AGE cells.
pub fn replica_set_cells(r: &ReplicaSetRecord, now: SimTime) -> [String; 4] {
    [
        r.replicas().to_string(),
        r.status.replicas.to_string(),
        r.status.ready_replicas.to_string(),
        age(r.created_at, now),
    ]
}

/// `kubectl get replicasets`: NAME DESIRED CURRENT READY AGE.
pub fn get_replica_sets(
    w: &Workloads,
    now: SimTime,
    namespace: Option<&str>,
    wide: bool,
) -> String {
    let rows = w
        .replica_sets()
        .map(|r| {
            let spec = &r.object.spec;
            (
                r.namespace().to_string(),
                r.name().to_string(),
                replica_set_cells(r, now).to_vec(),
                wide_cells(&spec.template, spec.selector.as_ref()),
            )
        })
        .collect();
    table(
        namespace,
        &["DESIRED", "CURRENT", "READY", "AGE"],
        WIDE,
        wide,
        rows,
    )
}

/// printStatefulSet's READY and AGE cells.
pub fn stateful_set_cells(s: &StatefulSetRecord, now: SimTime) -> [String; 2] {
    [
        format!("{}/{}", s.status.ready_replicas, s.replicas()),
        age(s.created_at, now),
    ]
}

/// `kubectl get statefulsets`: NAME READY AGE.
pub fn get_stateful_sets(
    w: &Workloads,
    now: SimTime,
    namespace: Option<&str>,
    wide: bool,
) -> String {
    let rows = w
        .stateful_sets()
        .map(|s| {
            let [c, i] = containers(&s.object.spec.template);
            (
                s.namespace().to_string(),
                s.name().to_string(),
                stateful_set_cells(s, now).to_vec(),
                vec![c, i],
            )
        })
        .collect();
    // printStatefulSet's wide columns are CONTAINERS and IMAGES only.
    table(namespace, &["READY", "AGE"], &WIDE[..2], wide, rows)
}

/// printDaemonSet's DESIRED, CURRENT, READY, UP-TO-DATE, AVAILABLE, NODE SELECTOR and AGE cells.
pub fn daemon_set_cells(d: &DaemonSetRecord, now: SimTime) -> [String; 7] {
    let s = &d.status;
    let node_selector: Vec<String> = d
        .object
        .spec
        .template
        .spec
        .node_selector
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    [
        s.desired_number_scheduled.to_string(),
        s.current_number_scheduled.to_string(),
        s.number_ready.to_string(),
        s.updated_number_scheduled.to_string(),
        s.number_available.to_string(),
        if node_selector.is_empty() {
            "<none>".to_string()
        } else {
            node_selector.join(",")
        },
        age(d.created_at, now),
    ]
}

/// `kubectl get daemonsets`: NAME DESIRED CURRENT READY UP-TO-DATE AVAILABLE NODE SELECTOR AGE.
pub fn get_daemon_sets(w: &Workloads, now: SimTime, namespace: Option<&str>, wide: bool) -> String {
    let rows = w
        .daemon_sets()
        .map(|d| {
            let spec = &d.object.spec;
            (
                d.namespace().to_string(),
                d.name().to_string(),
                daemon_set_cells(d, now).to_vec(),
                wide_cells(&spec.template, spec.selector.as_ref()),
            )
        })
        .collect();
    table(
        namespace,
        &[
            "DESIRED",
            "CURRENT",
            "READY",
            "UP-TO-DATE",
            "AVAILABLE",
            "NODE SELECTOR",
            "AGE",
        ],
        WIDE,
        wide,
        rows,
    )
}

/// status.lastScheduleTime as a simulated time (the run starts at `epoch_seconds`).
pub fn last_schedule_time(c: &CronJobRecord, epoch_seconds: i64) -> Option<SimTime> {
    c.last_schedule.map(|e| {
        SimTime::ZERO + crate::time::SimDuration::from_secs((e - epoch_seconds).max(0) as u64)
    })
}

/// printCronJob's SCHEDULE, TIMEZONE, SUSPEND, ACTIVE, LAST SCHEDULE and AGE cells.
pub fn cron_job_cells(c: &CronJobRecord, now: SimTime, epoch_seconds: i64) -> [String; 6] {
    let spec = &c.object.spec;
    [
        spec.schedule.clone(),
        spec.time_zone.clone().unwrap_or_else(|| "<none>".into()),
        spec.suspend.unwrap_or(false).to_string(),
        c.active.len().to_string(),
        last_schedule_time(c, epoch_seconds).map_or_else(|| "<none>".to_string(), |t| age(t, now)),
        age(c.created_at, now),
    ]
}

/// `kubectl get cronjobs`: NAME SCHEDULE TIMEZONE SUSPEND ACTIVE LAST SCHEDULE AGE.
pub fn get_cron_jobs(
    w: &Workloads,
    now: SimTime,
    epoch_seconds: i64,
    namespace: Option<&str>,
    wide: bool,
) -> String {
    let rows = w
        .cron_jobs()
        .map(|c| {
            let job = &c.object.spec.job_template.spec;
            (
                c.namespace().to_string(),
                c.name().to_string(),
                cron_job_cells(c, now, epoch_seconds).to_vec(),
                wide_cells(&job.template, job.selector.as_ref()),
            )
        })
        .collect();
    table(
        namespace,
        &[
            "SCHEDULE",
            "TIMEZONE",
            "SUSPEND",
            "ACTIVE",
            "LAST SCHEDULE",
            "AGE",
        ],
        WIDE,
        wide,
        rows,
    )
}

/// printJob's STATUS, COMPLETIONS, DURATION and AGE cells.
pub fn job_cells(j: &JobRecord, now: SimTime) -> [String; 4] {
    let s = &j.status;
    let duration = match (s.start_time, s.completion_time) {
        (Some(start), Some(end)) => age(start, end),
        (Some(start), None) => age(start, now),
        _ => String::new(),
    };
    [
        s.column().to_string(),
        crate::controller::job::completions_column(&j.object, s.succeeded),
        duration,
        age(j.created_at, now),
    ]
}

/// `kubectl get jobs`: NAME STATUS COMPLETIONS DURATION AGE.
pub fn get_jobs(w: &Workloads, now: SimTime, namespace: Option<&str>, wide: bool) -> String {
    let rows = w
        .jobs()
        .map(|j| {
            let spec = &j.object.spec;
            (
                j.namespace().to_string(),
                j.name().to_string(),
                job_cells(j, now).to_vec(),
                wide_cells(&spec.template, spec.selector.as_ref()),
            )
        })
        .collect();
    table(
        namespace,
        &["STATUS", "COMPLETIONS", "DURATION", "AGE"],
        WIDE,
        wide,
        rows,
    )
}

/// `kubectl get poddisruptionbudgets`: NAME MIN AVAILABLE MAX UNAVAILABLE ALLOWED DISRUPTIONS AGE.
pub fn get_pdbs(
    budgets: &[(
        &crate::controller::workloads::PdbRecord,
        crate::controller::disruption::PdbStatus,
    )],
    now: SimTime,
    namespace: Option<&str>,
) -> String {
    let show = |v: &Option<crate::api::IntOrString>| match v {
        Some(crate::api::IntOrString::Int(i)) => i.to_string(),
        Some(crate::api::IntOrString::String(s)) => s.clone(),
        None => "N/A".to_string(),
    };
    let rows = budgets
        .iter()
        .map(|(r, s)| {
            (
                r.namespace().to_string(),
                r.name().to_string(),
                vec![
                    show(&r.object.spec.min_available),
                    show(&r.object.spec.max_unavailable),
                    s.disruptions_allowed.to_string(),
                    age(r.created_at, now),
                ],
                Vec::new(),
            )
        })
        .collect();
    table(
        namespace,
        &[
            "MIN AVAILABLE",
            "MAX UNAVAILABLE",
            "ALLOWED DISRUPTIONS",
            "AGE",
        ],
        &[],
        false,
        rows,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::LabelSelectorRequirement;

    #[test]
    fn selectors_print_like_kubectl() {
        let mut s = LabelSelector::default();
        assert_eq!(format_label_selector(Some(&s)), "<none>");
        s.match_labels.insert("app".into(), "web".into());
        s.match_labels
            .insert("pod-template-hash".into(), "7c9d8f6b5".into());
        s.match_expressions.push(LabelSelectorRequirement {
            key: "tier".into(),
            operator: Some(LabelSelectorOperator::In),
            values: vec!["front".into(), "back".into()],
        });
        assert_eq!(
            format_label_selector(Some(&s)),
            "app=web,pod-template-hash=7c9d8f6b5,tier in (back,front)"
        );
    }
}
