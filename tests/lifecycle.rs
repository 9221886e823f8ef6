//! Whole-scenario checks of the kubelet's pod lifecycle: what `kubectl get pods` shows, and when.

mod common;

use std::sync::Arc;

use sim_core::engine::Simulation;
use sim_core::kubectl::pods::record_columns;
use sim_core::scenario::load::Scenario;
use sim_core::time::{SimDuration, SimTime};

fn at(s: &str) -> SimTime {
    SimTime::ZERO + s.parse::<SimDuration>().expect("a duration")
}

/// READY, STATUS, RESTARTS of `pod` at `t`, or None when it does not exist.
fn columns(scenario: &Arc<Scenario>, pod: &str, t: &str) -> Option<(String, String, String)> {
    let mut sim = Simulation::new(Arc::clone(scenario), common::options(scenario, None));
    sim.run_until(at(t));
    let id = sim.cluster().find_pod("default", pod)?;
    let c = record_columns(sim.cluster().pod(id)?, at(t));
    Some((c.ready, c.status, c.restarts))
}

fn scenario(spec_tail: &str) -> Arc<Scenario> {
    common::load_text(&format!(
        r#"
apiVersion: kubesim.io/v1alpha1
kind: Scenario
metadata: {{name: t}}
spec:
  run: {{until: 15m}}
  cluster:
    nodePools:
    - {{name: node, count: 1, capacity: {{cpu: "4", memory: 8Gi}}, images: ["busybox:1.36", "nginx:1.27"]}}
{spec_tail}"#
    ))
}

#[test]
fn network_demo_matches_the_pod_guide_at_ten_minutes() {
    let s = common::load(&common::repo().join("scenarios/lifecycle/network-demo.yaml"));
    let (ready, status, restarts) = columns(&s, "network-demo", "10m").expect("the pod exists");
    assert_eq!(ready, "1/2");
    assert!(
        status == "CrashLoopBackOff" || status == "NotReady" || status == "Completed",
        "{status}"
    );
    // The guide shows `6 (3m50s ago)`; the exact "ago" depends on the pod worker's jittered
    // retries.
    assert!(restarts.starts_with("6 ("), "{restarts}");
}

#[test]
fn restart_policies_decide_the_phase() {
    let s = scenario(
        r#"  behaviours:
  - {name: fail, match: {podLabels: {exit: "1"}}, run: 5s, exitCode: 1}
  - {name: ok, match: {podLabels: {exit: "0"}}, run: 5s, exitCode: 0}
  workloads:
  - manifest:
      apiVersion: v1
      kind: List
      items:
      - {apiVersion: v1, kind: Pod, metadata: {name: never, labels: {exit: "1"}}, spec: {restartPolicy: Never, containers: [{name: c, image: "busybox:1.36"}]}}
      - {apiVersion: v1, kind: Pod, metadata: {name: onfailure, labels: {exit: "1"}}, spec: {restartPolicy: OnFailure, containers: [{name: c, image: "busybox:1.36"}]}}
      - {apiVersion: v1, kind: Pod, metadata: {name: succeeds, labels: {exit: "0"}}, spec: {restartPolicy: OnFailure, containers: [{name: c, image: "busybox:1.36"}]}}
      - {apiVersion: v1, kind: Pod, metadata: {name: always, labels: {exit: "0"}}, spec: {containers: [{name: c, image: "busybox:1.36"}]}}
"#,
    );
    assert_eq!(
        columns(&s, "never", "1m").map(|c| c.1),
        Some("Error".into())
    );
    assert_eq!(
        columns(&s, "succeeds", "1m").map(|c| c.1),
        Some("Completed".into())
    );
    let (_, _, restarts) = columns(&s, "onfailure", "1m").expect("exists");
    assert!(
        restarts.starts_with('2') || restarts.starts_with('3'),
        "{restarts}"
    );
    let (_, _, restarts) = columns(&s, "always", "1m").expect("exists");
    assert!(!restarts.starts_with('0'), "{restarts}");
    let sim = common::run(&s, None);
    let phase = |name: &str| {
        let id = sim.cluster().find_pod("default", name).expect("exists");
        sim.cluster().pod(id).expect("exists").status.phase
    };
    assert_eq!(phase("never").as_str(), "Failed");
    assert_eq!(phase("succeeds").as_str(), "Succeeded");
    assert_eq!(phase("onfailure").as_str(), "Running");
    assert_eq!(phase("always").as_str(), "Running");
}

#[test]
fn liveness_failure_restarts_the_container() {
    let s = scenario(
        r#"  behaviours:
  - {name: sick, match: {container: app}, livenessFailsAfter: 30s}
  workloads:
  - manifest:
      apiVersion: v1
      kind: Pod
      metadata: {name: live}
      spec:
        containers:
        - name: app
          image: busybox:1.36
          livenessProbe: {exec: {command: [cat, /tmp/healthy]}, initialDelaySeconds: 5, periodSeconds: 5}
"#,
    );
    let sim = common::run(&s, None);
    let r = sim.timeline().records();
    let killing = r
        .iter()
        .find(|r| r.reason == "Killing")
        .expect("killed by its liveness probe");
    assert_eq!(
        killing.message,
        "Container app failed liveness probe, will be restarted"
    );
    let unhealthy = r
        .iter()
        .filter(|r| r.reason == "Unhealthy" && r.time <= killing.time)
        .count();
    assert_eq!(unhealthy, 3, "failureThreshold 3");
    // Probes fail from ~31s after the start; the third failure is two periods later.
    assert!(
        killing.time > at("40s") && killing.time < at("50s"),
        "{}",
        killing.time
    );
    assert!(r.iter().any(|r| r.event == "Restarts" && r.to == "1"));
    // doBackOff reads the pod status from before the kill: the first two probe kills restart
    // at once (the back-off entry is only created at the second).
    assert!(r.iter().any(|r| r.event == "Restarts" && r.to == "2"));
    let second = r
        .iter()
        .filter(|r| r.reason == "Killing")
        .nth(1)
        .expect("a second kill")
        .time;
    assert!(
        !r.iter()
            .any(|r| r.reason == "BackOff" && r.time <= second + SimDuration::from_secs(1))
    );
}

#[test]
fn slow_starter_is_rescued_by_a_startup_probe() {
    let s = scenario(
        r#"  behaviours:
  - {name: slow, match: {container: app}, startup: 70s}
  workloads:
  - manifest:
      apiVersion: v1
      kind: Pod
      metadata: {name: slow}
      spec:
        containers:
        - name: app
          image: nginx:1.27
          startupProbe: {httpGet: {path: /healthz, port: 80}, failureThreshold: 30, periodSeconds: 10}
          livenessProbe: {httpGet: {path: /healthz, port: 80}, periodSeconds: 10}
          readinessProbe: {httpGet: {path: /ready, port: 80}, periodSeconds: 5}
"#,
    );
    assert_eq!(columns(&s, "slow", "30s").map(|c| c.0), Some("0/1".into()));
    let (ready, status, restarts) = columns(&s, "slow", "2m").expect("exists");
    assert_eq!(
        (ready.as_str(), status.as_str(), restarts.as_str()),
        ("1/1", "Running", "0")
    );
    let sim = common::run(&s, None);
    assert!(
        !sim.timeline()
            .records()
            .iter()
            .any(|r| r.reason == "Killing"),
        "never killed"
    );
}

#[test]
fn oom_kill_and_active_deadline() {
    let s = scenario(
        r#"  behaviours:
  - name: leak
    match: {container: leaky}
    memory: [{after: 0s, usage: 50Mi}, {after: 20s, usage: 300Mi}]
  workloads:
  - manifest:
      apiVersion: v1
      kind: List
      items:
      - apiVersion: v1
        kind: Pod
        metadata: {name: oom}
        spec:
          restartPolicy: Never
          containers: [{name: leaky, image: "busybox:1.36", resources: {limits: {memory: 128Mi}}}]
      - apiVersion: v1
        kind: Pod
        metadata: {name: deadline}
        spec:
          activeDeadlineSeconds: 30
          containers: [{name: c, image: "busybox:1.36"}]
"#,
    );
    assert_eq!(
        columns(&s, "oom", "1m").map(|c| c.1),
        Some("OOMKilled".into())
    );
    // generateAPIPodStatus turns the pod Failed/DeadlineExceeded at once (ShouldEvict); once its
    // container is stopped, the container's own reason shows (kubernetes#98718: older kubelets
    // left the container Running in the status).
    assert_eq!(
        columns(&s, "deadline", "29s").map(|c| c.1),
        Some("Running".into())
    );
    assert_eq!(
        columns(&s, "deadline", "1m").map(|c| c.1),
        Some("Error".into())
    );
    let sim = common::run(&s, None);
    let id = sim
        .cluster()
        .find_pod("default", "deadline")
        .expect("exists");
    let p = sim.cluster().pod(id).expect("exists");
    assert_eq!(p.status.phase.as_str(), "Failed");
    assert_eq!(
        p.status.message,
        "Pod was active on the node longer than the specified deadline"
    );
}

#[test]
fn graceful_termination_honours_prestop_sigterm_and_the_deadline() {
    let s = scenario(
        r#"  behaviours:
  - {name: stubborn, match: {podLabels: {app: stubborn}}, sigterm: {ignore: true}}
  workloads:
  - manifest:
      apiVersion: v1
      kind: List
      items:
      - apiVersion: v1
        kind: Pod
        metadata: {name: stubborn, labels: {app: stubborn}}
        spec: {containers: [{name: c, image: "busybox:1.36"}]}
      - apiVersion: v1
        kind: Pod
        metadata: {name: prestop}
        spec:
          terminationGracePeriodSeconds: 60
          containers:
          - name: c
            image: nginx:1.27
            lifecycle: {preStop: {sleep: {seconds: 10}}}
  actions:
  - {at: 1m, delete: {name: stubborn}}
  - {at: 1m, delete: {name: prestop}}
"#,
    );
    assert_eq!(
        columns(&s, "stubborn", "1m10s").map(|c| c.1),
        Some("Terminating".into())
    );
    let sim = common::run(&s, None);
    let r = sim.timeline().records();
    let gone = |name: &str| {
        r.iter()
            .find(|r| r.name == name && r.event == "Deleted")
            .map(|r| r.time)
    };
    // SIGTERM ignored: SIGKILL at the end of the 30s grace period, exit 137.
    let stubborn = gone("stubborn").expect("deleted");
    assert!(
        stubborn >= at("1m30s") && stubborn < at("1m31s"),
        "{stubborn}"
    );
    assert!(
        r.iter()
            .any(|r| r.name == "stubborn" && r.to == "Terminated:Error(137)")
    );
    // preStop sleeps 10s, then SIGTERM ends the container (143 by default).
    let prestop = gone("prestop").expect("deleted");
    assert!(prestop >= at("1m10s") && prestop < at("1m11s"), "{prestop}");
}

#[test]
fn init_containers_and_sidecars() {
    let s = scenario(
        r#"  behaviours:
  - {name: wait-for-db, match: {container: wait-for-db}, run: 20s, exitCode: 0}
  workloads:
  - manifest:
      apiVersion: v1
      kind: Pod
      metadata: {name: init}
      spec:
        initContainers:
        - {name: wait-for-db, image: "busybox:1.36"}
        - {name: log-shipper, image: "busybox:1.36", restartPolicy: Always}
        containers:
        - {name: app, image: "nginx:1.27"}
"#,
    );
    assert_eq!(
        columns(&s, "init", "10s").map(|c| (c.0, c.1)),
        Some(("0/2".into(), "Init:0/2".into()))
    );
    assert_eq!(
        columns(&s, "init", "1m").map(|c| (c.0, c.1)),
        Some(("2/2".into(), "Running".into()))
    );
}

#[test]
fn image_pull_errors_back_off() {
    let s = scenario(
        r#"  registry:
    images:
    - {name: "example.com/missing:1.0", missing: true}
  workloads:
  - manifest:
      apiVersion: v1
      kind: List
      items:
      - {apiVersion: v1, kind: Pod, metadata: {name: missing}, spec: {containers: [{name: c, image: "example.com/missing:1.0"}]}}
      - {apiVersion: v1, kind: Pod, metadata: {name: never}, spec: {containers: [{name: c, image: "example.com/other:2.0", imagePullPolicy: Never}]}}
"#,
    );
    let statuses: Vec<String> = ["3s", "20s", "2m"]
        .iter()
        .filter_map(|t| columns(&s, "missing", t).map(|c| c.1))
        .collect();
    assert!(
        statuses
            .iter()
            .all(|s| s == "ErrImagePull" || s == "ImagePullBackOff"),
        "{statuses:?}"
    );
    assert!(
        statuses.contains(&"ImagePullBackOff".to_string()),
        "{statuses:?}"
    );
    assert_eq!(
        columns(&s, "never", "10s").map(|c| c.1),
        Some("ErrImageNeverPull".into())
    );
}

#[test]
fn an_apply_that_changes_the_command_is_rejected_and_an_image_change_restarts() {
    let s = scenario(
        r#"  workloads:
  - manifest: {apiVersion: v1, kind: Pod, metadata: {name: web}, spec: {containers: [{name: c, image: "nginx:1.27", command: [nginx]}]}}
  actions:
  - at: 30s
    apply: {manifest: {apiVersion: v1, kind: Pod, metadata: {name: web}, spec: {containers: [{name: c, image: "nginx:1.27", command: [nginx]}]}}}
  - at: 40s
    apply: {manifest: {apiVersion: v1, kind: Pod, metadata: {name: web}, spec: {containers: [{name: c, image: "nginx:1.27", command: [sh]}]}}}
  - at: 50s
    apply: {manifest: {apiVersion: v1, kind: Pod, metadata: {name: web}, spec: {containers: [{name: c, image: "nginx:1.28", command: [nginx]}]}}}
"#,
    );
    let sim = common::run(&s, None);
    let r = sim.timeline().records();
    assert!(
        r.iter()
            .any(|r| r.time == at("30s") && r.message == "pod/web unchanged")
    );
    let rejected = r
        .iter()
        .find(|r| r.time == at("40s") && r.reason == "Invalid")
        .expect("rejected");
    assert!(
        rejected.message.contains("spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`"),
        "{}",
        rejected.message
    );
    assert!(r.iter().any(|r| r.reason == "Killing"
        && r.message == "Container c definition changed, will be restarted"));
    assert!(
        r.iter()
            .any(|r| r.reason == "Pulling" && r.message == "Pulling image \"nginx:1.28\"")
    );
}

#[test]
fn a_finished_pod_frees_its_node_for_the_next() {
    let s = common::load_text(
        r#"
apiVersion: kubesim.io/v1alpha1
kind: Scenario
metadata: {name: t}
spec:
  run: {until: 2m}
  cluster:
    nodePools:
    - {name: small, count: 1, capacity: {cpu: "1", memory: 1Gi}, images: ["busybox:1.36"]}
  behaviours:
  - {name: batch, match: {podLabels: {app: batch}}, run: 20s}
  workloads:
  - manifest: {apiVersion: v1, kind: Pod, metadata: {name: first, labels: {app: batch}}, spec: {restartPolicy: Never, containers: [{name: c, image: "busybox:1.36", resources: {requests: {cpu: "1"}}}]}}
  actions:
  - at: 5s
    create: {manifest: {apiVersion: v1, kind: Pod, metadata: {name: second}, spec: {containers: [{name: c, image: "busybox:1.36", resources: {requests: {cpu: "1"}}}]}}}
"#,
    );
    let (_, status, _) = columns(&s, "second", "10s").expect("exists");
    assert_eq!(status, "Pending");
    assert_eq!(
        columns(&s, "first", "1m").map(|c| c.1),
        Some("Completed".into())
    );
    assert_eq!(
        columns(&s, "second", "1m").map(|c| c.1),
        Some("Running".into())
    );
}

/// pod_workers.go podWorkerLoop waits for a PLEG cache newer than the previous sync's end, so
/// one relist never runs two SyncPods of a pod: a crash-looping container gets one
/// `BackOff` event per sync, never two at the same instant.
#[test]
fn one_sync_per_relist_gives_one_back_off_event_per_instant() {
    let s = common::load(&common::repo().join("scenarios/lifecycle/network-demo.yaml"));
    let sim = common::run(&s, None);
    let back_offs: Vec<SimTime> = sim
        .timeline()
        .records()
        .iter()
        .filter(|r| r.reason == "BackOff" && r.name == "network-demo")
        .map(|r| r.time)
        .collect();
    assert!(back_offs.len() > 10, "{back_offs:?}");
    for pair in back_offs.windows(2) {
        assert!(pair[0] < pair[1], "two BackOff events at {}", pair[0]);
    }
}
