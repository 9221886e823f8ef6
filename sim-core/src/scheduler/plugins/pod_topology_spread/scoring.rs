//! podtopologyspread/scoring.go: PreScore counts, per ScheduleAnyway constraint (or system
//! default), the matching pods in each topology domain that a feasible node belongs to;
//! Score credits each node with its domains' counts, weighted by ln(domains + 2);
//! NormalizeScore turns fewer matching pods into a higher score.
//!
//! The counts come from the scheduler cache's pod index (a selector is evaluated once per pod
//! class, and a domain's count is the sum of its classes' counts), not from a walk over every
//! pod each cycle; the arithmetic is upstream's, floats included.

use crate::api::{TopologySpreadConstraint, UnsatisfiableConstraintAction};
use crate::cluster::{NodeId, PodRecord};
use crate::scheduler::framework::{MAX_NODE_SCORE, ScorePlugin, Snapshot, Status, state_not_found};
use crate::scheduler::pod_index::NO_DOMAIN;

use super::{
    Constraint, LABEL_HOSTNAME, TopologyKeys, all_nodes_included, count_matching_on, match_classes,
    pod_constraints, system_default_constraints,
};

/// The Score half (ScheduleAnyway constraints, or the defaults).
pub struct PodTopologySpreadScore {
    pub default_constraints: Vec<TopologySpreadConstraint>,
    /// `defaultingType: System`: the defaults are the system's, so nodes without a zone label
    /// still get hostname spreading.
    pub system_defaulted: bool,
    constraints: Vec<Constraint>,
    keys: TopologyKeys,
    /// Per constraint, per pod class: the class's pods count toward the constraint.
    matching: Vec<Vec<bool>>,
    /// Per constraint, per slot (see `slot`): matching pods, and whether the slot's value
    /// is a key of TopologyValueToPodCounts (some feasible, not ignored node has it).
    counts: Vec<Vec<(i64, bool)>>,
    weights: Vec<f64>,
    /// Per node id: left out of scoring (misses a topology key).
    ignored: Vec<bool>,
    /// Per feasible index: ignored, for NormalizeScore.
    ignored_feasible: Vec<bool>,
}

impl Default for PodTopologySpreadScore {
    fn default() -> Self {
        PodTopologySpreadScore {
            default_constraints: system_default_constraints(),
            system_defaulted: true,
            constraints: Vec::new(),
            keys: TopologyKeys::default(),
            matching: Vec::new(),
            counts: Vec::new(),
            weights: Vec::new(),
            ignored: Vec::new(),
            ignored_feasible: Vec::new(),
        }
    }
}

/// topologyNormalizingWeight: ln(size + 2).
fn topology_normalizing_weight(size: usize) -> f64 {
    ((size + 2) as f64).ln()
}

impl PodTopologySpreadScore {
    /// The count slot of a node's value for constraint `i`: one per domain, and a last one
    /// for the value "" that upstream's `node.Labels[key]` gives a node without the label,
    /// shared with a domain whose value is the empty string.
    fn slot(&self, i: usize, domain: u32) -> usize {
        let values = &self.keys.of(i).domains.values;
        match values.get(domain as usize) {
            Some(v) if !v.is_empty() => domain as usize,
            _ => values.len(),
        }
    }

    /// TopologyValueToPodCounts over all nodes (PreScore's processAllNode): a node counts
    /// when it carries every key (if required) and passes the constraint's inclusion
    /// policies, toward the slots some feasible node made. When every node carries every
    /// key and none is filtered out, the index's per-domain counts are added up directly.
    fn count_matching_pods(&mut self, pod: &PodRecord, require_all: bool, s: Snapshot<'_>) {
        let index = s.cache.pods();
        if self.keys.everywhere() && all_nodes_included(&self.constraints, pod, s) {
            for (i, c) in self.constraints.iter().enumerate() {
                if c.topology_key == LABEL_HOSTNAME {
                    continue;
                }
                for (class, _, total) in index.classes() {
                    if !self.matching[i][class.0 as usize] || total.live == 0 {
                        continue;
                    }
                    let mut slots = std::mem::take(&mut self.counts[i]);
                    index.with_domain_counts(class, &c.topology_key, s.cluster, |_, counts| {
                        for (d, n) in counts.iter().enumerate() {
                            let slot = &mut slots[self.slot(i, d as u32)];
                            if slot.1 {
                                slot.0 += n.live;
                            }
                        }
                    });
                    self.counts[i] = slots;
                }
            }
            return;
        }
        for &id in s.cache.node_order() {
            if require_all && !self.keys.node_has_all(id) {
                continue;
            }
            let node = s.node(id);
            for (i, c) in self.constraints.iter().enumerate() {
                if c.topology_key == LABEL_HOSTNAME || !c.includes(pod, node) {
                    continue;
                }
                let slot = self.slot(i, self.keys.domain(i, id));
                if self.counts[i][slot].1 {
                    self.counts[i][slot].0 += count_matching_on(index, id, &self.matching[i]);
                }
            }
        }
    }
}

impl ScorePlugin for PodTopologySpreadScore {
    fn name(&self) -> &'static str {
        "PodTopologySpread"
    }

    /// podtopologyspread/scoring.go getPreScoreState.
    fn missing_pre_score_state(&self) -> Option<String> {
        Some(state_not_found(
            "error reading",
            "PreScorePodTopologySpread",
        ))
    }

    /// PreScore with initPreScoreState.
    fn pre_score(&mut self, pod: &PodRecord, feasible: &[NodeId], s: Snapshot<'_>) -> Status {
        let has_own = !pod.pod.spec.topology_spread_constraints.is_empty();
        if !has_own && self.default_constraints.is_empty() {
            return Status::SKIP;
        }
        self.constraints = pod_constraints(
            &self.default_constraints,
            pod,
            s,
            UnsatisfiableConstraintAction::ScheduleAnyway,
        );
        if self.constraints.is_empty() {
            return Status::SKIP;
        }
        // Only non-default constraints require every key, so nodes without a zone label
        // still get the system default's hostname spreading.
        let require_all = has_own || !self.system_defaulted;
        self.keys.index(&self.constraints, s);
        let n = self.constraints.len();
        self.counts.resize_with(n, Vec::new);
        for i in 0..n {
            let slots = self.keys.of(i).domains.values.len() + 1;
            self.counts[i].clear();
            self.counts[i].resize(slots, (0, false));
        }
        self.ignored.clear();
        self.ignored.resize(s.cluster.nodes().len(), false);
        self.ignored_feasible.clear();
        let mut ignored_count = 0;
        for &id in feasible {
            if require_all && !self.keys.node_has_all(id) {
                self.ignored[id.0 as usize] = true;
                self.ignored_feasible.push(true);
                ignored_count += 1;
                continue;
            }
            self.ignored_feasible.push(false);
            for i in 0..n {
                // Per-node counts (hostname) are taken in Score.
                if self.constraints[i].topology_key != LABEL_HOSTNAME {
                    let slot = self.slot(i, self.keys.domain(i, id));
                    self.counts[i][slot].1 = true;
                }
            }
        }
        self.weights.clear();
        for (i, c) in self.constraints.iter().enumerate() {
            let size = if c.topology_key == LABEL_HOSTNAME {
                feasible.len() - ignored_count
            } else {
                self.counts[i].iter().filter(|slot| slot.1).count()
            };
            self.weights.push(topology_normalizing_weight(size));
        }
        match_classes(
            &self.constraints,
            pod.namespace(),
            s.cache.pods(),
            &mut self.matching,
        );
        self.count_matching_pods(pod, require_all, s);
        Status::SUCCESS
    }

    fn score(&self, _pod: &PodRecord, id: NodeId, s: Snapshot<'_>) -> i64 {
        if self.ignored[id.0 as usize] {
            return 0;
        }
        let mut score = 0f64;
        for (i, c) in self.constraints.iter().enumerate() {
            let domain = self.keys.domain(i, id);
            if domain == NO_DOMAIN {
                continue;
            }
            let cnt = if c.topology_key == LABEL_HOSTNAME {
                count_matching_on(s.cache.pods(), id, &self.matching[i])
            } else {
                self.counts[i][self.slot(i, domain)].0
            };
            // scoreForCount.
            score += cnt as f64 * self.weights[i] + f64::from(c.max_skew - 1);
        }
        score.round() as i64
    }

    fn normalize(&self, scores: &mut [i64]) {
        let mut min = i64::MAX;
        let mut max = 0;
        for (i, &score) in scores.iter().enumerate() {
            if self.ignored_feasible[i] {
                continue;
            }
            min = min.min(score);
            max = max.max(score);
        }
        for (i, score) in scores.iter_mut().enumerate() {
            if self.ignored_feasible[i] {
                *score = 0;
            } else if max == 0 {
                *score = MAX_NODE_SCORE;
            } else {
                *score = MAX_NODE_SCORE * (max + min - *score) / max;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scheduler::plugins::pod_topology_spread::tests::{host, placed, spread, zoned};
    use crate::scheduler::testutil::{TestCluster, node, pod};

    /// PreScore over the first `feasible` nodes, then Score and NormalizeScore.
    fn run_score(tc: &TestCluster, p: &PodRecord, feasible: usize) -> Vec<i64> {
        let mut pl = PodTopologySpreadScore::default();
        let ids: Vec<NodeId> = (0..feasible).map(|i| NodeId(i as u32)).collect();
        assert_eq!(pl.pre_score(p, &ids, tc.snapshot()), Status::SUCCESS);
        let mut scores: Vec<i64> = ids
            .iter()
            .map(|&id| pl.score(p, id, tc.snapshot()))
            .collect();
        pl.normalize(&mut scores);
        scores
    }

    /// podtopologyspread/scoring_test.go TestPodTopologySpreadScore.
    #[test]
    fn score_table() {
        let foo: &[&str] = &["foo"];
        let two_one_zero_three = placed(&[
            ("p-a1", 0, foo),
            ("p-a2", 0, foo),
            ("p-b1", 1, foo),
            ("p-d1", 3, foo),
            ("p-d2", 3, foo),
            ("p-d3", 3, foo),
        ]);
        let four_nodes = || {
            vec![
                host("node-a"),
                host("node-b"),
                host("node-c"),
                host("node-d"),
            ]
        };
        let p = |skew: i32| {
            pod(
                "p",
                "default",
                &[("foo", "")],
                &spread(&[(skew, LABEL_HOSTNAME, "ScheduleAnyway", "foo")]),
            )
        };
        // "one constraint on node, all 4 nodes are candidates".
        let tc = TestCluster::new(four_nodes(), two_one_zero_three.clone());
        assert_eq!(run_score(&tc, &p(1), 4), [20, 60, 100, 0]);
        // "... maxSkew=2".
        assert_eq!(run_score(&tc, &p(2), 4), [33, 66, 100, 16]);
        // "... maxSkew=3" with pods spread as 4/3/2/1.
        let four_three_two_one = placed(&[
            ("p-a1", 0, foo),
            ("p-a2", 0, foo),
            ("p-a3", 0, foo),
            ("p-a4", 0, foo),
            ("p-b1", 1, foo),
            ("p-b2", 1, foo),
            ("p-b3", 1, foo),
            ("p-c1", 2, foo),
            ("p-c2", 2, foo),
            ("p-d1", 3, foo),
        ]);
        let tc = TestCluster::new(four_nodes(), four_three_two_one);
        assert_eq!(run_score(&tc, &p(3), 4), [44, 66, 77, 100]);
        // "one constraint on node, 3 out of 4 nodes are candidates" (node-y failed Filter).
        let four_two_one_three = placed(&[
            ("p-a1", 0, foo),
            ("p-a2", 0, foo),
            ("p-a3", 0, foo),
            ("p-a4", 0, foo),
            ("p-b1", 1, foo),
            ("p-b2", 1, foo),
            ("p-x1", 2, foo),
            ("p-y1", 3, foo),
            ("p-y2", 3, foo),
            ("p-y3", 3, foo),
        ]);
        let tc = TestCluster::new(
            vec![
                host("node-a"),
                host("node-b"),
                host("node-x"),
                host("node-y"),
            ],
            four_two_one_three.clone(),
        );
        assert_eq!(run_score(&tc, &p(1), 3), [33, 83, 100]);
        // "..., one node doesn't match topology key".
        let tc = TestCluster::new(
            vec![
                host("node-a"),
                node("node-b", 1000, 1000, &[("n", "node-b")]),
                host("node-x"),
                host("node-y"),
            ],
            four_two_one_three.clone(),
        );
        assert_eq!(run_score(&tc, &p(1), 3), [16, 0, 100]);
        // "one constraint on zone, 3 out of 4 nodes are candidates".
        let tc = TestCluster::new(
            vec![
                zoned("node-a", "zone1"),
                zoned("node-b", "zone1"),
                zoned("node-x", "zone2"),
                zoned("node-y", "zone2"),
            ],
            four_two_one_three,
        );
        let pz = pod(
            "p",
            "default",
            &[("foo", "")],
            &spread(&[(1, "zone", "ScheduleAnyway", "foo")]),
        );
        assert_eq!(run_score(&tc, &pz, 3), [75, 75, 100]);
        // "two Constraints on zone and node, with different labelSelectors".
        let tc = TestCluster::new(
            vec![
                zoned("node-a", "zone1"),
                zoned("node-b", "zone1"),
                zoned("node-x", "zone2"),
                zoned("node-y", "zone2"),
            ],
            placed(&[
                ("p-a1", 0, foo),
                ("p-b1", 1, &["foo", "bar"]),
                ("p-y1", 3, foo),
                ("p-y2", 3, &["bar"]),
            ]),
        );
        let p2 = pod(
            "p",
            "default",
            &[("foo", ""), ("bar", "")],
            &spread(&[
                (1, "zone", "ScheduleAnyway", "foo"),
                (1, LABEL_HOSTNAME, "ScheduleAnyway", "bar"),
            ]),
        );
        assert_eq!(run_score(&tc, &p2, 4), [60, 20, 100, 60]);
    }

    /// scoring.go PreScore, Score and NormalizeScore transcribed literally (every pod of
    /// every node, label values as strings), to check the index-based plugin against.
    fn upstream_scores(
        pl: &PodTopologySpreadScore,
        pod: &PodRecord,
        feasible: &[NodeId],
        s: Snapshot<'_>,
    ) -> Option<Vec<i64>> {
        use std::collections::BTreeMap;
        let constraints = pod_constraints(
            &pl.default_constraints,
            pod,
            s,
            UnsatisfiableConstraintAction::ScheduleAnyway,
        );
        if constraints.is_empty() {
            return None;
        }
        let require_all =
            !pod.pod.spec.topology_spread_constraints.is_empty() || !pl.system_defaulted;
        let has_all = |n: &crate::cluster::NodeRecord| {
            constraints
                .iter()
                .all(|c| n.labels.contains_key(&c.topology_key))
        };
        let count = |c: &Constraint, n: &crate::cluster::NodeRecord| {
            s.pods_on(n)
                .filter(|p| p.deletion.is_none() && p.namespace() == pod.namespace())
                .filter(|p| c.counts(&p.pod.metadata.labels))
                .count() as i64
        };
        let value = |n: &crate::cluster::NodeRecord, c: &Constraint| {
            n.labels.get(&c.topology_key).cloned().unwrap_or_default()
        };
        let mut counts: Vec<BTreeMap<String, i64>> = vec![BTreeMap::new(); constraints.len()];
        let ignored: Vec<bool> = feasible
            .iter()
            .map(|&id| require_all && !has_all(s.node(id)))
            .collect();
        for (&id, _) in feasible.iter().zip(&ignored).filter(|(_, ig)| !**ig) {
            for (i, c) in constraints.iter().enumerate() {
                if c.topology_key != LABEL_HOSTNAME {
                    counts[i].entry(value(s.node(id), c)).or_insert(0);
                }
            }
        }
        let kept = ignored.iter().filter(|ig| !**ig).count();
        let weights: Vec<f64> = constraints
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let size = if c.topology_key == LABEL_HOSTNAME {
                    kept
                } else {
                    counts[i].len()
                };
                topology_normalizing_weight(size)
            })
            .collect();
        for n in s.nodes() {
            if require_all && !has_all(n) {
                continue;
            }
            for (i, c) in constraints.iter().enumerate() {
                if !c.includes(pod, n) {
                    continue;
                }
                if let Some(slot) = counts[i].get_mut(&value(n, c)) {
                    *slot += count(c, n);
                }
            }
        }
        let mut scores: Vec<i64> = feasible
            .iter()
            .zip(&ignored)
            .map(|(&id, &ig)| {
                if ig {
                    return 0;
                }
                let n = s.node(id);
                let mut score = 0f64;
                for (i, c) in constraints.iter().enumerate() {
                    let Some(v) = n.labels.get(&c.topology_key) else {
                        continue;
                    };
                    let cnt = if c.topology_key == LABEL_HOSTNAME {
                        count(c, n)
                    } else {
                        counts[i][v]
                    };
                    score += cnt as f64 * weights[i] + f64::from(c.max_skew - 1);
                }
                score.round() as i64
            })
            .collect();
        let kept_scores = scores.iter().zip(&ignored).filter(|(_, ig)| !**ig);
        let min = kept_scores
            .clone()
            .map(|(s, _)| *s)
            .min()
            .unwrap_or(i64::MAX);
        let max = kept_scores.map(|(s, _)| *s).max().unwrap_or(0).max(0);
        for (sc, &ig) in scores.iter_mut().zip(&ignored) {
            *sc = if ig {
                0
            } else if max == 0 {
                MAX_NODE_SCORE
            } else {
                MAX_NODE_SCORE * (max + min - *sc) / max
            };
        }
        Some(scores)
    }

    /// The per-domain counts give upstream's scores where nodes lack a key, carry an empty
    /// value, are tainted or fall outside the pod's node affinity, and where pods terminate
    /// or live in another namespace, for own and system default constraints.
    #[test]
    fn index_counts_match_upstream_walk() {
        use crate::api::{Taint, TaintEffect};
        let mut tainted = zoned("node-d", "zone2");
        tainted.taints.push(Taint {
            key: "dedicated".into(),
            value: "ci".into(),
            effect: Some(TaintEffect::NoSchedule),
        });
        let nodes = || {
            vec![
                zoned("node-a", "zone1"),
                node(
                    "node-b",
                    1000,
                    1000,
                    &[("zone", ""), (LABEL_HOSTNAME, "node-b")],
                ),
                host("node-c"),
                tainted.clone(),
                node("node-e", 1000, 1000, &[("zone", "zone1"), ("disk", "ssd")]),
                zoned("node-f", "zone3"),
            ]
        };
        let foo: &[&str] = &["foo"];
        let mut existing = placed(&[
            ("p-a1", 0, foo),
            ("p-a2", 0, &["foo", "bar"]),
            ("p-b1", 1, foo),
            ("p-c1", 2, foo),
            ("p-c2", 2, &["bar"]),
            ("p-d1", 3, foo),
            ("p-e1", 4, foo),
            ("p-e2", 4, foo),
            ("p-f1", 5, foo),
        ]);
        std::sync::Arc::make_mut(&mut existing[5].0.pod)
            .metadata
            .namespace = Some("other".into());
        existing[8].0.deletion = Some(crate::cluster::Deletion {
            requested_at: crate::time::SimTime::ZERO,
            timestamp: crate::time::SimTime::ZERO,
            grace_period_seconds: 30,
        });
        // Some nodes lack a key (counted node by node), or every node carries both keys
        // (counted from the index's per-domain counts).
        let mut everywhere = nodes();
        everywhere[2] = zoned("node-c", "zone2");
        everywhere[4] = node(
            "node-e",
            1000,
            1000,
            &[("zone", "zone1"), (LABEL_HOSTNAME, "node-e")],
        );
        let clusters = [nodes(), everywhere].map(|nodes| {
            let mut tc = TestCluster::new(nodes, existing.clone());
            tc.cluster.set_workload_selector(
                "ReplicaSet",
                "default",
                "rs",
                crate::api::LabelSelector {
                    match_labels: [("foo".to_string(), String::new())].into(),
                    ..Default::default()
                },
            );
            tc
        });
        let own = |extra: &str| {
            format!(
                "{{topologySpreadConstraints: [{{maxSkew: 2, topologyKey: zone, whenUnsatisfiable: ScheduleAnyway, labelSelector: {{matchLabels: {{foo: ''}}}}{extra}}}, {{maxSkew: 1, topologyKey: {LABEL_HOSTNAME}, whenUnsatisfiable: ScheduleAnyway, labelSelector: {{matchExpressions: [{{key: bar, operator: Exists}}]}}{extra}}}], nodeSelector: {{zone: zone1}}}}"
            )
        };
        let zone_only = "{topologySpreadConstraints: [{maxSkew: 1, topologyKey: zone, whenUnsatisfiable: ScheduleAnyway, labelSelector: {matchLabels: {foo: ''}}, nodeTaintsPolicy: Honor}]}";
        let owned = crate::scheduler::testutil::pod_from_yaml(
            "{metadata: {name: p, namespace: default, labels: {foo: ''}, ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: rs, uid: u1, controller: true}]}, spec: {containers: []}}",
        );
        let pods = [
            pod("p", "default", &[("foo", "")], &own("")),
            pod(
                "p",
                "default",
                &[("foo", "")],
                &own(", nodeAffinityPolicy: Ignore, nodeTaintsPolicy: Honor"),
            ),
            pod("p", "default", &[("foo", "")], zone_only),
            pod("p", "other", &[("foo", "")], zone_only),
            owned,
        ];
        let mut distinct = std::collections::BTreeSet::new();
        let mut pl = PodTopologySpreadScore::default();
        for (c, (k, p)) in
            (0..clusters.len()).flat_map(|c| pods.iter().enumerate().map(move |p| (c, p)))
        {
            let tc = &clusters[c];
            // Domains are cached per node generation, which both clusters share.
            if k == 0 {
                pl = PodTopologySpreadScore::default();
            }
            for feasible in [&[0u32, 1, 2, 3, 4, 5][..], &[2, 4, 5], &[1, 2]] {
                let ids: Vec<NodeId> = feasible.iter().map(|&i| NodeId(i)).collect();
                let want = upstream_scores(&pl, p, &ids, tc.snapshot());
                let got = (pl.pre_score(p, &ids, tc.snapshot()) == Status::SUCCESS).then(|| {
                    let mut scores: Vec<i64> = ids
                        .iter()
                        .map(|&id| pl.score(p, id, tc.snapshot()))
                        .collect();
                    pl.normalize(&mut scores);
                    scores
                });
                assert!(want.is_some(), "pod {k} has constraints");
                assert_eq!(got, want, "cluster {c}, pod {k}, feasible {feasible:?}");
                distinct.extend(want.into_iter().flatten());
            }
        }
        // The cases spread the scores (not every node at 0 or 100).
        assert!(distinct.len() > 5, "{distinct:?}");
    }
}
