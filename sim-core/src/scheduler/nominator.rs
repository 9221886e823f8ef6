//! The scheduling queue's nominator (pkg/scheduler/backend/queue/nominator.go): which pending
//! pods are nominated to which node after a preemption, so that Filter counts them there
//! (RunFilterPluginsWithNominatedPods) until they are bound or their nomination is cleared.

use std::collections::BTreeMap;

use crate::cluster::{NodeId, PodId};

#[derive(Clone, Debug, Default)]
pub struct Nominator {
    by_pod: BTreeMap<PodId, NodeId>,
    /// Per node, its nominated pods in nomination order (nominatedPods[nodeName]).
    by_node: BTreeMap<NodeId, Vec<PodId>>,
}

impl Nominator {
    /// AddNominatedPod: (re)nominates `pod` to `node`.
    pub fn add(&mut self, pod: PodId, node: NodeId) {
        self.remove(pod);
        self.by_pod.insert(pod, node);
        self.by_node.entry(node).or_default().push(pod);
    }

    /// DeleteNominatedPodIfExists.
    pub fn remove(&mut self, pod: PodId) {
        let Some(node) = self.by_pod.remove(&pod) else {
            return;
        };
        if let Some(pods) = self.by_node.get_mut(&node) {
            pods.retain(|&p| p != pod);
            if pods.is_empty() {
                self.by_node.remove(&node);
            }
        }
    }

    /// NominatedPodsForNode.
    pub fn pods_on(&self, node: NodeId) -> &[PodId] {
        self.by_node.get(&node).map_or(&[], Vec::as_slice)
    }

    pub fn node_of(&self, pod: PodId) -> Option<NodeId> {
        self.by_pod.get(&pod).copied()
    }

    pub fn is_empty(&self) -> bool {
        self.by_pod.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renomination_moves_the_pod() {
        let mut n = Nominator::default();
        n.add(PodId(1), NodeId(0));
        n.add(PodId(2), NodeId(0));
        n.add(PodId(1), NodeId(3));
        assert_eq!(n.pods_on(NodeId(0)), [PodId(2)]);
        assert_eq!(n.pods_on(NodeId(3)), [PodId(1)]);
        n.remove(PodId(2));
        assert!(n.pods_on(NodeId(0)).is_empty());
        assert_eq!(n.node_of(PodId(1)), Some(NodeId(3)));
    }
}
