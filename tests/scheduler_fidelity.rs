//! kube-scheduler fidelity end to end: who reports the scheduler's events, when a binding
//! becomes visible, and how an attempt that fails with an error is retried.

mod common;

use std::sync::Arc;

use sim_core::cluster::{ConditionStatus, ConditionType};
use sim_core::engine::Simulation;
use sim_core::kubectl::pods::get_pods;
use sim_core::time::{SimDuration, SimTime};

fn at(ms: u64) -> SimTime {
    SimTime::ZERO + SimDuration::from_millis(ms)
}

/// profile.go NewMap builds each profile's recorder with its schedulerName: a pod scheduled
/// by `bin-packing-scheduler` gets its `Scheduled` event from that component, in the timeline
/// and in the API's Events (`kubectl describe pod`'s From column).
#[test]
fn events_come_from_the_profiles_scheduler_name() {
    let scenario = common::load(&common::repo().join("scenarios/scheduling/bin-packing.yaml"));
    let sim = common::run(&scenario, None);
    let source = |pod: &str| {
        let r = sim
            .timeline()
            .records()
            .iter()
            .find(|r| r.name == pod && r.event == "Normal" && r.reason == "Scheduled")
            .unwrap_or_else(|| panic!("{pod} is scheduled"));
        r.from.to_string()
    };
    assert_eq!(source("packed-1"), "bin-packing-scheduler");
    assert_eq!(source("spread-1"), "default-scheduler");
    let events: Vec<_> = sim
        .cluster()
        .events_for("Pod", "default", "packed-1")
        .map(|e| (e.reason.to_string(), e.source.to_string()))
        .collect();
    assert!(
        events.contains(&("Scheduled".into(), "bin-packing-scheduler".into())),
        "{events:?}"
    );
}

/// bindingCycle: `Scheduled` is reported after Bind succeeds, when the binding lands
/// (`timings.bindingLatency` after the cycle that assumed the pod), together with
/// spec.nodeName and PodScheduled=True; `kubectl get pods` shows no node before that.
#[test]
fn scheduled_event_node_and_condition_land_with_the_binding() {
    let scenario = common::load_text(
        r#"
apiVersion: kubesim.io/v1alpha1
kind: Scenario
metadata: {name: bind-time}
spec:
  run: {until: 5s}
  timings: {watchLatency: 5ms, schedulingLatency: 2ms, bindingLatency: 300ms}
  cluster:
    nodePools:
    - {name: worker, count: 1, capacity: {cpu: "2", memory: 4Gi}}
  workloads:
  - manifest: {apiVersion: v1, kind: Pod, metadata: {name: web}, spec: {containers: [{name: c, image: "nginx:1.27"}]}}
"#,
    );
    let mut sim = Simulation::new(Arc::clone(&scenario), common::options(&scenario, None));
    // Assumed at 7ms (watch + one cycle), bound at 307ms.
    for (t, bound) in [(7, false), (306, false), (307, true)] {
        sim.run_until(at(t));
        let c = sim.cluster();
        let p = c.pods().find(|p| p.name() == "web").expect("web");
        assert_eq!(p.node.is_some(), bound, "spec.nodeName at {t}ms");
        let scheduled = p
            .status
            .condition(ConditionType::PodScheduled)
            .is_some_and(|c| c.status == ConditionStatus::True);
        assert_eq!(scheduled, bound, "PodScheduled=True at {t}ms");
        let table = get_pods(c, at(t), None, true);
        assert_eq!(
            table.contains("worker-1"),
            bound,
            "get pods -o wide at {t}ms:\n{table}"
        );
        let event = sim
            .timeline()
            .records()
            .iter()
            .find(|r| r.name == "web" && r.reason == "Scheduled");
        assert_eq!(event.is_some(), bound, "Scheduled event by {t}ms");
        if let Some(e) = event {
            assert_eq!(e.time, at(307));
            assert_eq!(e.message, "Successfully assigned default/web to worker-1");
        }
    }
}

/// A Filter error (NodePorts without its PreFilter state) fails the attempt with reason
/// SchedulerError and the error's text, and the pod is retried after each back-off with no
/// cluster event (handleSchedulingFailure, AddUnschedulableIfNotPresent with no rejector
/// plugins); a FitError from the same profile waits in the unschedulable pool.
#[test]
fn errors_back_off_fit_errors_wait_for_an_event() {
    let scenario =
        common::load(&common::repo().join("scenarios/scheduling/scheduler-errors-back-off.yaml"));
    let sim = common::run(&scenario, None);
    let attempts = |pod: &str| -> Vec<(SimTime, String)> {
        sim.timeline()
            .records()
            .iter()
            .filter(|r| r.name == pod && r.reason == "FailedScheduling")
            .map(|r| (r.time, r.message.to_string()))
            .collect()
    };
    let web = attempts("web");
    let times: Vec<SimTime> = web.iter().map(|(t, _)| *t).collect();
    assert_eq!(
        times,
        [7, 2002, 5002, 10002, 19002, 30002].map(at),
        "{web:?}"
    );
    assert_eq!(
        web[0].1,
        "running \"NodePorts\" filter plugin: reading \"PreFilterNodePorts\" from cycleState: not found"
    );
    let c = sim.cluster();
    let p = c.pods().find(|p| p.name() == "web").expect("web");
    let cond = p
        .status
        .condition(ConditionType::PodScheduled)
        .expect("PodScheduled");
    assert_eq!(
        (cond.status, cond.reason.as_str()),
        (ConditionStatus::False, "SchedulerError")
    );
    let api = attempts("api");
    assert_eq!(api.len(), 6, "{api:?}");
    assert_eq!(
        api[0].1,
        "running Score plugins: plugin \"TaintToleration\" failed with: failed to read \"PreScoreTaintToleration\" from cycleState: not found"
    );
    let pinned = attempts("pinned");
    assert_eq!(pinned.len(), 1, "{pinned:?}");
    let plain = c.pods().find(|p| p.name() == "plain").expect("plain");
    assert!(plain.node.is_some());
}

/// A profile's events all carry its name: FailedScheduling and Scheduled for the preemptor,
/// Preempted for its victim (preemption.go records it through the profile's handle).
#[test]
fn preemption_events_come_from_the_preemptors_profile() {
    let scenario = common::load_text(
        r#"
apiVersion: kubesim.io/v1alpha1
kind: Scenario
metadata: {name: profile-preemption}
spec:
  run: {until: 60s}
  scheduler:
    config:
      manifest:
        apiVersion: kubescheduler.config.k8s.io/v1
        kind: KubeSchedulerConfiguration
        profiles:
        - schedulerName: my-scheduler
  cluster:
    nodePools:
    - {name: worker, count: 1, capacity: {cpu: "2", memory: 4Gi}}
  workloads:
  - manifest: {apiVersion: scheduling.k8s.io/v1, kind: PriorityClass, metadata: {name: high}, value: 1000}
  - manifest: {apiVersion: v1, kind: Pod, metadata: {name: batch}, spec: {schedulerName: my-scheduler, terminationGracePeriodSeconds: 0, containers: [{name: c, image: "nginx:1.27", resources: {requests: {cpu: 1500m}}}]}}
  actions:
  - at: 10s
    create:
      manifest: {apiVersion: v1, kind: Pod, metadata: {name: critical}, spec: {schedulerName: my-scheduler, priorityClassName: high, containers: [{name: c, image: "nginx:1.27", resources: {requests: {cpu: 1500m}}}]}}
"#,
    );
    let sim = common::run(&scenario, None);
    let sources: Vec<(String, &str, String)> = sim
        .timeline()
        .records()
        .iter()
        .filter(|r| ["Scheduled", "FailedScheduling", "Preempted"].contains(&r.reason.as_str()))
        .filter(|r| r.event == "Normal" || r.event == "Warning")
        .map(|r| (r.name.to_string(), r.reason.as_str(), r.from.to_string()))
        .collect();
    let mine = |name: &str, reason: &str| {
        sources
            .iter()
            .any(|(n, r, f)| n == name && *r == reason && f == "my-scheduler")
    };
    assert!(mine("batch", "Scheduled"), "{sources:?}");
    assert!(mine("batch", "Preempted"), "{sources:?}");
    assert!(mine("critical", "FailedScheduling"), "{sources:?}");
    assert!(mine("critical", "Scheduled"), "{sources:?}");
    assert!(
        sources.iter().all(|(_, _, f)| f == "my-scheduler"),
        "{sources:?}"
    );
}
