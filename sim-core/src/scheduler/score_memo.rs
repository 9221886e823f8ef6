//! A per-node memo of a resource scorer's raw score (NodeResourcesFit's strategies,
//! BalancedAllocation), keyed by the exact values the score is a pure function of: for cpu
//! and memory, (node requested + pod request, allocatable) each.
//!
//! Between two cycles only the node just bound (or released) changes its accounting, so
//! almost every scored node finds its previous inputs and skips the integer divisions
//! (NodeResourcesFit) and floating point (BalancedAllocation). The key is the inputs
//! themselves rather than a generation: a hit is exact by construction, whatever changed in
//! between (binds, deletions, node updates, the pod's request) and whichever cluster is
//! scored (preemption's what-if copies of the cluster share node ids with different
//! accounting). Each plugin instance owns its memo, so two profiles with different
//! scoring arguments never share entries.

use std::cell::RefCell;

use crate::cluster::{NodeId, NodeUsage};

/// The inputs of a two-resource score: `[cpu requested, cpu allocatable, memory requested,
/// memory allocatable]`, requested including the pod's request.
pub type CpuMemoryInputs = [i64; 4];

/// One node's memo: `score` is always the scorer's result for `inputs`.
#[derive(Copy, Clone, Debug)]
struct Entry {
    inputs: CpuMemoryInputs,
    score: i64,
}

/// The memo, indexed by node id. Interior mutability because `ScorePlugin::score_all` takes
/// `&self`; plugins run on one thread.
#[derive(Debug, Default)]
pub struct ScoreMemo {
    entries: RefCell<Vec<Entry>>,
}

impl ScoreMemo {
    /// Writes `score(inputs(usage))` for each node of `feasible` into `out` (same order),
    /// computing `score` only for nodes whose inputs differ from the last ones seen.
    /// `score` must be a pure function of its inputs (the plugin's configuration is fixed
    /// for the memo's lifetime).
    pub fn score_all(
        &self,
        usages: &[NodeUsage],
        feasible: &[NodeId],
        out: &mut [i64],
        inputs: impl Fn(&NodeUsage) -> CpuMemoryInputs,
        score: impl Fn(CpuMemoryInputs) -> i64,
    ) {
        self.each(usages, feasible, out, inputs, score, |o, v| *o = v);
    }

    /// Adds `weight` times each node's score to `totals` (in `feasible` order): `score_all`
    /// and the profile's weighted sum in one pass.
    pub fn add_weighted(
        &self,
        usages: &[NodeUsage],
        feasible: &[NodeId],
        weight: i64,
        totals: &mut [i64],
        inputs: impl Fn(&NodeUsage) -> CpuMemoryInputs,
        score: impl Fn(CpuMemoryInputs) -> i64,
    ) {
        self.each(usages, feasible, totals, inputs, score, |t, v| {
            *t += v * weight
        });
    }

    /// Combines each feasible node's score into its element of `out`.
    #[inline(always)]
    fn each(
        &self,
        usages: &[NodeUsage],
        feasible: &[NodeId],
        out: &mut [i64],
        inputs: impl Fn(&NodeUsage) -> CpuMemoryInputs,
        score: impl Fn(CpuMemoryInputs) -> i64,
        combine: impl Fn(&mut i64, i64),
    ) {
        let mut entries = self.entries.borrow_mut();
        if entries.len() < usages.len() {
            // A new slot holds the all-zero inputs with their true score, so every entry
            // satisfies the invariant and a lookup needs no validity flag.
            let empty = [0; 4];
            let fresh = Entry {
                inputs: empty,
                score: score(empty),
            };
            entries.resize(usages.len(), fresh);
        }
        // Both slices have the node count as length: one bounds check per node.
        let entries = &mut entries[..usages.len()];
        for (o, &id) in out.iter_mut().zip(feasible) {
            let i = id.0 as usize;
            let key = inputs(&usages[i]);
            let e = &mut entries[i];
            if !same_inputs(&e.inputs, &key) {
                refill(e, key, &score);
            }
            combine(o, e.score);
        }
    }
}

/// A miss: the scorer runs, out of the hot loop.
#[cold]
#[inline(never)]
fn refill(e: &mut Entry, inputs: CpuMemoryInputs, score: &impl Fn(CpuMemoryInputs) -> i64) {
    *e = Entry {
        inputs,
        score: score(inputs),
    };
}

/// `a == b` without the early exits of array equality: one branch per node.
#[inline(always)]
fn same_inputs(a: &CpuMemoryInputs, b: &CpuMemoryInputs) -> bool {
    ((a[0] ^ b[0]) | (a[1] ^ b[1]) | (a[2] ^ b[2]) | (a[3] ^ b[3])) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A hit returns the stored score only for identical inputs; any changed input recomputes.
    #[test]
    fn recomputes_exactly_when_inputs_change() {
        let memo = ScoreMemo::default();
        let calls = std::cell::Cell::new(0);
        let score = |k: CpuMemoryInputs| {
            calls.set(calls.get() + 1);
            k[0] * 1000 + k[2]
        };
        let inputs = |u: &NodeUsage| {
            [
                u.requested_milli_cpu,
                u.alloc_milli_cpu,
                u.requested_memory,
                u.alloc_memory,
            ]
        };
        let mut usages = vec![NodeUsage::default(); 3];
        usages[1].requested_milli_cpu = 5;
        let feasible = [NodeId(2), NodeId(1)];
        let mut out = [0; 2];
        memo.score_all(&usages, &feasible, &mut out, inputs, score);
        assert_eq!(out, [0, 5000]);
        // The fresh slots' score, then node 1's new inputs.
        assert_eq!(calls.get(), 2);
        memo.score_all(&usages, &feasible, &mut out, inputs, score);
        assert_eq!(calls.get(), 2);
        usages[2].requested_memory = 7;
        memo.score_all(&usages, &feasible, &mut out, inputs, score);
        assert_eq!((out, calls.get()), ([7, 5000], 3));
        // Growing the cluster keeps the old entries.
        usages.push(NodeUsage::default());
        memo.score_all(&usages, &[NodeId(3), NodeId(2)], &mut out, inputs, score);
        assert_eq!((out, calls.get()), ([0, 7], 4));
    }

    /// The memoized `score_all` and `add_weighted_scores` of NodeResourcesFit (each strategy, with weights) and
    /// BalancedAllocation equals the direct per-node `score` through a fixed-seed random
    /// sequence of binds, deletions, releases, added nodes, pods of varied requests, and
    /// scoring of preemption-like what-if copies of the cluster in between.
    #[test]
    fn memoized_scores_match_direct_scores_across_cluster_changes() {
        use crate::cluster::Cluster;
        use crate::rng::{RngStreams, uniform_below};
        use crate::scheduler::framework::{ScorePlugin, Snapshot};
        use crate::scheduler::plugins::node_resources_fit::{ResourceKey, ResourceSpec};
        use crate::scheduler::plugins::{
            BalancedAllocation, NodeResourcesFitScore, ScoringStrategy,
        };
        use crate::scheduler::testutil::{TestCluster, node, place, pod};

        let weighted = vec![
            ResourceSpec {
                key: ResourceKey::Cpu,
                weight: 3,
            },
            ResourceSpec {
                key: ResourceKey::Memory,
                weight: 1,
            },
        ];
        let plugins: Vec<Box<dyn ScorePlugin>> = vec![
            Box::new(NodeResourcesFitScore::new(
                ScoringStrategy::LeastAllocated,
                weighted.clone(),
            )),
            Box::new(NodeResourcesFitScore::new(
                ScoringStrategy::MostAllocated,
                weighted,
            )),
            Box::new(NodeResourcesFitScore::new(
                ScoringStrategy::RequestedToCapacityRatio(vec![(0, 0), (50, 7), (100, 10)]),
                crate::scheduler::plugins::node_resources_fit::default_resources(),
            )),
            Box::new(BalancedAllocation::default()),
        ];
        let mut rng = RngStreams::new(7).stream("score-memo-test");
        let mut draw = |n: u64| uniform_below(&mut rng, n) as i64;
        let sizes = [
            (4000, 8000),
            (8000, 4000),
            (0, 16000),
            (2000, 0),
            (16000, 32000),
        ];
        let mut tc = TestCluster::new(
            (0..6)
                .map(|i| {
                    let (c, m) = sizes[i % sizes.len()];
                    node(&format!("n{i}"), c, m, &[])
                })
                .collect(),
            vec![],
        );
        let mut bound = Vec::new();
        let check = |cluster: &Cluster, tc: &TestCluster, p: &crate::cluster::PodRecord| {
            let s = Snapshot {
                cluster,
                cache: &tc.cache,
            };
            let feasible: Vec<NodeId> = (0..cluster.nodes().len() as u32).map(NodeId).collect();
            for plugin in &plugins {
                let mut out = vec![-1; feasible.len()];
                plugin.score_all(p, &feasible, s, &mut out);
                let direct: Vec<i64> = feasible.iter().map(|&id| plugin.score(p, id, s)).collect();
                assert_eq!(out, direct, "{}", plugin.name());
                let mut totals = vec![5; feasible.len()];
                assert!(plugin.add_weighted_scores(p, &feasible, s, 3, &mut totals));
                let weighted: Vec<i64> = direct.iter().map(|d| 5 + 3 * d).collect();
                assert_eq!(totals, weighted, "{}", plugin.name());
            }
        };
        for step in 0..400 {
            let requests = match draw(4) {
                0 => String::new(),
                // A few distinct requests, so memo entries are often reused.
                1 => format!(", resources: {{requests: {{cpu: {}m}}}}", 1 + 500 * draw(4)),
                _ => format!(
                    ", resources: {{requests: {{cpu: {}m, memory: '{}'}}}}",
                    500 * draw(4),
                    1 + 3000 * draw(3)
                ),
            };
            let spec = format!("{{containers: [{{name: c, image: i{requests}}}]}}");
            let p = pod(&format!("p{step}"), "default", &[], &spec);
            check(&tc.cluster, &tc, &p);
            match draw(6) {
                0..=2 => {
                    let id = tc.cluster.add_pod(p);
                    let n = draw(tc.cluster.nodes().len() as u64) as u32;
                    place(&mut tc.cluster, id, NodeId(n));
                    bound.push(id);
                }
                3 if !bound.is_empty() => {
                    let victim = bound.swap_remove(draw(bound.len() as u64) as usize);
                    tc.cluster.remove_pod(victim);
                }
                4 if !bound.is_empty() => {
                    // A what-if copy with a victim taken off, scored, then dropped.
                    let victim = bound[draw(bound.len() as u64) as usize];
                    let mut view = tc.cluster.scheduling_view();
                    if let Some(n) = view.pod(victim).and_then(|v| v.node) {
                        view.unreserve(n, victim);
                    }
                    check(&view, &tc, &p);
                }
                _ => {
                    let (c, m) = sizes[draw(sizes.len() as u64) as usize];
                    let name = format!("added{step}");
                    tc.cluster.add_node(node(&name, c, m, &[]));
                    tc.cache.refresh(&tc.cluster);
                }
            }
        }
    }
}
