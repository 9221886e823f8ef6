//! Whole-scenario checks of the controllers: node lifecycle, taint eviction, ReplicaSets and
//! Deployments.

mod common;

use std::sync::Arc;

use sim_core::engine::Simulation;
use sim_core::scenario::load::Scenario;
use sim_core::time::{SimDuration, SimTime};

fn at(s: &str) -> SimTime {
    SimTime::ZERO + s.parse::<SimDuration>().expect("a duration")
}

fn scenario(version: &str, tail: &str) -> Arc<Scenario> {
    common::load_text(&format!(
        r#"
apiVersion: kubesim.io/v1alpha1
kind: Scenario
metadata: {{name: t}}
spec:
  kubernetesVersion: "{version}"
  run: {{until: 20m}}
  cluster:
    nodePools:
    - {{name: worker, count: 2, capacity: {{cpu: "4", memory: 8Gi}}, images: ["nginx:1.27"]}}
{tail}"#
    ))
}

fn run_to(s: &Arc<Scenario>, t: &str) -> Simulation {
    let mut sim = Simulation::new(Arc::clone(s), common::options(s, None));
    sim.run_until(at(t));
    sim
}

/// The first timeline record of `name` with `event` and, if given, this `to`.
fn first(sim: &Simulation, name: &str, event: &str, to: &str) -> Option<SimTime> {
    sim.timeline()
        .records()
        .iter()
        .find(|r| r.name == name && r.event == event && (to.is_empty() || r.to == to))
        .map(|r| r.time)
}

const BOUND_POD: &str = r#"
  workloads:
  - manifest:
      apiVersion: v1
      kind: Pod
      metadata: {name: a}
      spec:
        nodeName: worker-1
        containers: [{name: app, image: "nginx:1.27"}]
  actions:
  - {at: 60s, nodeFailure: {node: worker-1}}
  - {at: 10m, nodeRecovery: {node: worker-1}}
"#;

#[test]
fn failed_node_turns_not_ready_after_the_grace_period_and_its_pods_are_evicted() {
    for (version, grace) in [("1.31", 40u64), ("1.33", 50)] {
        let s = scenario(version, BOUND_POD);
        let sim = run_to(&s, "9m");
        let not_ready = first(&sim, "worker-1", "Status", "NotReady").expect("NotReady");
        let after = not_ready.saturating_since(at("60s"));
        // Last heartbeat at most one 10s period before the failure, then the grace period,
        // then the next 5s monitor pass.
        assert!(
            after > SimDuration::from_secs(grace - 10)
                && after <= SimDuration::from_secs(grace + 5),
            "{version}: NotReady {after:?} after the failure"
        );
        let evicted = first(&sim, "a", "DeletionRequested", "").expect("evicted");
        assert_eq!(
            evicted.saturating_since(not_ready),
            SimDuration::from_secs(300) + s.controllers.taint_eviction
        );
        // Terminating, not gone, while the node is unreachable.
        let id = sim.cluster().find_pod("default", "a").expect("still there");
        assert!(sim.cluster().pod(id).is_some_and(|p| p.deletion.is_some()));
    }
}

#[test]
fn recovery_clears_the_taints_and_the_kubelet_finishes_termination() {
    let s = scenario("1.33", BOUND_POD);
    let sim = run_to(&s, "12m");
    assert!(sim.cluster().find_pod("default", "a").is_none());
    let node = sim.cluster().find_node("worker-1").expect("node");
    assert!(sim.cluster().node(node).taints.is_empty());
    assert!(first(&sim, "worker-1", "Status", "Ready").is_some_and(|t| t >= at("10m")));
}

#[test]
fn a_short_outage_changes_nothing() {
    let s = scenario(
        "1.33",
        &BOUND_POD.replace("{at: 10m, nodeRecovery", "{at: 90s, nodeRecovery"),
    );
    let sim = run_to(&s, "12m");
    assert!(first(&sim, "worker-1", "Status", "NotReady").is_none());
    assert!(sim.cluster().find_pod("default", "a").is_some());
}

fn web(image: &str, extra_spec: &str) -> String {
    format!(
        r#"
      apiVersion: apps/v1
      kind: Deployment
      metadata: {{name: web}}
      spec:
        replicas: 3
        {extra_spec}
        selector: {{matchLabels: {{app: web}}}}
        template:
          metadata: {{labels: {{app: web}}}}
          spec:
            containers:
            - name: app
              image: "{image}"
              readinessProbe: {{httpGet: {{path: /, port: 80}}}}"#
    )
}

fn deployment_scenario(behaviours: &str, actions: &str, extra_spec: &str) -> Arc<Scenario> {
    scenario(
        "1.33",
        &format!(
            "  behaviours:{behaviours}\n  workloads:\n  - manifest:{}\n  actions:{actions}",
            web("nginx:1.27", extra_spec)
        ),
    )
}

fn web_pods(sim: &Simulation) -> Vec<&sim_core::cluster::PodRecord> {
    sim.cluster()
        .pods()
        .filter(|p| p.name().starts_with("web-"))
        .collect()
}

#[test]
fn deployment_pods_are_named_after_their_replicaset_and_owned_by_it() {
    let s = deployment_scenario(" []", " []", "");
    let sim = run_to(&s, "30s");
    let rs: Vec<_> = sim.workloads().replica_sets().collect();
    assert_eq!(rs.len(), 1);
    let rs_name = rs[0].name();
    let hash = &rs[0].object.spec.template.metadata.labels["pod-template-hash"];
    assert_eq!(rs_name, format!("web-{hash}"));
    let pods = web_pods(&sim);
    assert_eq!(pods.len(), 3);
    for p in pods {
        let suffix = p
            .name()
            .strip_prefix(&format!("{rs_name}-"))
            .expect("prefix");
        assert_eq!(suffix.len(), 5);
        assert!(
            suffix
                .bytes()
                .all(|b| b"bcdfghjklmnpqrstvwxz2456789".contains(&b))
        );
        let owner = &p.pod.metadata.owner_references[0];
        assert_eq!(
            (owner.kind.as_str(), owner.uid.as_str()),
            ("ReplicaSet", rs[0].uid.as_str())
        );
    }
    let d = sim.workloads().deployments().next().expect("deployment");
    assert_eq!(d.status.available_replicas, 3);
}

#[test]
fn a_lost_node_s_pods_are_replaced_after_the_toleration() {
    let s = deployment_scenario(" []", "\n  - {at: 60s, nodeFailure: {node: worker-1}}", "");
    let sim = run_to(&s, "8m");
    let pods = web_pods(&sim);
    // The pod on worker-1 is Terminating; three others run.
    let terminating: Vec<_> = pods.iter().filter(|p| p.deletion.is_some()).collect();
    let active: Vec<_> = pods.iter().filter(|p| p.deletion.is_none()).collect();
    assert_eq!(
        active.len(),
        3,
        "{:?}",
        pods.iter().map(|p| p.name()).collect::<Vec<_>>()
    );
    assert!(
        active
            .iter()
            .all(|p| p.node != terminating.first().and_then(|t| t.node))
    );
    let d = sim.workloads().deployments().next().expect("deployment");
    assert_eq!(d.status.available_replicas, 3);
}

#[test]
fn rolling_update_with_unready_new_pods_stalls_and_times_out() {
    let s = deployment_scenario(
        "\n  - {name: never-ready, match: {image: \"nginx:1.28\"}, readyAfter: 1000h}",
        &format!(
            "\n  - at: 60s\n    apply:\n      manifest:{}",
            web("nginx:1.28", "progressDeadlineSeconds: 120\n        strategy: {rollingUpdate: {maxSurge: 1, maxUnavailable: 0}}")
                .replace("\n      ", "\n          ")
        ),
        "progressDeadlineSeconds: 120\n        strategy: {rollingUpdate: {maxSurge: 1, maxUnavailable: 0}}",
    );
    let sim = run_to(&s, "5m");
    // maxSurge 1, maxUnavailable 0: one new pod, all three old ones kept.
    let rs: Vec<_> = sim.workloads().replica_sets().collect();
    assert_eq!(rs.len(), 2);
    assert_eq!(rs[0].object.spec.replicas, Some(3));
    assert_eq!(rs[1].object.spec.replicas, Some(1));
    let d = sim.workloads().deployments().next().expect("deployment");
    let c = d
        .status
        .conditions
        .iter()
        .find(|c| c.reason == "ProgressDeadlineExceeded")
        .expect("timed out");
    assert_eq!(c.status, sim_core::cluster::ConditionStatus::False);
    // Deadline counted from the last progress (the new pod created just after 60s).
    let at_ = c.last_update_time;
    assert!(at_ > at("3m") && at_ < at("3m2s"), "{at_:?}");
}

#[test]
fn scale_down_deletes_pods_and_a_completed_rollout_replaces_every_pod() {
    let s = deployment_scenario(
        " []",
        &format!(
            "\n  - {{at: 30s, scale: {{kind: Deployment, name: web, replicas: 1}}}}\n  - at: 60s\n    apply:\n      manifest:{}",
            web("nginx:1.28", "replicas: 1")
                .replace("replicas: 3\n        ", "")
                .replace("\n      ", "\n          ")
        ),
        "",
    );
    let sim = run_to(&s, "40s");
    assert_eq!(
        web_pods(&sim)
            .iter()
            .filter(|p| p.deletion.is_none())
            .count(),
        1
    );
    let sim = run_to(&s, "3m");
    let pods = web_pods(&sim);
    assert_eq!(pods.len(), 1);
    assert!(pods[0].pod.spec.containers[0].image.ends_with("nginx:1.28"));
}

#[test]
fn job_backoff_limit_fails_the_job_after_five_failed_pods() {
    let s = common::load(&common::repo().join("scenarios/workloads/job-backoff-limit.yaml"));
    let sim = run_to(&s, "4m");
    let job = sim.workloads().jobs().next().expect("job");
    assert_eq!(job.status.failed, 5);
    assert_eq!(job.status.column(), "Failed");
    let created: Vec<SimTime> = sim
        .timeline()
        .records()
        .iter()
        .filter(|r| r.kind == "Pod" && r.event == "Created")
        .map(|r| r.time)
        .collect();
    assert_eq!(created.len(), 5);
    // Each recreation waits at least the doubled back-off after the previous pod's start.
    for (w, backoff) in created.windows(2).zip([10u64, 20, 40, 80]) {
        assert!(
            w[1].saturating_since(w[0]) > SimDuration::from_secs(backoff),
            "{w:?}"
        );
    }
}

#[test]
fn job_with_a_sidecar_completes_and_expires() {
    let s = common::load(&common::repo().join("scenarios/workloads/job-with-sidecar.yaml"));
    let sim = run_to(&s, "1m");
    let job = sim.workloads().jobs().next().expect("job");
    assert_eq!(job.status.column(), "Complete");
    assert_eq!(job.status.succeeded, 1);
    let sim = run_to(&s, "2m");
    assert!(sim.workloads().jobs().next().is_none());
    assert_eq!(sim.cluster().pod_count(), 0);
}

#[test]
fn drain_evicts_within_the_budget_and_times_out_on_a_blocking_one() {
    let s = common::load(&common::repo().join("scenarios/workloads/drain-blocked-by-pdb.yaml"));
    let sim = run_to(&s, "4m");
    let notes: Vec<&str> = sim
        .timeline()
        .records()
        .iter()
        .filter(|r| r.event == "Note")
        .map(|r| r.message.as_str())
        .collect();
    assert_eq!(notes.iter().filter(|m| m.ends_with(" evicted")).count(), 4);
    assert!(
        notes
            .iter()
            .any(|m| m.contains("db-pdb needs 1 healthy pods and has 1 currently"))
    );
    let timeout = sim
        .timeline()
        .records()
        .iter()
        .find(|r| r.message.contains("global timeout reached: 2m0s"))
        .expect("the drain times out");
    assert_eq!(timeout.time, at("3m"));
    // Evictions are spaced by the 5s retry while the budget allows one at a time.
    let evictions: Vec<SimTime> = sim
        .timeline()
        .records()
        .iter()
        .filter(|r| r.event == "DeletionRequested")
        .map(|r| r.time)
        .collect();
    assert_eq!(
        evictions,
        vec![at("1m"), at("1m5s"), at("1m10s"), at("1m15s")]
    );
    let db = sim
        .cluster()
        .pods()
        .find(|p| p.name().starts_with("db-"))
        .expect("db");
    assert!(db.deletion.is_none());
}

#[test]
fn a_statefulset_pod_on_a_lost_node_is_not_replaced_until_it_is_gone() {
    let s = common::load(&common::repo().join("scenarios/workloads/statefulset-node-loss.yaml"));
    let sim = run_to(&s, "10m");
    let names: Vec<&str> = sim.cluster().pods().map(|p| p.name()).collect();
    assert_eq!(names, vec!["db-0", "db-1", "db-2"]);
    let db1 = sim
        .cluster()
        .find_pod("default", "db-1")
        .and_then(|id| sim.cluster().pod(id));
    assert!(db1.is_some_and(|p| p.deletion.is_some()));
    let sim = run_to(&s, "13m");
    let db1 = sim
        .cluster()
        .find_pod("default", "db-1")
        .and_then(|id| sim.cluster().pod(id));
    assert!(db1.is_some_and(|p| p.deletion.is_none() && p.created_at >= at("12m")));
    let set = sim.workloads().stateful_sets().next().expect("set");
    assert_eq!(set.status.ready_replicas, 3);
}

/// initIdentity (pkg/controller/statefulset/stateful_set_utils.go): each pod's hostname is its
/// name and its subdomain the set's serviceName.
#[test]
fn statefulset_pods_get_their_stable_network_identity() {
    let s = common::load(&common::repo().join("scenarios/workloads/statefulset-node-loss.yaml"));
    let sim = run_to(&s, "1m");
    let set = sim.workloads().stateful_sets().next().expect("set");
    let service = set.object.spec.service_name.clone();
    assert!(!service.is_empty());
    for p in sim.cluster().pods() {
        assert_eq!(p.pod.spec.hostname, p.name());
        assert_eq!(p.pod.spec.subdomain, service);
    }
}

fn web_set(image: &str, strategy: &str) -> String {
    format!(
        r#"
      apiVersion: apps/v1
      kind: StatefulSet
      metadata: {{name: web}}
      spec:
        serviceName: web
        replicas: 2
        updateStrategy: {strategy}
        selector: {{matchLabels: {{app: web}}}}
        template:
          metadata: {{labels: {{app: web}}}}
          spec:
            containers: [{{name: nginx, image: "{image}"}}]"#
    )
}

/// The set `web` on nginx:1.27, applied with nginx:1.28 at 1m, then `more_actions`.
fn web_set_update(strategy: &str, more_actions: &str) -> Arc<Scenario> {
    scenario(
        "1.33",
        &format!(
            r#"
  workloads:
  - manifest:{}
  actions:
  - at: 1m
    apply:
      manifest:{}
{more_actions}
"#,
            web_set("nginx:1.27", strategy),
            web_set("nginx:1.28", strategy).replace("\n      ", "\n        ")
        ),
    )
}

fn image_of<'a>(sim: &'a Simulation, pod: &str) -> Option<&'a str> {
    let id = sim.cluster().find_pod("default", pod)?;
    let p = sim.cluster().pod(id)?;
    Some(p.pod.spec.containers.first()?.image.as_str())
}

#[test]
fn statefulset_on_delete_updates_a_pod_only_when_it_is_deleted() {
    let s = web_set_update("{type: OnDelete}", "  - {at: 2m, delete: {name: web-0}}");
    let sim = run_to(&s, "1m50s");
    assert_eq!(image_of(&sim, "web-0"), Some("nginx:1.27"));
    assert_eq!(image_of(&sim, "web-1"), Some("nginx:1.27"));
    let set = sim.workloads().stateful_sets().next().expect("set");
    assert_ne!(set.status.current_revision, set.status.update_revision);
    assert_eq!(
        (set.status.current_replicas, set.status.updated_replicas),
        (2, 0)
    );
    let sim = run_to(&s, "3m");
    assert_eq!(image_of(&sim, "web-0"), Some("nginx:1.28"));
    assert_eq!(image_of(&sim, "web-1"), Some("nginx:1.27"));
    let set = sim.workloads().stateful_sets().next().expect("set");
    assert_eq!(
        (set.status.current_replicas, set.status.updated_replicas),
        (1, 1)
    );
    let web0 = sim
        .cluster()
        .find_pod("default", "web-0")
        .and_then(|id| sim.cluster().pod(id))
        .expect("web-0");
    assert_eq!(
        web0.pod.metadata.labels.get("controller-revision-hash"),
        Some(&set.status.update_revision)
    );
}

#[test]
fn statefulset_rolling_update_completes_and_makes_the_update_revision_current() {
    let s = web_set_update("{}", "");
    let sim = run_to(&s, "5m");
    assert_eq!(image_of(&sim, "web-0"), Some("nginx:1.28"));
    assert_eq!(image_of(&sim, "web-1"), Some("nginx:1.28"));
    let set = sim.workloads().stateful_sets().next().expect("set");
    assert_eq!(set.status.current_revision, set.status.update_revision);
    assert_eq!(
        (set.status.current_replicas, set.status.updated_replicas),
        (2, 2)
    );
    // web-1 (the highest ordinal) was replaced before web-0.
    let deletes: Vec<&str> = sim
        .timeline()
        .records()
        .iter()
        .filter(|r| r.reason == "SuccessfulDelete")
        .map(|r| r.message.as_str())
        .collect();
    assert_eq!(deletes.len(), 2, "{deletes:?}");
    assert!(deletes[0].contains("web-1") && deletes[1].contains("web-0"));
}

#[test]
fn a_daemonset_runs_one_pod_per_eligible_node_and_keeps_it_through_node_loss() {
    let s = scenario(
        "1.33",
        r#"
  workloads:
  - manifest:
      apiVersion: apps/v1
      kind: DaemonSet
      metadata: {name: agent}
      spec:
        selector: {matchLabels: {app: agent}}
        template:
          metadata: {labels: {app: agent}}
          spec:
            containers: [{name: agent, image: "nginx:1.27"}]
  actions:
  - {at: 30s, nodeFailure: {node: worker-1}}
  - {at: 11m, create: {manifest: {apiVersion: v1, kind: Node, metadata: {name: worker-3}, status: {capacity: {cpu: "4", memory: 8Gi, pods: "110"}}}}}
"#,
    );
    let sim = run_to(&s, "20s");
    let pods: Vec<_> = sim.cluster().pods().collect();
    assert_eq!(pods.len(), 2);
    let mut nodes: Vec<String> = pods
        .iter()
        .filter_map(|p| p.node.map(|n| sim.cluster().node(n).name.clone()))
        .collect();
    nodes.sort();
    assert_eq!(nodes, vec!["worker-1", "worker-2"]);
    // The added unreachable tolerations have no tolerationSeconds: never evicted.
    let sim = run_to(&s, "10m");
    assert!(sim.cluster().pods().all(|p| p.deletion.is_none()));
    let ds = sim.workloads().daemon_sets().next().expect("ds");
    // The unreachable node's NoSchedule taint is not tolerated: desired drops to 1.
    assert_eq!(ds.status.desired_number_scheduled, 1);
    // A new node gets its pod.
    let sim = run_to(&s, "11m30s");
    assert_eq!(sim.cluster().pods().count(), 3);
}

#[test]
fn rollout_undo_returns_to_the_previous_revision() {
    let text = std::fs::read_to_string(
        common::repo().join("scenarios/workloads/rolling-update-stuck.yaml"),
    )
    .expect("scenario");
    let text = text
        .replace(
            "  - file: manifests/web-deployment.yaml",
            "  - file: scenarios/workloads/manifests/web-deployment.yaml",
        )
        .split("  expectations:")
        .next()
        .expect("head")
        .to_string()
        + "  - at: 3m30s\n    rollout: {deployment: web, action: undo}\n  - at: 4m\n    rollout: {deployment: web, action: pause}\n  - at: 4m10s\n    rollout: {deployment: web, action: pause}\n";
    let s = common::load_text(&text);
    let sim = run_to(&s, "4m30s");
    let rs: Vec<_> = sim.workloads().replica_sets().collect();
    assert_eq!(rs[0].object.spec.replicas, Some(3));
    assert_eq!(rs[1].object.spec.replicas, Some(0));
    assert_eq!(
        rs[0].object.metadata.annotations["deployment.kubernetes.io/revision"],
        "3"
    );
    let d = sim.workloads().deployments().next().expect("deployment");
    assert!(d.object.spec.paused);
    assert!(
        sim.timeline()
            .records()
            .iter()
            .any(|r| r.message == "deployment.apps/web already paused")
    );
    assert_eq!(sim.cluster().pods().count(), 3);
}

fn failure_policy_job(exit_code: i32) -> Arc<Scenario> {
    scenario(
        "1.33",
        &format!(
            r#"
  behaviours:
  - {{name: exits, match: {{podLabels: {{app: t}}}}, run: 5s, exitCode: {exit_code}}}
  workloads:
  - manifest:
      apiVersion: batch/v1
      kind: Job
      metadata: {{name: t}}
      spec:
        backoffLimit: 1
        podFailurePolicy:
          rules:
          - action: FailJob
            onExitCodes: {{containerName: main, operator: In, values: [42]}}
          - action: Ignore
            onExitCodes: {{operator: In, values: [3]}}
        template:
          metadata: {{labels: {{app: t}}}}
          spec:
            restartPolicy: Never
            containers: [{{name: main, image: "nginx:1.27"}}]
"#
        ),
    )
}

#[test]
fn pod_failure_policy_fails_the_job_or_ignores_the_failure() {
    // Exit 42: FailJob at the first failure, with upstream's message.
    let sim = run_to(&failure_policy_job(42), "1m");
    let job = sim.workloads().jobs().next().expect("job");
    let failed = job
        .status
        .conditions
        .iter()
        .find(|c| c.type_.as_str() == "Failed")
        .expect("failed");
    assert_eq!(failed.reason, "PodFailurePolicy");
    assert!(
        failed
            .message
            .starts_with("Container main for pod default/t-")
    );
    assert!(
        failed
            .message
            .ends_with("failed with exit code 42 matching FailJob rule at index 0")
    );
    assert_eq!(job.status.failed, 1);
    // Exit 3: ignored, so backoffLimit 1 is never reached and pods keep being replaced at once.
    let sim = run_to(&failure_policy_job(3), "1m");
    let job = sim.workloads().jobs().next().expect("job");
    assert_eq!(job.status.failed, 0);
    assert_eq!(job.status.column(), "Running");
    assert!(sim.cluster().pods().count() >= 5);
}

#[test]
fn indexed_job_runs_each_completion_index_once() {
    let s = scenario(
        "1.33",
        r#"
  behaviours:
  - {name: work, match: {podLabels: {app: idx}}, run: 5s, exitCode: 0}
  workloads:
  - manifest:
      apiVersion: batch/v1
      kind: Job
      metadata: {name: idx}
      spec:
        completions: 3
        parallelism: 2
        completionMode: Indexed
        template:
          metadata: {labels: {app: idx}}
          spec:
            restartPolicy: Never
            containers: [{name: main, image: "nginx:1.27"}]
"#,
    );
    let sim = run_to(&s, "3s");
    let mut first: Vec<String> = sim
        .cluster()
        .pods()
        .map(|p| p.name()[..6].to_string())
        .collect();
    first.sort();
    assert_eq!(first, vec!["idx-0-", "idx-1-"]);
    let sim = run_to(&s, "1m");
    let job = sim.workloads().jobs().next().expect("job");
    assert_eq!(job.status.column(), "Complete");
    assert_eq!(job.status.succeeded, 3);
    let indexes: Vec<String> = sim
        .cluster()
        .pods()
        .map(|p| p.pod.metadata.annotations["batch.kubernetes.io/job-completion-index"].clone())
        .collect();
    assert_eq!(indexes, vec!["0", "1", "2"]);
}

#[test]
fn backoff_limit_per_index_fails_only_the_failing_index() {
    let s = scenario(
        "1.33",
        r#"
  behaviours:
  - {name: bad-index, match: {podLabels: {batch.kubernetes.io/job-completion-index: "1"}}, run: 3s, exitCode: 1}
  - {name: work, match: {podLabels: {app: idx}}, run: 3s, exitCode: 0}
  workloads:
  - manifest:
      apiVersion: batch/v1
      kind: Job
      metadata: {name: idx}
      spec:
        completions: 3
        parallelism: 3
        completionMode: Indexed
        backoffLimitPerIndex: 1
        template:
          metadata: {labels: {app: idx}}
          spec:
            restartPolicy: Never
            containers: [{name: main, image: "nginx:1.27"}]
"#,
    );
    let sim = run_to(&s, "2m");
    let job = sim.workloads().jobs().next().expect("job");
    let rec_failed: Vec<i32> = job.failed_indexes.iter().copied().collect();
    assert_eq!(rec_failed, vec![1]);
    assert_eq!(job.status.succeeded, 2);
    assert_eq!(
        job.status.failed, 2,
        "index 1 ran twice: once plus one retry"
    );
    let failed = job
        .status
        .conditions
        .iter()
        .find(|c| c.type_.as_str() == "Failed")
        .expect("failed");
    assert_eq!(failed.reason, "FailedIndexes");
}

/// podFailurePolicy FailIndex (pkg/controller/job/pod_failure_policy.go, isIndexFailed): a pod
/// exiting 42 fails its index at once, without its backoffLimitPerIndex retries; exit 1 is
/// counted and retried.
#[test]
fn fail_index_rule_fails_the_index_without_retries() {
    let s = scenario(
        "1.33",
        r#"
  behaviours:
  - {name: fatal, match: {podLabels: {batch.kubernetes.io/job-completion-index: "1"}}, run: 3s, exitCode: 42}
  - {name: flaky, match: {podLabels: {batch.kubernetes.io/job-completion-index: "2"}}, run: 3s, exitCode: 1}
  - {name: work, match: {podLabels: {app: idx}}, run: 3s, exitCode: 0}
  workloads:
  - manifest:
      apiVersion: batch/v1
      kind: Job
      metadata: {name: idx}
      spec:
        completions: 3
        parallelism: 3
        completionMode: Indexed
        backoffLimitPerIndex: 2
        podFailurePolicy:
          rules:
          - action: FailIndex
            onExitCodes: {operator: In, values: [42]}
        template:
          metadata: {labels: {app: idx}}
          spec:
            restartPolicy: Never
            containers: [{name: main, image: "nginx:1.27"}]
"#,
    );
    let sim = run_to(&s, "5m");
    let job = sim.workloads().jobs().next().expect("job");
    let failed: Vec<i32> = job.failed_indexes.iter().copied().collect();
    assert_eq!(failed, vec![1, 2]);
    assert_eq!(job.status.succeeded, 1);
    // Index 1 ran once; index 2 once plus its two retries.
    assert_eq!(job.status.failed, 4);
    let created_for = |index: &str| {
        sim.timeline()
            .records()
            .iter()
            .filter(|r| {
                r.kind == "Pod"
                    && r.event == "Created"
                    && r.name.starts_with(&format!("idx-{index}-"))
            })
            .count()
    };
    assert_eq!(created_for("1"), 1);
    assert_eq!(created_for("2"), 3);
    let condition = job
        .status
        .conditions
        .iter()
        .find(|c| c.type_.as_str() == "Failed")
        .expect("failed");
    assert_eq!(condition.reason, "FailedIndexes");
}

/// maxUnavailable of a StatefulSet rolling update needs the alpha MaxUnavailableStatefulSet
/// gate, off in 1.33: the scenario loads, with a note that the field is ignored.
#[test]
fn statefulset_max_unavailable_is_reported_as_gated() {
    struct Inline;
    impl sim_core::diag::SourceReader for Inline {
        fn read(&self, path: &str) -> Result<(String, String), String> {
            let text = r#"
apiVersion: kubesim.io/v1alpha1
kind: Scenario
metadata: {name: t}
spec:
  cluster:
    nodePools: [{name: worker, count: 1, capacity: {cpu: "2", memory: 4Gi}}]
  workloads:
  - manifest:
      apiVersion: apps/v1
      kind: StatefulSet
      metadata: {name: db}
      spec:
        serviceName: db
        replicas: 3
        selector: {matchLabels: {app: db}}
        updateStrategy: {type: RollingUpdate, rollingUpdate: {maxUnavailable: 2}}
        template:
          metadata: {labels: {app: db}}
          spec:
            containers: [{name: db, image: "postgres:16.4"}]
"#;
            Ok((path.to_string(), text.to_string()))
        }
    }
    let (scenario, diags) = sim_core::scenario::load::load_scenario("inline.yaml", &Inline);
    assert!(scenario.is_some(), "{:#?}", diags.0);
    let note = diags
        .0
        .iter()
        .find(|d| d.field.as_deref() == Some("spec.updateStrategy.rollingUpdate.maxUnavailable"))
        .expect("a note for the gated field");
    assert_eq!(note.severity, sim_core::diag::Severity::NotSimulated);
    assert!(
        note.message
            .contains("MaxUnavailableStatefulSet is alpha and off")
    );
}
