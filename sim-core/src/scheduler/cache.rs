//! The scheduler's own view derived from the cluster (pkg/scheduler/backend/cache): the node
//! tree's zone-interleaved node order, the image spread ImageLocality scales by, and the pods
//! on nodes by class and topology domain (`pod_index`). Per-node resource and affinity
//! aggregates are kept incrementally on the cluster's `NodeRecord`s (NodeInfo.Requested,
//! NonZeroRequested, PodsWithAffinity).

use std::collections::BTreeMap;

use crate::cluster::{Cluster, NodeId, NodeRecord};

use super::pod_index::PodIndex;

/// The scheduler's derived cache, refreshed when the set of nodes changes.
#[derive(Clone, Debug, Default)]
pub struct SchedulerCache {
    order: Vec<NodeId>,
    /// Normalised image name -> number of nodes holding it (ImageStateSummary.NumNodes).
    image_num_nodes: BTreeMap<String, usize>,
    generation: Option<u64>,
    /// Per node id: the node facts every filter walk reads, packed (see [`NodeFlags`]).
    flags: Vec<NodeFlags>,
    /// Per node id: its index in `order` (deleted nodes: none, `u32::MAX`).
    position: Vec<u32>,
    any_taints: bool,
    any_unschedulable: bool,
    pods: PodIndex,
}

/// Node facts the cheap filters check on every node, kept dense so a walk over thousands of
/// nodes does not touch each `NodeRecord`.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct NodeFlags {
    pub unschedulable: bool,
    pub has_taints: bool,
}

/// component-helpers/node/topology GetZoneKey: region and zone (the beta labels win), empty
/// when the node has neither.
pub fn zone_key(node: &NodeRecord) -> String {
    let get = |beta: &str, ga: &str| {
        node.labels
            .get(beta)
            .or_else(|| node.labels.get(ga))
            .map_or("", String::as_str)
    };
    let zone = get(
        "failure-domain.beta.kubernetes.io/zone",
        "topology.kubernetes.io/zone",
    );
    let region = get(
        "failure-domain.beta.kubernetes.io/region",
        "topology.kubernetes.io/region",
    );
    if region.is_empty() && zone.is_empty() {
        return String::new();
    }
    format!("{region}:\0:{zone}")
}

/// backend/cache/node_tree.go list(): zones in order of their first node, nodes within a zone
/// in order of addition, taken one per zone in turn.
pub fn interleave_zones<'a>(nodes: impl Iterator<Item = &'a NodeRecord>) -> Vec<NodeId> {
    let mut zones: Vec<(String, Vec<NodeId>)> = Vec::new();
    let mut index: BTreeMap<String, usize> = BTreeMap::new();
    let mut total = 0;
    for node in nodes {
        let key = zone_key(node);
        let i = *index.entry(key.clone()).or_insert_with(|| {
            zones.push((key, Vec::new()));
            zones.len() - 1
        });
        zones[i].1.push(node.id);
        total += 1;
    }
    let mut out = Vec::with_capacity(total);
    let mut k = 0;
    while out.len() < total {
        for (_, ids) in &zones {
            if let Some(&id) = ids.get(k) {
                out.push(id);
            }
        }
        k += 1;
    }
    out
}

impl SchedulerCache {
    /// Rebuilds the node view when a node was added, changed or deleted (a pull adds to a
    /// node's images; deleted nodes keep a flags slot, ids index it, but leave the order),
    /// and brings the pod index up to date.
    pub fn refresh(&mut self, cluster: &Cluster) {
        if self.generation != Some(cluster.node_generation()) {
            self.refresh_nodes(cluster);
        }
        self.pods.sync(cluster);
    }

    fn refresh_nodes(&mut self, cluster: &Cluster) {
        self.pods.nodes_changed();
        self.generation = Some(cluster.node_generation());
        self.order = interleave_zones(cluster.live_nodes());
        self.flags = cluster
            .nodes()
            .iter()
            .map(|n| NodeFlags {
                unschedulable: n.unschedulable,
                has_taints: !n.taints.is_empty(),
            })
            .collect();
        self.any_taints = self.flags.iter().any(|f| f.has_taints);
        self.any_unschedulable = self.flags.iter().any(|f| f.unschedulable);
        self.position = vec![u32::MAX; self.flags.len()];
        for (i, id) in self.order.iter().enumerate() {
            self.position[id.0 as usize] = i as u32;
        }
        self.image_num_nodes.clear();
        for node in cluster.live_nodes() {
            for name in node.images.keys() {
                *self.image_num_nodes.entry(name.clone()).or_insert(0) += 1;
            }
        }
    }

    /// The pods on nodes by class and topology domain.
    pub fn pods(&self) -> &PodIndex {
        &self.pods
    }

    pub fn node_order(&self) -> &[NodeId] {
        &self.order
    }

    /// Some node has taints.
    pub fn any_taints(&self) -> bool {
        self.any_taints
    }

    /// Some node is cordoned.
    pub fn any_unschedulable(&self) -> bool {
        self.any_unschedulable
    }

    /// The node's index in [`Self::node_order`] (`u32::MAX` for a deleted node).
    pub fn position(&self, node: NodeId) -> u32 {
        self.position[node.0 as usize]
    }

    pub fn flags(&self, node: NodeId) -> NodeFlags {
        self.flags[node.0 as usize]
    }

    pub fn image_num_nodes(&self, image: &str) -> usize {
        self.image_num_nodes.get(image).copied().unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(id: u32, zone: &str) -> NodeRecord {
        let mut n = crate::api::Node::default();
        if !zone.is_empty() {
            n.metadata
                .labels
                .insert("topology.kubernetes.io/zone".to_string(), zone.to_string());
        }
        let mut r = NodeRecord::new(&n, BTreeMap::new(), 0, Default::default());
        r.id = NodeId(id);
        r
    }

    /// backend/cache/node_tree_test.go TestNodeTree_List ("add nodes to a new and to an exhausted
    /// zone"): zones interleave, an exhausted zone is skipped.
    #[test]
    fn nodes_interleave_by_zone() {
        let nodes = [
            node(0, "zone-1"),
            node(1, "zone-1"),
            node(2, "zone-2"),
            node(3, "zone-1"),
            node(4, "zone-3"),
            node(5, "zone-2"),
        ];
        let order: Vec<u32> = interleave_zones(nodes.iter())
            .into_iter()
            .map(|n| n.0)
            .collect();
        assert_eq!(order, [0, 2, 4, 1, 5, 3]);
    }

    #[test]
    fn unlabelled_nodes_keep_their_order() {
        let nodes = [node(0, ""), node(1, ""), node(2, "")];
        let order: Vec<u32> = interleave_zones(nodes.iter())
            .into_iter()
            .map(|n| n.0)
            .collect();
        assert_eq!(order, [0, 1, 2]);
    }
}
