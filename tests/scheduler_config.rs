//! KubeSchedulerConfiguration and per-attempt explanations, end to end.

mod common;

use std::sync::Arc;

use sim_core::scheduler::explanation::{EVENT, describe_attempts};
use sim_core::time::SimTime;

/// Explanations only add SchedulingAttempt rows: every other row, and so every placement, is
/// the same with them on (they draw no randomness and change no state).
#[test]
fn explanations_change_nothing_else() {
    for file in [
        "scenarios/scheduling/taints-and-tolerations.yaml",
        "scenarios/scheduling/pod-anti-affinity.yaml",
        "scenarios/scheduling/bin-packing.yaml",
    ] {
        let scenario = common::load(&common::repo().join(file));
        let mut off = (*scenario).clone();
        off.explain_scheduling = false;
        let mut on = off.clone();
        on.explain_scheduling = true;
        let plain = common::run(&Arc::new(off), None);
        let explained = common::run(&Arc::new(on), None);
        let rows: Vec<_> = explained
            .timeline()
            .records()
            .iter()
            .filter(|r| r.event != EVENT)
            .cloned()
            .collect();
        assert_eq!(rows, plain.timeline().records(), "{file}");
        assert!(
            explained.timeline().records().len() > rows.len(),
            "{file}: no attempts recorded"
        );
    }
}

#[test]
fn attempt_rows_name_each_node_verdict_and_score() {
    let scenario =
        common::load(&common::repo().join("scenarios/scheduling/taints-and-tolerations.yaml"));
    let mut s = (*scenario).clone();
    s.explain_scheduling = true;
    let sim = common::run(&Arc::new(s), None);
    let records = sim.timeline().records();
    let ci = records
        .iter()
        .find(|r| r.event == EVENT && r.name == "ci-pod")
        .expect("ci-pod's attempt");
    assert_eq!(ci.reason, "Scheduled");
    assert_eq!(ci.node, "ci-1");
    assert!(
        ci.message
            .contains("filter 2 of 2 nodes: general-1 passed | ci-1 passed"),
        "{}",
        ci.message
    );
    assert!(
        ci.message.contains("TaintToleration 0→100×3"),
        "{}",
        ci.message
    );
    assert!(ci.message.ends_with("; selected ci-1"), "{}", ci.message);
    let text = describe_attempts(records, "default", "batch", SimTime::ZERO + scenario.until)
        .expect("batch's attempts");
    assert!(text.starts_with("Scheduling Attempts:\n"), "{text}");
    assert!(
        text.contains("      general-1 NodeResourcesFit: Insufficient cpu\n"),
        "{text}"
    );
    assert!(
        text.contains(
            "      ci-1 TaintToleration: node(s) had untolerated taint {dedicated: ci}\n"
        ),
        "{text}"
    );
}

/// The bin-packing profile packs, the default one spreads (scenarios/scheduling/bin-packing.yaml
/// over many seeds: the packed pods always share small-1).
#[test]
fn bin_packing_profile_packs_under_every_seed() {
    let scenario = common::load(&common::repo().join("scenarios/scheduling/bin-packing.yaml"));
    for seed in 1..=20 {
        let sim = common::run(&scenario, Some(seed));
        let node_of = |name: &str| {
            let c = sim.cluster();
            c.pods()
                .find(|p| p.name() == name)
                .and_then(|p| p.node)
                .map(|n| c.node(n).name.clone())
        };
        for p in ["packed-1", "packed-2", "packed-3", "packed-4"] {
            assert_eq!(node_of(p).as_deref(), Some("small-1"), "seed {seed} {p}");
        }
        for p in ["packed-5", "spread-1", "spread-2"] {
            let n = node_of(p);
            assert!(
                n.as_deref().is_some_and(|n| n.starts_with("big-")),
                "seed {seed} {p}: {n:?}"
            );
        }
    }
}

/// An inline configuration: NodeAffinity's addedAffinity confines the profile to zone-a, and
/// without DefaultPreemption the FailedScheduling message has no `preemption:` part.
#[test]
fn inline_config_added_affinity_and_no_preemption() {
    let scenario = common::load_text(
        r#"
apiVersion: kubesim.io/v1alpha1
kind: Scenario
metadata: {name: inline-config}
spec:
  run: {until: 10s}
  scheduler:
    config:
      manifest:
        apiVersion: kubescheduler.config.k8s.io/v1
        kind: KubeSchedulerConfiguration
        profiles:
        - plugins:
            postFilter:
              disabled: [{name: DefaultPreemption}]
          pluginConfig:
          - name: NodeAffinity
            args:
              addedAffinity:
                requiredDuringSchedulingIgnoredDuringExecution:
                  nodeSelectorTerms:
                  - matchExpressions:
                    - {key: topology.kubernetes.io/zone, operator: In, values: [zone-a]}
  cluster:
    nodePools:
    - {name: a, count: 1, capacity: {cpu: "2", memory: 4Gi}, labels: {topology.kubernetes.io/zone: zone-a}}
    - {name: b, count: 2, capacity: {cpu: "8", memory: 16Gi}, labels: {topology.kubernetes.io/zone: zone-b}}
  workloads:
  - manifest: {apiVersion: v1, kind: Pod, metadata: {name: small}, spec: {containers: [{name: c, image: "nginx:1.27", resources: {requests: {cpu: "1"}}}]}}
  - manifest: {apiVersion: v1, kind: Pod, metadata: {name: big}, spec: {containers: [{name: c, image: "nginx:1.27", resources: {requests: {cpu: "4"}}}]}}
"#,
    );
    let sim = common::run(&scenario, None);
    let c = sim.cluster();
    let small = c.pods().find(|p| p.name() == "small").expect("small");
    assert_eq!(small.node.map(|n| c.node(n).name.as_str()), Some("a-1"));
    let failed = sim
        .timeline()
        .records()
        .iter()
        .find(|r| r.name == "big" && r.reason == "FailedScheduling")
        .expect("big does not fit zone-a");
    assert_eq!(
        failed.message,
        "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) didn't match scheduler-enforced node affinity."
    );
}
