//! The scheduler cache's view of the pods on nodes, kept incrementally (upstream keeps
//! NodeInfo.Pods, PodsWithAffinity and PodsWithRequiredAntiAffinity per node in
//! pkg/scheduler/backend/cache and updates them on AddPod/RemovePod).
//!
//! Pods with the same namespace, labels and affinity answer every label selector, namespace
//! rule and affinity term the same way, so they share a *class*. Per node the index keeps how
//! many pods of each class it holds; per (class, topology key), on demand, how many per
//! topology domain. PodTopologySpread and InterPodAffinity then evaluate a selector once per
//! class and add domain counts, instead of visiting every pod on every node each cycle.
//!
//! The index follows the cluster through `Cluster::pod_generation`: a node whose pods changed
//! since the last sync is re-read and its difference applied to the domain counts. It is
//! derived state only; nothing here is authoritative.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::sync::{Arc, Weak};

use crate::api::Pod;
use crate::cluster::{Cluster, NodeId};

/// Dense id of a pod class (namespace, labels, affinity), never reused within a run.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct ClassId(pub u32);

/// Pods of one class on one node or in one domain: all of them (InterPodAffinity counts
/// every pod on a node) and those not terminating (PodTopologySpread skips terminating pods).
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct PodCount {
    pub all: i64,
    pub live: i64,
}

/// The domains of one topology key: each node's domain index ([`NO_DOMAIN`] without the
/// label) and the label value of each domain, in order of first appearance by node id.
#[derive(Clone, Debug, Default)]
pub struct DomainIndex {
    pub key: String,
    pub of_node: Vec<u32>,
    pub values: Vec<String>,
}

pub const NO_DOMAIN: u32 = u32::MAX;

impl DomainIndex {
    pub fn build(key: &str, cluster: &Cluster) -> DomainIndex {
        let mut by_value: BTreeMap<&str, u32> = BTreeMap::new();
        let mut values = Vec::new();
        let of_node = cluster
            .nodes()
            .iter()
            .map(|n| match n.labels.get(key) {
                // A deleted node keeps its id but is in no domain.
                _ if n.deleted => NO_DOMAIN,
                None => NO_DOMAIN,
                Some(v) => *by_value.entry(v.as_str()).or_insert_with(|| {
                    values.push(v.clone());
                    (values.len() - 1) as u32
                }),
            })
            .collect();
        DomainIndex {
            key: key.to_string(),
            of_node,
            values,
        }
    }

    /// The domain of `node`, `None` when the node lacks the key.
    pub fn domain(&self, node: NodeId) -> Option<usize> {
        let d = self.of_node[node.0 as usize];
        (d != NO_DOMAIN).then_some(d as usize)
    }
}

/// One class's pods on one node.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct ClassOnNode {
    pub class: ClassId,
    pub count: PodCount,
}

#[derive(Clone, Debug, Default)]
pub struct PodIndex {
    /// Per class: a pod of the class (its namespace, labels and affinity stand for all).
    classes: Vec<Arc<Pod>>,
    /// Per class: its pods on nodes, cluster-wide.
    totals: Vec<PodCount>,
    /// namespace -> labels -> classes with those labels (differing in affinity).
    interned: BTreeMap<String, BTreeMap<BTreeMap<String, String>, Vec<ClassId>>>,
    /// Per pod id: the pod object last classified and its class. Weak, so a replaced pod
    /// object is told apart by address without keeping it alive.
    pod_class: Vec<Option<(Weak<Pod>, ClassId)>>,
    /// Per node id: `Cluster::pod_generation` when last read, and its classes (sorted).
    seen: Vec<u64>,
    on_node: Vec<Vec<ClassOnNode>>,
    pods_generation: Option<u64>,
    /// How far `Cluster::pod_changes_since` has been read: (epoch, position).
    log_read: Option<(u64, usize)>,
    /// Built on first use; cleared when nodes change (their labels may have).
    domains: RefCell<Vec<DomainIndex>>,
    /// (class, index into `domains`) -> pods per domain, built on first use and kept up to
    /// date by `sync`.
    domain_counts: RefCell<BTreeMap<(ClassId, usize), Vec<PodCount>>>,
    scratch: Vec<ClassOnNode>,
}

impl PodIndex {
    /// Nodes changed (added, relabelled): domain indexes are rebuilt on next use.
    pub fn nodes_changed(&mut self) {
        self.domains.get_mut().clear();
        self.domain_counts.get_mut().clear();
    }

    /// Re-reads the nodes whose pods changed since the last sync: those in the cluster's
    /// change log, or, when the log was dropped or nodes were added, every node whose
    /// generation moved.
    pub fn sync(&mut self, cluster: &Cluster) {
        let n = cluster.nodes().len();
        if self.pods_generation == Some(cluster.pods_generation()) && self.seen.len() == n {
            return;
        }
        self.pods_generation = Some(cluster.pods_generation());
        let (epoch, pos) = self.log_read.unwrap_or((u64::MAX, 0));
        // The log does not repeat a node back to back: a node that changed again after the
        // last read, while it was the log's last entry, is not appended. Its entry is read
        // again (its generation tells whether it changed).
        let (changes, epoch, len) = cluster.pod_changes_since(epoch, pos.saturating_sub(1));
        self.log_read = Some((epoch, len));
        match changes {
            Some(changes) if self.seen.len() == n => {
                for &id in changes {
                    self.reread_if_changed(cluster, id);
                }
            }
            _ => {
                self.seen.resize(n, 0);
                self.on_node.resize_with(n, Vec::new);
                for i in 0..n {
                    self.reread_if_changed(cluster, NodeId(i as u32));
                }
            }
        }
    }

    fn reread_if_changed(&mut self, cluster: &Cluster, node: NodeId) {
        let generation = cluster.pod_generation(node);
        if self.seen[node.0 as usize] != generation {
            self.seen[node.0 as usize] = generation;
            self.reread(cluster, node);
        }
    }

    fn class_of(&mut self, pod: &Arc<Pod>, pod_id: usize) -> ClassId {
        if let Some(Some((weak, class))) = self.pod_class.get(pod_id)
            && std::ptr::eq(weak.as_ptr(), Arc::as_ptr(pod))
        {
            return *class;
        }
        let namespace = pod.metadata.namespace.as_deref().unwrap_or("default");
        let labels = &pod.metadata.labels;
        let affinity = &pod.spec.affinity;
        let found = self
            .interned
            .get(namespace)
            .and_then(|m| m.get(labels))
            .and_then(|cs| {
                cs.iter()
                    .copied()
                    .find(|c| self.classes[c.0 as usize].spec.affinity == *affinity)
            });
        let class = match found {
            Some(c) => c,
            None => {
                let c = ClassId(self.classes.len() as u32);
                self.classes.push(Arc::clone(pod));
                self.totals.push(PodCount::default());
                self.interned
                    .entry(namespace.to_string())
                    .or_default()
                    .entry(labels.clone())
                    .or_default()
                    .push(c);
                c
            }
        };
        if self.pod_class.len() <= pod_id {
            self.pod_class.resize(pod_id + 1, None);
        }
        self.pod_class[pod_id] = Some((Arc::downgrade(pod), class));
        class
    }

    /// Recounts one node's classes and applies the difference to totals and domain counts.
    fn reread(&mut self, cluster: &Cluster, node: NodeId) {
        let mut now = std::mem::take(&mut self.scratch);
        now.clear();
        for &pid in &cluster.node(node).pods {
            let Some(p) = cluster.pod(pid) else { continue };
            let class = self.class_of(&p.pod, pid.0 as usize);
            let live = i64::from(p.deletion.is_none());
            match now.iter_mut().find(|e| e.class == class) {
                Some(e) => {
                    e.count.all += 1;
                    e.count.live += live;
                }
                None => now.push(ClassOnNode {
                    class,
                    count: PodCount { all: 1, live },
                }),
            }
        }
        now.sort_by_key(|e| e.class);
        let old = std::mem::take(&mut self.on_node[node.0 as usize]);
        for e in &old {
            self.apply(node, e.class, -1, e.count);
        }
        for e in &now {
            self.apply(node, e.class, 1, e.count);
        }
        self.scratch = old;
        self.on_node[node.0 as usize] = now;
    }

    fn apply(&mut self, node: NodeId, class: ClassId, sign: i64, c: PodCount) {
        let t = &mut self.totals[class.0 as usize];
        t.all += sign * c.all;
        t.live += sign * c.live;
        let domains = self.domains.get_mut();
        for ((_, k), counts) in self
            .domain_counts
            .get_mut()
            .range_mut((class, 0)..=(class, usize::MAX))
        {
            if let Some(d) = domains[*k].domain(node) {
                counts[d].all += sign * c.all;
                counts[d].live += sign * c.live;
            }
        }
    }

    /// Classes with at least one pod on a node: (class, a pod of the class, its pods).
    pub fn classes(&self) -> impl Iterator<Item = (ClassId, &Pod, PodCount)> + '_ {
        self.classes
            .iter()
            .zip(&self.totals)
            .enumerate()
            .filter(|(_, (_, t))| t.all > 0)
            .map(|(i, (p, t))| (ClassId(i as u32), &**p, *t))
    }

    /// The number of class ids handed out (live or not).
    pub fn class_count(&self) -> usize {
        self.classes.len()
    }

    /// The classes of the pods on `node`.
    pub fn on_node(&self, node: NodeId) -> &[ClassOnNode] {
        &self.on_node[node.0 as usize]
    }

    fn domain_slot(&self, key: &str, cluster: &Cluster) -> usize {
        let mut domains = self.domains.borrow_mut();
        match domains.iter().position(|d| d.key == key) {
            Some(k) => k,
            None => {
                domains.push(DomainIndex::build(key, cluster));
                domains.len() - 1
            }
        }
    }

    /// Calls `f` with the domains of topology key `key`.
    pub fn with_domains<R>(
        &self,
        key: &str,
        cluster: &Cluster,
        f: impl FnOnce(&DomainIndex) -> R,
    ) -> R {
        let k = self.domain_slot(key, cluster);
        f(&self.domains.borrow()[k])
    }

    /// Calls `f` with the domains of `key` and the pods of `class` per domain.
    pub fn with_domain_counts<R>(
        &self,
        class: ClassId,
        key: &str,
        cluster: &Cluster,
        f: impl FnOnce(&DomainIndex, &[PodCount]) -> R,
    ) -> R {
        let k = self.domain_slot(key, cluster);
        let domains = self.domains.borrow();
        let domain = &domains[k];
        let mut all = self.domain_counts.borrow_mut();
        let counts = all.entry((class, k)).or_insert_with(|| {
            let mut counts = vec![PodCount::default(); domain.values.len()];
            for (i, entries) in self.on_node.iter().enumerate() {
                let Some(d) = domain.domain(NodeId(i as u32)) else {
                    continue;
                };
                if let Some(e) = entries.iter().find(|e| e.class == class) {
                    counts[d].all += e.count.all;
                    counts[d].live += e.count.live;
                }
            }
            counts
        });
        f(domain, counts)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scheduler::testutil::{node, place, pod};

    /// Domain counts follow binds, terminations and relabelled pods.
    #[test]
    fn domain_counts_follow_the_cluster() {
        let mut cluster = Cluster::new();
        for (name, zone) in [("n1", "a"), ("n2", "b"), ("n3", "a")] {
            cluster.add_node(node(name, 1000, 1000, &[("zone", zone)]));
        }
        let blue = |name: &str| pod(name, "default", &[("color", "blue")], "{}");
        let p1 = cluster.add_pod(blue("p1"));
        let p2 = cluster.add_pod(blue("p2"));
        place(&mut cluster, p1, NodeId(0));
        place(&mut cluster, p2, NodeId(2));
        let mut index = PodIndex::default();
        index.sync(&cluster);
        let (class, _, total) = index.classes().next().expect("one class");
        assert_eq!(total, PodCount { all: 2, live: 2 });
        let counts = |index: &PodIndex, cluster: &Cluster| {
            index.with_domain_counts(class, "zone", cluster, |d, c| {
                assert_eq!(d.values, ["a", "b"]);
                c.to_vec()
            })
        };
        assert_eq!(
            counts(&index, &cluster),
            [PodCount { all: 2, live: 2 }, PodCount::default()]
        );
        let p3 = cluster.add_pod(blue("p3"));
        place(&mut cluster, p3, NodeId(1));
        if let Some(p) = cluster.pod_mut(p1) {
            p.deletion = Some(crate::cluster::Deletion {
                requested_at: crate::time::SimTime::ZERO,
                timestamp: crate::time::SimTime::ZERO,
                grace_period_seconds: 30,
            });
        }
        if let Some(p) = cluster.pod_mut(p2) {
            Arc::make_mut(&mut p.pod)
                .metadata
                .labels
                .insert("color".into(), "red".into());
        }
        index.sync(&cluster);
        assert_eq!(
            counts(&index, &cluster),
            [PodCount { all: 1, live: 0 }, PodCount { all: 1, live: 1 }]
        );
        assert_eq!(index.classes().count(), 2);
        cluster.remove_pod(p3);
        index.sync(&cluster);
        assert_eq!(
            counts(&index, &cluster),
            [PodCount { all: 1, live: 0 }, PodCount::default()]
        );
        // n2 was the last node to change before the sync; it changes again.
        let p4 = cluster.add_pod(blue("p4"));
        place(&mut cluster, p4, NodeId(1));
        index.sync(&cluster);
        assert_eq!(
            counts(&index, &cluster),
            [PodCount { all: 1, live: 0 }, PodCount { all: 1, live: 1 }]
        );
    }
}
