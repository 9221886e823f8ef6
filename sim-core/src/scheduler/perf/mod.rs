//! kubesim's versions of upstream's scheduler_perf workloads
//! (test/integration/scheduler_perf/*/performance-config.yaml) with upstream's node and pod
//! templates built in. A workload creates its nodes and init pods, schedules the init pods,
//! then creates the measured pods; [`PerfRun::schedule_measured`] schedules those and is what
//! `kubesim bench scheduler` and the criterion bench time. As in scheduler_perf there is no
//! kubelet: a scheduled pod is bound at once, and a preemption victim (grace period 0 in
//! upstream's templates) is deleted at once. The harness has a virtual clock that only moves
//! to let a preemptor's back-off (at most 10 s) expire.

use std::collections::BTreeMap;

use crate::api::{Namespace, Node, Object};
use crate::cluster::{Cluster, NodeId, NodeRecord, PodId, PodRecord};
use crate::diag::Diagnostics;
use crate::manifest::{NotSimulated, load_text};
use crate::rng::{RngStreams, uniform_below};
use crate::time::SimTime;

use super::{ClusterEvent, DefaultScheduler, Nomination, Scheduler, SchedulingResult};

/// podMaxBackoffDuration: the longest a preemptor waits before its retry.
const MAX_BACKOFF: crate::time::SimDuration = crate::time::SimDuration::from_secs(10);

const NODE_DEFAULT: &str = include_str!("templates/node-default.yaml");
const POD_DEFAULT: &str = include_str!("templates/pod-default.yaml");
const POD_ANTI_AFFINITY: &str = include_str!("templates/pod-with-pod-anti-affinity.yaml");
const POD_AFFINITY: &str = include_str!("templates/pod-with-pod-affinity.yaml");
const POD_NODE_AFFINITY: &str = include_str!("templates/pod-with-node-affinity.yaml");
const POD_TOPOLOGY_SPREADING: &str = include_str!("templates/pod-with-topology-spreading.yaml");
const POD_LOW_PRIORITY: &str = include_str!("templates/pod-low-priority.yaml");
const POD_HIGH_PRIORITY: &str = include_str!("templates/pod-high-priority.yaml");
const POD_HIGH_PRIORITY_LARGE_CPU: &str =
    include_str!("templates/pod-high-priority-large-cpu.yaml");

/// createPods: how many pods from which template into which namespace.
#[derive(Clone, Copy, Debug)]
pub struct PodsOp {
    pub count: usize,
    pub template: &'static str,
    pub namespace: &'static str,
}

/// scheduler_perf's `churn` op in create mode: a pod from `template` every 200 ms of wall
/// clock. The harness has no wall clock, so a churn pod is created after every `every`
/// measured pods scheduled: 200 ms at upstream's threshold rate.
#[derive(Clone, Copy, Debug)]
pub struct ChurnOp {
    pub template: &'static str,
    pub every: usize,
}

/// One workload: nodes (labelled by labelNodePrepareStrategy when set), namespaces, init pods,
/// measured pods, and upstream's CI threshold in pods/s.
#[derive(Clone, Copy, Debug)]
pub struct Workload {
    pub name: &'static str,
    pub nodes: usize,
    /// labelNodePrepareStrategy: key and the values drawn uniformly per node.
    pub node_label: Option<(&'static str, &'static [&'static str])>,
    pub namespaces: &'static [&'static str],
    pub init: PodsOp,
    pub measured: PodsOp,
    pub churn: Option<ChurnOp>,
    /// Upstream's CI threshold in pods/s; 0 where the workload has none.
    pub upstream_threshold: u32,
}

/// The workloads `kubesim bench scheduler` knows, with upstream's performance parameters.
pub const WORKLOADS: &[Workload] = &[
    Workload {
        name: "SchedulingBasic",
        nodes: 5000,
        node_label: None,
        namespaces: &[],
        init: PodsOp {
            count: 1000,
            template: POD_DEFAULT,
            namespace: "default",
        },
        measured: PodsOp {
            count: 10000,
            template: POD_DEFAULT,
            namespace: "default",
        },
        churn: None,
        upstream_threshold: 680,
    },
    Workload {
        name: "SchedulingPodAntiAffinity",
        nodes: 5000,
        node_label: None,
        namespaces: &["sched-0", "sched-1"],
        init: PodsOp {
            count: 1000,
            template: POD_ANTI_AFFINITY,
            namespace: "sched-0",
        },
        measured: PodsOp {
            count: 2000,
            template: POD_ANTI_AFFINITY,
            namespace: "sched-1",
        },
        churn: None,
        upstream_threshold: 60,
    },
    Workload {
        name: "SchedulingPodAffinity",
        nodes: 5000,
        node_label: Some(("topology.kubernetes.io/zone", &["zone1"])),
        namespaces: &["sched-0", "sched-1"],
        init: PodsOp {
            count: 5000,
            template: POD_AFFINITY,
            namespace: "sched-0",
        },
        measured: PodsOp {
            count: 5000,
            template: POD_AFFINITY,
            namespace: "sched-1",
        },
        churn: None,
        upstream_threshold: 35,
    },
    Workload {
        name: "SchedulingNodeAffinity",
        nodes: 5000,
        node_label: Some(("topology.kubernetes.io/zone", &["zone1"])),
        namespaces: &[],
        init: PodsOp {
            count: 5000,
            template: POD_NODE_AFFINITY,
            namespace: "default",
        },
        measured: PodsOp {
            count: 10000,
            template: POD_NODE_AFFINITY,
            namespace: "default",
        },
        churn: None,
        upstream_threshold: 220,
    },
    Workload {
        name: "TopologySpreading",
        nodes: 5000,
        node_label: Some((
            "topology.kubernetes.io/zone",
            &["moon-1", "moon-2", "moon-3"],
        )),
        namespaces: &[],
        init: PodsOp {
            count: 5000,
            template: POD_DEFAULT,
            namespace: "default",
        },
        measured: PodsOp {
            count: 5000,
            template: POD_TOPOLOGY_SPREADING,
            namespace: "default",
        },
        churn: None,
        upstream_threshold: 460,
    },
    // misc/performance-config.yaml PreemptionBasic 1000Nodes (labelled performance, no
    // threshold): every measured pod must preempt three low-priority pods.
    Workload {
        name: "PreemptionBasic",
        nodes: 1000,
        node_label: None,
        namespaces: &[],
        init: PodsOp {
            count: 4000,
            template: POD_LOW_PRIORITY,
            namespace: "default",
        },
        measured: PodsOp {
            count: 1000,
            template: POD_HIGH_PRIORITY,
            namespace: "default",
        },
        churn: None,
        upstream_threshold: 0,
    },
    // misc/performance-config.yaml Unschedulable 5kNodes/100Init/10kPods: high-priority pods
    // that fit no node (9 cpu) keep arriving while the measured pods are scheduled.
    Workload {
        name: "Unschedulable",
        nodes: 5000,
        node_label: None,
        namespaces: &[],
        init: PodsOp {
            count: 100,
            template: POD_DEFAULT,
            namespace: "default",
        },
        measured: PodsOp {
            count: 10000,
            template: POD_DEFAULT,
            namespace: "default",
        },
        churn: Some(ChurnOp {
            template: POD_HIGH_PRIORITY_LARGE_CPU,
            every: 118,
        }),
        upstream_threshold: 590,
    },
];

pub fn workload(name: &str) -> Option<&'static Workload> {
    WORKLOADS.iter().find(|w| w.name == name)
}

/// Decodes a built-in template (upstream YAML, through kubesim's manifest pipeline).
fn template(text: &str) -> Object {
    let mut notes = NotSimulated::default();
    let mut diags = Diagnostics::default();
    let mut objs = load_text("template.yaml", text, &mut notes, &mut diags);
    // The templates are compiled in and covered by tests: a failure is a kubesim bug.
    assert!(
        !diags.has_errors() && objs.len() == 1,
        "built-in scheduler_perf template does not decode: {diags:?}"
    );
    objs.remove(0).object
}

/// A prepared workload: the cluster with init pods scheduled and measured pods created.
pub struct PerfRun {
    pub workload: &'static Workload,
    cluster: Cluster,
    scheduler: DefaultScheduler,
    measured: Vec<PodId>,
    now: SimTime,
    pub unschedulable_attempts: usize,
    /// Pods deleted by preemption.
    pub preemption_victims: usize,
    churned: usize,
}

impl PerfRun {
    /// Creates nodes, namespaces and init pods, schedules the init pods, and creates (but
    /// does not queue) the measured pods.
    pub fn prepare(workload: &'static Workload, seed: u64) -> PerfRun {
        let streams = RngStreams::new(seed);
        let mut label_rng = streams.stream("bench/node-labels");
        let mut cluster = Cluster::new();
        let Object::Node(node) = template(NODE_DEFAULT) else {
            unreachable!("node-default.yaml holds a Node")
        };
        for i in 0..workload.nodes {
            let mut n: Node = node.clone();
            n.metadata.name = Some(format!("scheduler-perf-{i:05}"));
            if let Some((key, values)) = workload.node_label {
                let v = values[uniform_below(&mut label_rng, values.len() as u64) as usize];
                n.metadata.labels.insert(key.to_string(), v.to_string());
            }
            cluster.add_node(NodeRecord::new(&n, BTreeMap::new(), 0, SimTime::ZERO));
        }
        for ns in workload.namespaces {
            let n = Namespace::default();
            cluster.set_namespace_labels(ns, n.metadata.labels.clone());
        }
        let scheduler = DefaultScheduler::new(streams.stream("scheduler/select-host"));
        let mut run = PerfRun {
            workload,
            cluster,
            scheduler,
            measured: Vec::new(),
            now: SimTime::ZERO,
            unschedulable_attempts: 0,
            preemption_victims: 0,
            churned: 0,
        };
        let init = run.create_pods(&workload.init, "init");
        run.schedule(&init, None);
        run.measured = run.create_pods(&workload.measured, "measured");
        run
    }

    fn create_pods(&mut self, op: &PodsOp, prefix: &str) -> Vec<PodId> {
        (0..op.count)
            .map(|i| self.create_pod(op.template, op.namespace, prefix, i))
            .collect()
    }

    fn create_pod(&mut self, text: &str, namespace: &str, prefix: &str, i: usize) -> PodId {
        let Object::Pod(mut p) = template(text) else {
            unreachable!("pod templates hold Pods")
        };
        let base = p.metadata.generate_name.clone().unwrap_or_default();
        p.metadata.name = Some(format!("{base}{prefix}-{i:05}"));
        p.metadata.namespace = Some(namespace.to_string());
        self.cluster
            .add_pod(PodRecord::new(String::new(), p, self.now))
    }

    /// Queues `pods` and runs scheduling cycles until none of them is left to place; each
    /// scheduled pod is bound at once, each preemption victim deleted at once. `churn` adds a
    /// pod every `every` pods scheduled. Returns how many of `pods` were scheduled.
    fn schedule(&mut self, pods: &[PodId], churn: Option<ChurnOp>) -> usize {
        for &id in pods {
            self.scheduler
                .on_event(self.now, ClusterEvent::PodAdded(id), &self.cluster);
        }
        let mut scheduled = 0;
        loop {
            let Some(result) = self.scheduler.schedule_one(self.now, &self.cluster) else {
                // Preemptors wait out their back-off (at most 10 s); the 5-minute flush of
                // pods that fit nowhere is not waited for.
                match self.scheduler.next_wakeup() {
                    Some(t) if scheduled < pods.len() && t <= self.now + MAX_BACKOFF => {
                        self.now = t;
                        continue;
                    }
                    _ => break,
                }
            };
            match result {
                SchedulingResult::Scheduled { pod, node } => {
                    bind(&mut self.cluster, pod, node);
                    self.scheduler
                        .on_event(self.now, ClusterEvent::PodBound(pod), &self.cluster);
                    scheduled += 1;
                    if let Some(c) = churn
                        && scheduled % c.every == 0
                    {
                        let id = self.create_pod(c.template, "default", "churn", self.churned);
                        self.churned += 1;
                        self.scheduler.on_event(
                            self.now,
                            ClusterEvent::PodAdded(id),
                            &self.cluster,
                        );
                    }
                }
                SchedulingResult::Unschedulable { nomination, .. } => {
                    self.unschedulable_attempts += 1;
                    if let Nomination::Set { victims, .. } = nomination {
                        for v in victims {
                            let Some(record) = self.cluster.remove_pod(v) else {
                                continue;
                            };
                            self.preemption_victims += 1;
                            self.scheduler.on_event(
                                self.now,
                                ClusterEvent::PodDeleted {
                                    id: v,
                                    pod: &record,
                                },
                                &self.cluster,
                            );
                        }
                    }
                }
                SchedulingResult::Rejected { .. } => self.unschedulable_attempts += 1,
                // The workloads' profile has no Permit plugin.
                SchedulingResult::Waiting { .. } => {}
            }
        }
        scheduled
    }

    /// Schedules the measured pods (the timed phase). Returns how many were scheduled.
    pub fn schedule_measured(&mut self) -> usize {
        let measured = std::mem::take(&mut self.measured);
        let n = self.schedule(&measured, self.workload.churn);
        self.measured = measured;
        n
    }

    pub fn measured_count(&self) -> usize {
        self.measured.len()
    }

    /// FNV-1a over every measured pod's `name=node` in creation order: identical across runs
    /// of the same workload and seed.
    pub fn placement_hash(&self) -> u64 {
        let mut bytes = Vec::new();
        for &id in &self.measured {
            if let Some(p) = self.cluster.pod(id) {
                bytes.extend_from_slice(p.name().as_bytes());
                bytes.push(b'=');
                if let Some(n) = p.node {
                    bytes.extend_from_slice(self.cluster.node(n).name.as_bytes());
                }
                bytes.push(b'\n');
            }
        }
        crate::rng::fnv1a(&bytes)
    }
}

fn bind(cluster: &mut Cluster, pod: PodId, node: NodeId) {
    cluster.reserve(node, pod);
    if let Some(p) = cluster.pod_mut(pod) {
        p.node = Some(node);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_decode() {
        for t in [
            NODE_DEFAULT,
            POD_DEFAULT,
            POD_ANTI_AFFINITY,
            POD_AFFINITY,
            POD_NODE_AFFINITY,
            POD_TOPOLOGY_SPREADING,
            POD_LOW_PRIORITY,
            POD_HIGH_PRIORITY,
            POD_HIGH_PRIORITY_LARGE_CPU,
        ] {
            template(t);
        }
    }

    /// A scaled-down SchedulingBasic places every pod, identically from the same seed.
    #[test]
    fn small_workload_is_deterministic() {
        static SMALL: Workload = Workload {
            name: "small",
            nodes: 150,
            node_label: Some(("topology.kubernetes.io/zone", &["a", "b", "c"])),
            namespaces: &[],
            init: PodsOp {
                count: 50,
                template: POD_DEFAULT,
                namespace: "default",
            },
            measured: PodsOp {
                count: 300,
                template: POD_TOPOLOGY_SPREADING,
                namespace: "default",
            },
            churn: None,
            upstream_threshold: 0,
        };
        let mut a = PerfRun::prepare(&SMALL, 1);
        let mut b = PerfRun::prepare(&SMALL, 1);
        assert_eq!(a.schedule_measured(), 300);
        assert_eq!(b.schedule_measured(), 300);
        assert_eq!(a.placement_hash(), b.placement_hash());
    }
}

#[cfg(test)]
mod preemption_tests {
    use super::*;

    /// A scaled-down PreemptionBasic: every high-priority pod preempts three low-priority
    /// pods (4 x 900m on 4 cpu; it needs 3000m) and is then placed; identical across runs.
    #[test]
    fn small_preemption_basic_places_every_preemptor() {
        static SMALL: Workload = Workload {
            name: "small-preemption",
            nodes: 20,
            node_label: None,
            namespaces: &[],
            init: PodsOp {
                count: 80,
                template: POD_LOW_PRIORITY,
                namespace: "default",
            },
            measured: PodsOp {
                count: 20,
                template: POD_HIGH_PRIORITY,
                namespace: "default",
            },
            churn: None,
            upstream_threshold: 0,
        };
        let mut a = PerfRun::prepare(&SMALL, 1);
        assert_eq!(a.schedule_measured(), 20);
        assert_eq!(a.preemption_victims, 60);
        let mut b = PerfRun::prepare(&SMALL, 1);
        b.schedule_measured();
        assert_eq!(a.placement_hash(), b.placement_hash());
    }

    /// A scaled-down Unschedulable: churn pods fit nowhere and never delay the measured pods.
    #[test]
    fn small_unschedulable_places_every_measured_pod() {
        static SMALL: Workload = Workload {
            name: "small-unschedulable",
            nodes: 50,
            node_label: None,
            namespaces: &[],
            init: PodsOp {
                count: 5,
                template: POD_DEFAULT,
                namespace: "default",
            },
            measured: PodsOp {
                count: 100,
                template: POD_DEFAULT,
                namespace: "default",
            },
            churn: Some(ChurnOp {
                template: POD_HIGH_PRIORITY_LARGE_CPU,
                every: 10,
            }),
            upstream_threshold: 0,
        };
        let mut run = PerfRun::prepare(&SMALL, 1);
        assert_eq!(run.schedule_measured(), 100);
        assert_eq!(run.preemption_victims, 0);
        assert!(run.unschedulable_attempts >= 9);
    }
}
