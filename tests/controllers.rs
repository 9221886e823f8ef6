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
