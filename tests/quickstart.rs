//! The README's first command: the Pod guide's my-nginx-pod goes Pending -> ContainerCreating ->
//! Running, is deleted at 2m, shows Terminating and is gone after its grace period; and
//! `get pods` tells the same story as the timeline at every time.

mod common;

use sim_core::engine::Simulation;
use sim_core::kubectl::pods::{get_pods, record_columns};
use sim_core::time::{SimDuration, SimTime};

#[test]
fn my_nginx_pod_lifecycle() {
    let scenario = common::load(&common::repo().join("scenarios/quickstart.yaml"));
    let sim = common::run(&scenario, None);
    let records = sim.timeline().records();
    let statuses: Vec<&str> = records
        .iter()
        .filter(|r| r.name == "my-nginx-pod" && r.event == "Status")
        .map(|r| r.to.as_str())
        .collect();
    assert_eq!(
        statuses,
        [
            "Pending",
            "ContainerCreating",
            "Running",
            "Terminating",
            "Completed"
        ]
    );
    let deleted = records
        .iter()
        .find(|r| r.name == "my-nginx-pod" && r.event == "Deleted")
        .expect("deleted");
    let terminating = records
        .iter()
        .find(|r| r.event == "Status" && r.to == "Terminating")
        .expect("terminating");
    assert_eq!(terminating.time, SimTime::ZERO + SimDuration::from_mins(2));
    assert!(
        deleted.time > terminating.time
            && deleted.time < terminating.time + SimDuration::from_secs(30)
    );
    let reasons: Vec<&str> = records
        .iter()
        .filter(|r| r.name == "my-nginx-pod" && (r.event == "Normal" || r.event == "Warning"))
        .map(|r| r.reason.as_str())
        .collect();
    assert_eq!(
        reasons,
        [
            "Scheduled",
            "Pulling",
            "Pulled",
            "Created",
            "Started",
            "Killing"
        ]
    );
}

#[test]
fn timeline_and_get_pods_agree_at_every_change() {
    let scenario = common::load(&common::repo().join("scenarios/quickstart.yaml"));
    let full = common::run(&scenario, None);
    for r in full
        .timeline()
        .records()
        .iter()
        .filter(|r| r.event == "Status")
    {
        let mut sim = Simulation::new(scenario.clone(), common::options(&scenario, None));
        sim.run_until(r.time);
        match sim.cluster().find_pod(&r.namespace, &r.name) {
            Some(id) => {
                let pod = sim.cluster().pod(id).expect("pod");
                assert_eq!(record_columns(pod, r.time).status, r.to, "at {}", r.time);
            }
            None => {
                // Removed in the same instant it reached its last status.
                assert!(
                    full.timeline()
                        .records()
                        .iter()
                        .any(|d| d.event == "Deleted" && d.time == r.time)
                );
            }
        }
        let table = get_pods(sim.cluster(), r.time, Some("default"), false);
        assert!(
            table.contains(r.to.as_str()) || table.starts_with("No resources"),
            "at {}: {table}",
            r.time
        );
    }
}

/// The same check for every bundled scenario: at each STATUS change in the timeline (up to 25
/// per scenario, to bound the time), `get pods` shows that STATUS for that pod.
#[test]
fn timeline_and_get_pods_agree_in_every_scenario() {
    for path in common::all_scenarios() {
        let scenario = common::load(&path);
        let full = common::run(&scenario, None);
        let changes: Vec<_> = full
            .timeline()
            .records()
            .iter()
            .filter(|r| r.event == "Status" && r.kind == "Pod")
            .take(25)
            .cloned()
            .collect();
        for r in changes {
            let mut sim = Simulation::new(scenario.clone(), common::options(&scenario, None));
            sim.run_until(r.time);
            let Some(id) = sim.cluster().find_pod(&r.namespace, &r.name) else {
                assert!(
                    full.timeline()
                        .records()
                        .iter()
                        .any(|d| d.event == "Deleted" && d.time == r.time && d.name == r.name),
                    "{}: {} missing at {}",
                    path.display(),
                    r.name,
                    r.time
                );
                continue;
            };
            let pod = sim.cluster().pod(id).expect("pod");
            assert_eq!(
                record_columns(pod, r.time).status,
                r.to.as_str(),
                "{}: {} at {}",
                path.display(),
                r.name,
                r.time
            );
        }
    }
}
