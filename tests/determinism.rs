//! Same scenario + same seed => byte-identical output, for every scenario in scenarios/; a
//! different seed changes sampled durations.

mod common;

use sim_core::output;

#[test]
fn every_scenario_replays_identically() {
    let scenarios = common::all_scenarios();
    assert!(!scenarios.is_empty(), "no scenarios found");
    for path in scenarios {
        let scenario = common::load(&path);
        let a = common::run(&scenario, None);
        let b = common::run(&scenario, None);
        let (ra, rb) = (a.timeline().records(), b.timeline().records());
        let (ha, hb) = (output::fingerprint(ra), output::fingerprint(rb));
        if ha != hb || ra.len() != rb.len() {
            let i = ra
                .iter()
                .zip(rb)
                .position(|(x, y)| x != y)
                .unwrap_or(ra.len().min(rb.len()));
            panic!(
                "{}: runs diverge at record {i}:\n  first:  {:?}\n  second: {:?}",
                path.display(),
                ra.get(i).map(output::log_line),
                rb.get(i).map(output::log_line)
            );
        }
        // The encodings are deterministic too.
        assert_eq!(
            output::csv(ra).unwrap(),
            output::csv(rb).unwrap(),
            "{}",
            path.display()
        );
        assert!(!ra.is_empty(), "{}: empty timeline", path.display());
    }
}

const RANDOM_BATCH: &str = r#"
apiVersion: kubesim.io/v1alpha1
kind: Scenario
metadata: {name: random-batch}
spec:
  seed: 1
  cluster:
    nodePools:
    - {name: node, count: 2, capacity: {cpu: "8", memory: 32Gi}, images: ["busybox:1.36"]}
  behaviours:
  - name: job
    match: {image: "busybox*"}
    run: {lognormal: {median: 30s, sigma: 0.5}}
  workloads:
  - manifest:
      apiVersion: v1
      kind: List
      items:
      - {apiVersion: v1, kind: Pod, metadata: {name: a}, spec: {restartPolicy: Never, containers: [{name: c, image: "busybox:1.36"}]}}
      - {apiVersion: v1, kind: Pod, metadata: {name: b}, spec: {restartPolicy: Never, containers: [{name: c, image: "busybox:1.36"}]}}
"#;

fn finish_times(seed: u64) -> Vec<String> {
    let scenario = common::load_text(RANDOM_BATCH);
    let sim = common::run(&scenario, Some(seed));
    sim.timeline()
        .records()
        .iter()
        .filter(|r| r.event == "Phase" && r.to == "Succeeded")
        .map(|r| format!("{} {}", r.name, r.time))
        .collect()
}

#[test]
fn a_different_seed_changes_sampled_durations() {
    let one = finish_times(1);
    assert_eq!(one.len(), 2, "{one:?}");
    assert_eq!(one, finish_times(1));
    assert_ne!(one, finish_times(2));
}

#[test]
fn adding_a_pod_does_not_shift_other_pods_draws() {
    let with_c = RANDOM_BATCH.replace(
        "      - {apiVersion: v1, kind: Pod, metadata: {name: b}",
        "      - {apiVersion: v1, kind: Pod, metadata: {name: c}, spec: {restartPolicy: Never, containers: [{name: c, image: \"busybox:1.36\"}]}}\n      - {apiVersion: v1, kind: Pod, metadata: {name: b}",
    );
    // Pod a's run time is drawn from its own stream: the same whichever pods exist besides it.
    let run_time = |text: &str| {
        let s = common::load_text(text);
        let sim = common::run(&s, None);
        let id = sim
            .cluster()
            .find_pod("default", "a")
            .expect("pod a exists");
        let pod = sim.cluster().pod(id).expect("pod a exists");
        match &pod.status.container_statuses[0].state {
            sim_core::cluster::ContainerState::Terminated {
                started_at,
                finished_at,
                ..
            } => *finished_at - *started_at,
            other => panic!("pod a did not finish: {other:?}"),
        }
    };
    assert_eq!(run_time(RANDOM_BATCH), run_time(&with_c));
}
