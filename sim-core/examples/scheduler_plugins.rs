//! Extending kubesim's scheduler: a user Filter plugin, a user Score plugin, and a whole
//! replacement scheduler, each run on the same small scenario.
//!
//! Run: `cargo run -p sim-core --example scheduler_plugins`
//!
//! 1. `GpuNodesOnly` (Filter) keeps pods annotated `example.com/gpu: "true"` off nodes without
//!    the label `accelerator`; its reason shows up in FailedScheduling messages like a built-in
//!    plugin's.
//! 2. `PreferZoneB` (Score) adds a preference for `topology.kubernetes.io/zone: zone-b`, weighed
//!    against the default scores like any plugin (weight 5 here).
//! 3. `FirstFit` implements the `Scheduler` trait itself: first node in name order whose free
//!    cpu fits, no queue subtleties. The engine drives it exactly as it drives kube-scheduler.
//! 4. `Gang` (Permit) holds pods labelled `pod-group: <g>` at Permit, reserved on their nodes,
//!    until `minMember` of the group wait, then allows them all at once; a group that never
//!    completes is rejected after `timeoutSeconds` ("0/1 nodes are available: 1 rejected due
//!    to timeout after waiting 10s at plugin Gang."). It is registered in a `Registry` and enabled, with its args, by a
//!    KubeSchedulerConfiguration, as an out-of-tree plugin is in kube-scheduler.

use std::sync::Arc;

use sim_core::cluster::{Cluster, NodeId, PodId, PodRecord};
use sim_core::diag::SourceReader;
use sim_core::engine::{RunOptions, Simulation};
use sim_core::rng::RngStreams;
use sim_core::scenario::load::{Scenario, load_scenario};
use sim_core::scheduler::binding::{PermitDecision, PermitPlugin, WaitingPods};
use sim_core::scheduler::config::{self, PluginArgs, Registry};
use sim_core::scheduler::framework::{FilterPlugin, MAX_NODE_SCORE, ScorePlugin, Snapshot, Status};
use sim_core::scheduler::profile::{Diagnosis, Profile};
use sim_core::scheduler::{
    ClusterEvent, DefaultScheduler, FitError, Nomination, Scheduler, SchedulingResult,
};
use sim_core::time::{SimDuration, SimTime};

const SCENARIO: &str = r#"
apiVersion: kubesim.io/v1alpha1
kind: Scenario
metadata: {name: plugin-example}
spec:
  seed: 1
  run: {until: 20s}
  cluster:
    nodePools:
    - {name: a, count: 2, capacity: {cpu: "4", memory: 8Gi}, labels: {topology.kubernetes.io/zone: zone-a}}
    - {name: b, count: 1, capacity: {cpu: "4", memory: 8Gi}, labels: {topology.kubernetes.io/zone: zone-b}}
  workloads:
  - manifest:
      apiVersion: v1
      kind: Pod
      metadata: {name: web}
      spec:
        containers: [{name: app, image: nginx:1.27}]
  - manifest:
      apiVersion: v1
      kind: Pod
      metadata: {name: trainer, annotations: {example.com/gpu: "true"}}
      spec:
        containers: [{name: app, image: nginx:1.27}]
  actions:
  - {at: 1s, create: {manifest: {apiVersion: v1, kind: Pod, metadata: {name: worker-0, labels: {pod-group: train}}, spec: {containers: [{name: app, image: nginx:1.27}]}}}}
  - {at: 2s, create: {manifest: {apiVersion: v1, kind: Pod, metadata: {name: worker-1, labels: {pod-group: train}}, spec: {containers: [{name: app, image: nginx:1.27}]}}}}
  - {at: 3s, create: {manifest: {apiVersion: v1, kind: Pod, metadata: {name: worker-2, labels: {pod-group: train}}, spec: {containers: [{name: app, image: nginx:1.27}]}}}}
  - {at: 4s, create: {manifest: {apiVersion: v1, kind: Pod, metadata: {name: loner, labels: {pod-group: solo}}, spec: {containers: [{name: app, image: nginx:1.27}]}}}}
"#;

/// The KubeSchedulerConfiguration that enables `Gang` at Permit, with its args.
const SCHEDULER_CONFIG: &str = r#"
apiVersion: kubescheduler.config.k8s.io/v1
kind: KubeSchedulerConfiguration
profiles:
- schedulerName: default-scheduler
  plugins:
    permit:
      enabled:
      - name: Gang
  pluginConfig:
  - name: Gang
    args: {minMember: 3, timeoutSeconds: 10}
"#;

/// A Filter plugin: pods asking for a GPU only fit nodes labelled `accelerator`.
struct GpuNodesOnly;

impl FilterPlugin for GpuNodesOnly {
    fn name(&self) -> &'static str {
        "GpuNodesOnly"
    }

    /// PreFilter: nothing to check for pods that do not ask (Skip saves the per-node calls).
    fn pre_filter(&mut self, pod: &PodRecord, _: Snapshot<'_>) -> Status {
        let wants = pod.pod.metadata.annotations.get("example.com/gpu");
        if wants.is_some_and(|v| v == "true") {
            Status::SUCCESS
        } else {
            Status::SKIP
        }
    }

    fn filter(&self, _: &PodRecord, node: NodeId, s: Snapshot<'_>) -> Status {
        if s.node(node).labels.contains_key("accelerator") {
            Status::SUCCESS
        } else {
            // UnschedulableAndUnresolvable: preemption cannot help.
            Status::unresolvable("node(s) had no GPU")
        }
    }
}

/// A Score plugin: zone-b nodes score 100, others 0.
struct PreferZoneB;

impl ScorePlugin for PreferZoneB {
    fn name(&self) -> &'static str {
        "PreferZoneB"
    }

    fn score(&self, _: &PodRecord, node: NodeId, s: Snapshot<'_>) -> i64 {
        let zone = s.node(node).labels.get("topology.kubernetes.io/zone");
        if zone.is_some_and(|z| z == "zone-b") {
            MAX_NODE_SCORE
        } else {
            0
        }
    }
}

/// A Permit plugin: all-or-nothing placement of a `pod-group`.
struct Gang {
    min_member: usize,
    timeout: SimDuration,
}

impl Gang {
    /// Built from its `pluginConfig` args (`minMember`, `timeoutSeconds`).
    fn from_args(args: &PluginArgs) -> Gang {
        let arg = |key: &str, default: u64| {
            args.raw("Gang")
                .and_then(|a| a.get(key))
                .and_then(|v| v.as_u64())
                .unwrap_or(default)
        };
        Gang {
            min_member: arg("minMember", 2) as usize,
            timeout: SimDuration::from_secs(arg("timeoutSeconds", 30)),
        }
    }
}

impl PermitPlugin for Gang {
    fn name(&self) -> &'static str {
        "Gang"
    }

    fn permit(
        &mut self,
        pod: &PodRecord,
        _: NodeId,
        s: Snapshot<'_>,
        waiting: &mut WaitingPods,
    ) -> PermitDecision {
        let Some(group) = pod.pod.metadata.labels.get("pod-group") else {
            return PermitDecision::Allow;
        };
        let members: Vec<PodId> = waiting
            .iter()
            .map(|(id, _)| id)
            .filter(|id| {
                s.cluster
                    .pod(*id)
                    .is_some_and(|p| p.pod.metadata.labels.get("pod-group") == Some(group))
            })
            .collect();
        if members.len() + 1 < self.min_member {
            return PermitDecision::Wait(self.timeout);
        }
        for m in members {
            waiting.allow(m, "Gang");
        }
        PermitDecision::Allow
    }
}

/// A whole scheduler: first fit by free cpu, in node order.
#[derive(Default)]
struct FirstFit {
    queue: Vec<PodId>,
}

impl Scheduler for FirstFit {
    fn on_event(&mut self, _: SimTime, event: ClusterEvent, _: &Cluster) {
        if let ClusterEvent::PodAdded(id) = event {
            self.queue.push(id);
        }
    }

    fn schedule_one(&mut self, _: SimTime, cluster: &Cluster) -> Option<SchedulingResult> {
        let pod = self.queue.pop()?;
        let want = cluster.pod(pod)?.requests.requested.milli_cpu;
        let node = cluster
            .nodes()
            .iter()
            .find(|n| n.allocatable.milli_cpu - n.requested.milli_cpu >= want);
        Some(match node {
            Some(n) => SchedulingResult::Scheduled { pod, node: n.id },
            None => SchedulingResult::Unschedulable {
                pod,
                error: FitError::new(
                    &Diagnosis {
                        num_all_nodes: cluster.nodes().len(),
                        ..Diagnosis::default()
                    },
                    String::new(),
                ),
                nomination: Nomination::Keep,
            },
        })
    }

    fn next_wakeup(&self) -> Option<SimTime> {
        None
    }

    fn has_ready(&self) -> bool {
        !self.queue.is_empty()
    }
}

struct Inline;

impl SourceReader for Inline {
    fn read(&self, path: &str) -> Result<(String, String), String> {
        Ok((path.to_string(), SCENARIO.to_string()))
    }
}

fn run(title: &str, scenario: &Arc<Scenario>, scheduler: Box<dyn Scheduler>) {
    let opts = RunOptions {
        seed: 1,
        until: SimTime::ZERO + scenario.until,
        max_events: scenario.max_events,
        check_invariants: true,
    };
    let mut sim = Simulation::with_scheduler(Arc::clone(scenario), opts, scheduler);
    sim.run();
    println!("== {title}");
    for r in sim.timeline().records() {
        if r.reason == "Scheduled" || r.reason == "FailedScheduling" {
            println!(
                "{:>8}  {}/{}  {}",
                r.time.to_string(),
                r.name,
                r.reason,
                r.message
            );
        }
    }
}

fn main() {
    let (scenario, diags) = load_scenario("plugin-example.yaml", &Inline);
    let Some(scenario) = scenario else {
        panic!("the example scenario is invalid: {diags:?}");
    };
    let scenario = Arc::new(scenario);
    let streams = RngStreams::new(1);

    // The default profile plus a user Filter and a user Score plugin.
    let mut profile = Profile::default_profile();
    profile.add_filter(Box::new(GpuNodesOnly));
    profile.add_score(Box::new(PreferZoneB), 5);
    let custom =
        DefaultScheduler::with_profiles(streams.stream("scheduler/select-host"), vec![profile]);
    run(
        "default profile + GpuNodesOnly + PreferZoneB",
        &scenario,
        Box::new(custom),
    );

    // A scheduler written from scratch.
    run("FirstFit", &scenario, Box::new(FirstFit::default()));

    // kube-scheduler configured by a KubeSchedulerConfiguration that enables the user's
    // Permit plugin; the registry knows the in-tree plugins and `Gang`.
    let mut registry = Registry::in_tree();
    registry.register_permit("Gang", |args| Box::new(Gang::from_args(args)));
    let config = match config::parse("gang-config.yaml", SCHEDULER_CONFIG, &registry) {
        Ok(c) => c,
        Err(errors) => panic!("the example configuration is invalid: {errors:?}"),
    };
    let gang =
        DefaultScheduler::from_config(streams.stream("scheduler/select-host"), &config, &registry);
    run(
        "KubeSchedulerConfiguration + Gang (Permit)",
        &scenario,
        Box::new(gang),
    );
}
