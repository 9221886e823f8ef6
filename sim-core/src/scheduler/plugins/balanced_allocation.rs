//! noderesources/balanced_allocation.go: favours nodes whose resource fractions (with the pod)
//! are close to each other: `(1 - std) * 100` over real requests.

use crate::cluster::{NodeId, NodeUsage, PodRecord};
use crate::scheduler::framework::{MAX_NODE_SCORE, ScorePlugin, Snapshot, Status, score_each};
use crate::scheduler::score_memo::{CpuMemoryInputs, ScoreMemo};

use super::node_resources_fit::{
    ResourceSpec, allocatable_and_request, default_resources, is_cpu_memory,
};

pub struct BalancedAllocation {
    resources: Vec<ResourceSpec>,
    /// `resources` is exactly [cpu, memory]: read them from the node's packed accounting.
    cpu_memory_only: bool,
    /// Each node's last cpu/memory score (`cpu_memory_only`), reused while its inputs hold.
    memo: ScoreMemo,
}

impl Default for BalancedAllocation {
    fn default() -> Self {
        BalancedAllocation::new(default_resources())
    }
}

impl BalancedAllocation {
    pub fn new(resources: Vec<ResourceSpec>) -> Self {
        BalancedAllocation {
            cpu_memory_only: is_cpu_memory(&resources),
            resources,
            memo: ScoreMemo::default(),
        }
    }
}

/// balancedResourceScorer over (requested, allocatable) pairs; fractions are capped at 1.
pub fn balanced_resource_score(pairs: impl Iterator<Item = (i64, i64)>) -> i64 {
    // At most a handful of resources: a fixed buffer keeps the hot path allocation-free.
    let mut fractions = [0f64; 8];
    let mut n = 0;
    let mut total = 0f64;
    for (req, alloc) in pairs {
        if alloc == 0 || n == fractions.len() {
            continue;
        }
        let f = (req as f64 / alloc as f64).min(1.0);
        total += f;
        fractions[n] = f;
        n += 1;
    }
    let std = match n {
        2 => ((fractions[0] - fractions[1]) / 2.0).abs(),
        n if n > 2 => {
            let mean = total / n as f64;
            let sum: f64 = fractions[..n].iter().map(|f| (f - mean) * (f - mean)).sum();
            (sum / n as f64).sqrt()
        }
        _ => 0.0,
    };
    ((1.0 - std) * MAX_NODE_SCORE as f64) as i64
}

/// `balanced_resource_score` of two resources with non-zero allocatable: the same floating
/// point operations in the same order, so the same score.
#[inline]
fn balanced_two((req_a, alloc_a): (i64, i64), (req_b, alloc_b): (i64, i64)) -> i64 {
    // `f64::min` without its NaN handling: a quotient of integers by a non-zero is a number.
    let cap = |f: f64| if f > 1.0 { 1.0 } else { f };
    let a = cap(req_a as f64 / alloc_a as f64);
    let b = cap(req_b as f64 / alloc_b as f64);
    let std = ((a - b) / 2.0).abs();
    ((1.0 - std) * MAX_NODE_SCORE as f64) as i64
}

/// A node's score inputs from its packed accounting and `pod`'s request (for the memo).
fn inputs(pod: &PodRecord) -> impl Fn(&NodeUsage) -> CpuMemoryInputs {
    let req = &pod.requests.requested;
    let (cpu, memory) = (req.milli_cpu, req.memory);
    move |u: &NodeUsage| {
        [
            u.requested_milli_cpu + cpu,
            u.alloc_milli_cpu,
            u.requested_memory + memory,
            u.alloc_memory,
        ]
    }
}

/// The score of cpu/memory inputs. The memo keeps this final integer, so the floating point
/// runs once per new inputs.
fn cpu_memory_score([rc, ac, rm, am]: CpuMemoryInputs) -> i64 {
    if ac != 0 && am != 0 {
        balanced_two((rc, ac), (rm, am))
    } else {
        balanced_resource_score([(rc, ac), (rm, am)].into_iter())
    }
}

impl ScorePlugin for BalancedAllocation {
    fn name(&self) -> &'static str {
        "NodeResourcesBalancedAllocation"
    }

    /// Skip best-effort pods (nothing requested of the configured resources), kubernetes#129138.
    fn pre_score(&mut self, pod: &PodRecord, _: &[NodeId], _: Snapshot<'_>) -> Status {
        let req = &pod.requests.requested;
        let best_effort = self.resources.iter().all(|r| r.key.get(req) == 0);
        if best_effort {
            Status::SKIP
        } else {
            Status::SUCCESS
        }
    }

    fn score_all(&self, pod: &PodRecord, feasible: &[NodeId], s: Snapshot<'_>, out: &mut [i64]) {
        if !self.cpu_memory_only {
            return score_each(self, pod, feasible, s, out);
        }
        self.memo.score_all(
            s.cluster.usages(),
            feasible,
            out,
            inputs(pod),
            cpu_memory_score,
        );
    }

    /// No NormalizeScore: the raw score times the weight, straight from the memo.
    fn add_weighted_scores(
        &self,
        pod: &PodRecord,
        feasible: &[NodeId],
        s: Snapshot<'_>,
        weight: i64,
        totals: &mut [i64],
    ) -> bool {
        if !self.cpu_memory_only {
            return false;
        }
        let usages = s.cluster.usages();
        let inputs = inputs(pod);
        self.memo
            .add_weighted(usages, feasible, weight, totals, inputs, cpu_memory_score);
        true
    }

    fn score(&self, pod: &PodRecord, id: NodeId, s: Snapshot<'_>) -> i64 {
        let node = s.node(id);
        let req = &pod.requests.requested;
        balanced_resource_score(self.resources.iter().map(|r| {
            let pod_request = r.key.get(req);
            let (alloc, requested) = allocatable_and_request(node, &r.key, pod_request, true);
            (requested, alloc)
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scheduler::testutil::{
        TestCluster, differently_sized_nodes, node, node2_holding_3000m_5000, pod,
    };

    /// noderesources/balanced_allocation_test.go TestNodeResourcesBalancedAllocation.
    #[test]
    fn balanced_allocation_table() {
        let ba = BalancedAllocation::default();
        // "nothing scheduled, resources requested, differently sized nodes": cpu 3000/4000 and
        // memory 5000/10000 -> |0.75-0.5|/2 = 0.125 -> 87; node2 cpu 0.5, mem 0.5 -> 100.
        let (tc, p) = differently_sized_nodes();
        let got: Vec<i64> = (0..2)
            .map(|i| ba.score(&p, NodeId(i as u32), tc.snapshot()))
            .collect();
        assert_eq!(got, [87, 100]);
        // "resources requested, pods scheduled with resources": existing 3000m/5000 on node2 of
        // 10000/20000, pod 3000m/5000: cpu 0.6, mem 0.5 -> 95; node1 0.3, 0.25 -> 97.
        let tc = node2_holding_3000m_5000();
        let p = pod(
            "p",
            "default",
            &[],
            "{containers: [{name: a, image: i, resources: {requests: {cpu: 3000m, memory: '5000'}}}]}",
        );
        let got: Vec<i64> = (0..2)
            .map(|i| ba.score(&p, NodeId(i as u32), tc.snapshot()))
            .collect();
        assert_eq!(got, [97, 95]);
    }

    /// The two-resource fast path gives `balanced_resource_score`'s result.
    #[test]
    fn two_resources_match_the_general_scorer() {
        let cases = [
            ((3000, 4000), (5000, 10000)),
            ((0, 4000), (0, 10000)),
            ((5000, 4000), (1, 3)),
            ((1, 3), (2, 7)),
            ((123_456, 1_000_000), (987_654_321, 1_000_000_007)),
        ];
        for (a, b) in cases {
            assert_eq!(
                balanced_two(a, b),
                balanced_resource_score([a, b].into_iter()),
                "{a:?} {b:?}"
            );
        }
    }

    #[test]
    fn best_effort_pods_skip() {
        let mut ba = BalancedAllocation::default();
        let tc = TestCluster::new(vec![node("n", 1000, 1000, &[])], vec![]);
        let p = pod("p", "default", &[], "{containers: [{name: a, image: i}]}");
        assert_eq!(ba.pre_score(&p, &[], tc.snapshot()), Status::SKIP);
    }
}
