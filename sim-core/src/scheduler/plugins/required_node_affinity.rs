//! nodeaffinity.GetRequiredNodeAffinity(pod).Match(node) answered once per node: a node's
//! verdict depends only on its labels and name and on the selector, so it is remembered while
//! the nodes (`Cluster::node_generation`) and the selector stay those of the previous cycle.
//! Consecutive pods of one workload carry equal selectors, so a filter walk reads a byte per
//! node instead of matching label strings (upstream re-matches per node; the answers agree).

use std::cell::Cell;
use std::collections::BTreeMap;

use crate::api::NodeSelectorTerm;
use crate::cluster::{Cluster, NodeRecord};

use super::node_affinity::selector_and_terms_match;

#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
enum Verdict {
    #[default]
    Unknown,
    Match,
    NoMatch,
}

/// A nodeSelector and required node selector terms with each node's verdict, filled on first
/// use.
#[derive(Debug, Default)]
pub struct RequiredNodeAffinityMemo {
    node_selector: BTreeMap<String, String>,
    terms: Option<Vec<NodeSelectorTerm>>,
    /// (node generation, node slots) the verdicts hold for.
    nodes: Option<(u64, usize)>,
    /// Per node id.
    verdicts: Vec<Cell<Verdict>>,
}

impl RequiredNodeAffinityMemo {
    /// Answers for this selector on `cluster`'s nodes from now on; the verdicts already known
    /// are kept when neither the selector nor the nodes changed.
    pub fn prepare(
        &mut self,
        node_selector: &BTreeMap<String, String>,
        terms: Option<&[NodeSelectorTerm]>,
        cluster: &Cluster,
    ) {
        let nodes = Some((cluster.node_generation(), cluster.nodes().len()));
        if self.nodes == nodes
            && self.node_selector == *node_selector
            && self.terms.as_deref() == terms
        {
            return;
        }
        self.nodes = nodes;
        self.node_selector.clone_from(node_selector);
        self.terms = terms.map(<[NodeSelectorTerm]>::to_vec);
        self.verdicts.clear();
        self.verdicts
            .resize(cluster.nodes().len(), Cell::new(Verdict::Unknown));
    }

    /// The prepared selector matches `node` (the nodeSelector's pairs and any of the terms).
    pub fn matches(&self, node: &NodeRecord) -> bool {
        let compute = || selector_and_terms_match(&self.node_selector, self.terms.as_deref(), node);
        let Some(slot) = self.verdicts.get(node.id.0 as usize) else {
            return compute();
        };
        match slot.get() {
            Verdict::Match => true,
            Verdict::NoMatch => false,
            Verdict::Unknown => {
                let m = compute();
                slot.set(if m { Verdict::Match } else { Verdict::NoMatch });
                m
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::{NodeId, PodRecord};
    use crate::scheduler::plugins::node_affinity::required_terms;
    use crate::scheduler::testutil::{node, pod_from_yaml};

    fn cluster(zones: &[&str]) -> Cluster {
        let mut c = Cluster::new();
        for (i, z) in zones.iter().enumerate() {
            c.add_node(node(&format!("n{i}"), 1000, 1000, &[("zone", z)]));
        }
        c
    }

    fn prepare(memo: &mut RequiredNodeAffinityMemo, p: &PodRecord, c: &Cluster) {
        let spec = &p.pod.spec;
        memo.prepare(&spec.node_selector, required_terms(spec), c);
    }

    fn verdicts(memo: &RequiredNodeAffinityMemo, c: &Cluster) -> Vec<bool> {
        (0..c.nodes().len())
            .map(|i| memo.matches(c.node(NodeId(i as u32))))
            .collect()
    }

    /// Verdicts follow a changed selector and relabelled nodes, never a stale memo.
    #[test]
    fn verdicts_follow_selector_and_nodes() {
        let mut c = cluster(&["a", "b", "a"]);
        let a = pod_from_yaml("{nodeSelector: {zone: a}}");
        let b = pod_from_yaml(
            "{affinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: [{matchExpressions: [{key: zone, operator: In, values: [b]}]}]}}}}",
        );
        let mut memo = RequiredNodeAffinityMemo::default();
        prepare(&mut memo, &a, &c);
        assert_eq!(verdicts(&memo, &c), [true, false, true]);
        prepare(&mut memo, &b, &c);
        assert_eq!(verdicts(&memo, &c), [false, true, false]);
        c.node_mut(NodeId(0))
            .labels
            .insert("zone".into(), "b".into());
        prepare(&mut memo, &b, &c);
        assert_eq!(verdicts(&memo, &c), [true, true, false]);
        c.add_node(node("n3", 1000, 1000, &[("zone", "b")]));
        prepare(&mut memo, &b, &c);
        assert_eq!(verdicts(&memo, &c), [true, true, false, true]);
    }
}
