//! Whole-scenario checks of the garbage collector's cascading deletion and of PodGC.

mod common;

use std::sync::Arc;

use sim_core::engine::Simulation;
use sim_core::scenario::load::Scenario;
use sim_core::time::{SimDuration, SimTime};

fn at(s: &str) -> SimTime {
    SimTime::ZERO + s.parse::<SimDuration>().expect("a duration")
}

fn scenario(tail: &str) -> Arc<Scenario> {
    common::load_text(&format!(
        r#"
apiVersion: kubesim.io/v1alpha1
kind: Scenario
metadata: {{name: t}}
spec:
  kubernetesVersion: "1.33"
  run: {{until: 20m}}
  cluster:
    nodePools:
    - {{name: worker, count: 2, capacity: {{cpu: "4", memory: 8Gi}}, images: ["nginx:1.27"]}}
  workloads:
  - manifest:
      apiVersion: apps/v1
      kind: Deployment
      metadata: {{name: web}}
      spec:
        replicas: 3
        selector: {{matchLabels: {{app: web}}}}
        template:
          metadata: {{labels: {{app: web}}}}
          spec:
            containers: [{{name: app, image: "nginx:1.27"}}]
{tail}"#
    ))
}

fn run_to(s: &Arc<Scenario>, t: &str) -> Simulation {
    let mut sim = Simulation::new(Arc::clone(s), common::options(s, None));
    sim.run_until(at(t));
    sim
}

/// Times of the timeline records of `kind` with `event`.
fn times(sim: &Simulation, kind: &str, event: &str) -> Vec<SimTime> {
    sim.timeline()
        .records()
        .iter()
        .filter(|r| r.kind == kind && r.event == event)
        .map(|r| r.time)
        .collect()
}

fn delete(cascade: &str) -> String {
    format!("  actions:\n  - {{at: 30s, delete: {{kind: Deployment, name: web{cascade}}}}}\n")
}

#[test]
fn background_deletion_removes_the_owner_at_once_and_then_its_dependents() {
    let sim = run_to(&scenario(&delete("")), "5m");
    assert_eq!(times(&sim, "Deployment", "Deleted"), vec![at("30s")]);
    assert_eq!(times(&sim, "ReplicaSet", "Deleted"), vec![at("30s")]);
    assert_eq!(times(&sim, "Pod", "DeletionRequested"), vec![at("30s"); 3]);
    assert_eq!(sim.cluster().pods().count(), 0);
    assert_eq!(sim.workloads().replica_sets().count(), 0);
}

#[test]
fn foreground_deletion_keeps_the_owner_until_its_pods_are_gone() {
    let sim = run_to(&scenario(&delete(", cascade: foreground")), "5m");
    assert_eq!(
        times(&sim, "Deployment", "DeletionRequested"),
        vec![at("30s")]
    );
    assert_eq!(
        times(&sim, "ReplicaSet", "DeletionRequested"),
        vec![at("30s")]
    );
    assert_eq!(times(&sim, "Pod", "DeletionRequested"), vec![at("30s"); 3]);
    let pods_gone = times(&sim, "Pod", "Deleted");
    assert_eq!(pods_gone.len(), 3);
    let last_pod = *pods_gone.iter().max().expect("pods deleted");
    assert!(last_pod > at("30s"));
    // The ReplicaSet goes with its last pod, the Deployment with its ReplicaSet; the
    // ReplicaSet controller created no replacement meanwhile.
    assert_eq!(times(&sim, "ReplicaSet", "Deleted"), vec![last_pod]);
    assert_eq!(times(&sim, "Deployment", "Deleted"), vec![last_pod]);
    assert_eq!(times(&sim, "Pod", "Created").len(), 3);
    assert_eq!(sim.workloads().deployments().count(), 0);
}

#[test]
fn orphan_deletion_leaves_the_replicaset_and_its_pods_running() {
    let sim = run_to(&scenario(&delete(", cascade: orphan")), "5m");
    assert_eq!(times(&sim, "Deployment", "Deleted"), vec![at("30s")]);
    let rs: Vec<_> = sim.workloads().replica_sets().collect();
    assert_eq!(rs.len(), 1);
    assert!(rs[0].object.metadata.owner_references.is_empty());
    assert_eq!(rs[0].owner, None);
    assert_eq!(rs[0].status.ready_replicas, 3);
    assert!(times(&sim, "Pod", "DeletionRequested").is_empty());
    assert_eq!(sim.cluster().pods().count(), 3);
}

#[test]
fn pods_of_a_deleted_node_are_failed_and_force_deleted_after_the_quarantine() {
    // PodGC passes run every 20s from t=0: the pass at 40s queues worker-1 (deleted at 30s),
    // the pass at 1m20s finds it still missing after the 40s quarantine.
    let s = scenario("  actions:\n  - {at: 30s, delete: {kind: Node, name: worker-1}}\n");
    let before = run_to(&s, "29s");
    let on_node: Vec<String> = before
        .cluster()
        .pods()
        .filter(|p| {
            p.node
                .is_some_and(|n| before.cluster().node(n).name == "worker-1")
        })
        .map(|p| p.name().to_string())
        .collect();
    assert!(!on_node.is_empty(), "the scenario puts a pod on worker-1");
    let sim = run_to(&s, "5m");
    assert_eq!(times(&sim, "Node", "Deleted"), vec![at("30s")]);
    assert!(sim.cluster().find_node("worker-1").is_none());
    for name in &on_node {
        let records: Vec<_> = sim
            .timeline()
            .records()
            .iter()
            .filter(|r| r.name == *name)
            .collect();
        let failed = records
            .iter()
            .find(|r| r.event == "Phase" && r.to == "Failed")
            .expect("marked Failed");
        assert_eq!(failed.time, at("1m20s"));
        let condition = records
            .iter()
            .find(|r| r.event == "Condition" && r.to == "DisruptionTarget=True")
            .expect("DisruptionTarget condition");
        assert_eq!(condition.reason, "DeletionByPodGC");
        assert_eq!(condition.message, "PodGC: node no longer exists");
        let deleted = records
            .iter()
            .find(|r| r.event == "Deleted")
            .expect("force-deleted");
        assert_eq!(deleted.time, at("1m20s"));
    }
    // The ReplicaSet replaced them on the remaining node.
    let web: Vec<_> = sim.cluster().pods().collect();
    assert_eq!(web.len(), 3);
    assert!(web.iter().all(|p| {
        p.node
            .is_some_and(|n| sim.cluster().node(n).name == "worker-2")
    }));
}
