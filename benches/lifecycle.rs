//! Lifecycle throughput: full simulated pod lifecycles per second of wall time, on one core.
//!
//! Each pod is created by a timed action, scheduled, bound, started on a node with its image
//! cached, probed (readiness and liveness every 5s), runs 20s, exits 0 under restartPolicy
//! Never, reaches Succeeded (its sidecar-free sandbox torn down) and is then deleted. Reported as
//! criterion elements/s, where one element is one pod lifecycle. Results: reports/lifecycle-throughput.md.

/// The same allocator as the `kubesim` binary.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::hint::black_box;
use std::sync::Arc;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use sim_core::diag::SourceReader;
use sim_core::engine::{RunOptions, Simulation};
use sim_core::scenario::load::{ActionKind, Scenario, ScenarioAction, load_scenario};
use sim_core::time::{SimDuration, SimTime};

const PODS: usize = 10_000;
const NODES: usize = 100;

struct Inline(String);

impl SourceReader for Inline {
    fn read(&self, path: &str) -> Result<(String, String), String> {
        Ok((path.to_string(), self.0.clone()))
    }
}

/// The cluster and behaviours come from a scenario file; the 10,000 pods are added as timed
/// create actions (one every 10ms) built from one loaded Pod manifest.
fn scenario() -> Arc<Scenario> {
    let text = format!(
        r#"
apiVersion: kubesim.io/v1alpha1
kind: Scenario
metadata: {{name: lifecycle-bench}}
spec:
  run: {{until: 10m, maxEvents: 100000000}}
  cluster:
    nodePools:
    - {{name: node, count: {NODES}, capacity: {{cpu: "64", memory: 256Gi, pods: "250"}}, images: ["busybox:1.36"]}}
  behaviours:
  - {{name: batch, match: {{image: "busybox*"}}, run: 20s, readyAfter: 2s}}
  workloads:
  - manifest:
      apiVersion: v1
      kind: Pod
      metadata: {{name: template}}
      spec:
        restartPolicy: Never
        containers:
        - name: work
          image: busybox:1.36
          resources: {{requests: {{cpu: 100m, memory: 64Mi}}}}
          readinessProbe: {{exec: {{command: [cat, /ready]}}, periodSeconds: 5}}
          livenessProbe: {{exec: {{command: [cat, /alive]}}, periodSeconds: 5}}
"#
    );
    let (scenario, diags) = load_scenario("bench.yaml", &Inline(text));
    let mut scenario = match scenario {
        Some(s) => s,
        None => panic!("bench scenario is invalid: {diags:?}"),
    };
    let template = scenario.objects.remove(0);
    for i in 0..PODS {
        let mut pod = template.clone();
        pod.object.metadata_mut().name = Some(format!("pod-{i:05}"));
        let at = SimDuration::from_millis(10 * i as u64);
        scenario.actions.push(ScenarioAction {
            at,
            kind: ActionKind::Create(vec![pod.clone()]),
        });
        let delete = sim_core::scenario::DeleteAction {
            kind: "Pod".into(),
            name: format!("pod-{i:05}"),
            namespace: None,
            grace_period: None,
            force: false,
            now: false,
            cascade: None,
        };
        scenario.actions.push(ScenarioAction {
            at: at + SimDuration::from_secs(40),
            kind: ActionKind::Delete(delete),
        });
    }
    scenario.actions.sort_by_key(|a| a.at);
    Arc::new(scenario)
}

fn run(scenario: &Arc<Scenario>) -> usize {
    let opts = RunOptions {
        seed: 1,
        until: SimTime::ZERO + scenario.until,
        max_events: scenario.max_events,
        check_invariants: false,
    };
    let mut sim = Simulation::new(Arc::clone(scenario), opts);
    sim.run();
    sim.timeline()
        .records()
        .iter()
        .filter(|r| r.event == "Deleted" && r.kind == "Pod")
        .count()
}

fn lifecycle(c: &mut Criterion) {
    let s = scenario();
    // Every pod must really complete its lifecycle, or the figure would be meaningless.
    assert_eq!(
        run(&s),
        PODS,
        "every pod is created, runs, succeeds and is deleted"
    );
    let mut group = c.benchmark_group("lifecycle");
    group.sample_size(10);
    group.throughput(Throughput::Elements(PODS as u64));
    group.bench_function("10k-pods-probed", |b| b.iter(|| black_box(run(&s))));
    group.finish();
}

criterion_group!(benches, lifecycle);
criterion_main!(benches);
