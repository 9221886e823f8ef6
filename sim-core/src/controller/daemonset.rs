//! The DaemonSet controller's placement rules (pkg/controller/daemon/daemon_controller.go
//! NodeShouldRunDaemonPod, pkg/controller/daemon/util/daemonset_util.go).

use crate::api::{
    Affinity, NodeAffinity, NodeSelector, NodeSelectorOperator, NodeSelectorRequirement,
    NodeSelectorTerm, PodSpec, TaintEffect, Toleration, TolerationOperator,
};
use crate::cluster::NodeRecord;
use crate::scheduler::plugins::{node_selector_and_affinity_match, tolerates};

pub const SOURCE: &str = "daemonset-controller";

/// AddOrUpdateDaemonPodTolerations: daemon pods survive node conditions and cordons.
pub fn add_daemon_tolerations(spec: &mut PodSpec) {
    let mut wanted = vec![
        ("node.kubernetes.io/not-ready", TaintEffect::NoExecute),
        ("node.kubernetes.io/unreachable", TaintEffect::NoExecute),
        ("node.kubernetes.io/disk-pressure", TaintEffect::NoSchedule),
        (
            "node.kubernetes.io/memory-pressure",
            TaintEffect::NoSchedule,
        ),
        ("node.kubernetes.io/pid-pressure", TaintEffect::NoSchedule),
        ("node.kubernetes.io/unschedulable", TaintEffect::NoSchedule),
    ];
    if spec.host_network {
        wanted.push((
            "node.kubernetes.io/network-unavailable",
            TaintEffect::NoSchedule,
        ));
    }
    for (key, effect) in wanted {
        let t = Toleration {
            key: key.to_string(),
            operator: Some(TolerationOperator::Exists),
            effect: Some(effect),
            ..Toleration::default()
        };
        // AddOrUpdateTolerationInPodSpec: an equal toleration is not added twice.
        if !spec.tolerations.contains(&t) {
            spec.tolerations.push(t);
        }
    }
}

/// ReplaceDaemonSetPodNodeNameNodeAffinity: the pod may only be scheduled to its node.
pub fn pin_to_node(spec: &mut PodSpec, node: &str) {
    let term = NodeSelectorTerm {
        match_fields: vec![NodeSelectorRequirement {
            key: "metadata.name".into(),
            operator: Some(NodeSelectorOperator::In),
            values: vec![node.to_string()],
        }],
        ..NodeSelectorTerm::default()
    };
    let affinity = spec.affinity.get_or_insert_with(Affinity::default);
    let na = affinity
        .node_affinity
        .get_or_insert_with(NodeAffinity::default);
    na.required_during_scheduling_ignored_during_execution = Some(NodeSelector {
        node_selector_terms: vec![term],
    });
}

/// The node a daemon pod is pinned to by [`pin_to_node`].
pub fn pinned_node(spec: &PodSpec) -> Option<&str> {
    let terms = &spec
        .affinity
        .as_ref()?
        .node_affinity
        .as_ref()?
        .required_during_scheduling_ignored_during_execution
        .as_ref()?
        .node_selector_terms;
    terms
        .iter()
        .flat_map(|t| &t.match_fields)
        .find(|r| r.key == "metadata.name")
        .and_then(|r| r.values.first())
        .map(String::as_str)
}

/// NodeShouldRunDaemonPod: (should run, should continue running). `spec` is the template with
/// the daemon tolerations added.
pub fn should_run(spec: &PodSpec, node: &NodeRecord) -> (bool, bool) {
    if !(spec.node_name.is_empty() || spec.node_name == node.name) {
        return (false, false);
    }
    if !node_selector_and_affinity_match(spec, node) {
        return (false, false);
    }
    let untolerated = |effects: &[TaintEffect]| {
        node.taints.iter().any(|taint| {
            taint.effect.as_ref().is_some_and(|e| effects.contains(e))
                && !spec.tolerations.iter().any(|t| tolerates(t, taint))
        })
    };
    if untolerated(&[TaintEffect::NoSchedule, TaintEffect::NoExecute]) {
        // Scheduled daemon pods keep running unless a NoExecute taint is not tolerated.
        return (false, !untolerated(&[TaintEffect::NoExecute]));
    }
    (true, true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::Taint;
    use crate::cluster::{NodeId, Resources};
    use std::collections::{BTreeMap, BTreeSet};
    use std::sync::Arc;

    fn node(taints: Vec<Taint>, labels: &[(&str, &str)]) -> NodeRecord {
        NodeRecord {
            id: NodeId(0),
            node: Arc::new(crate::api::Node::default()),
            name: "n1".into(),
            labels: labels
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            taints,
            unschedulable: false,
            capacity: Resources::default(),
            allocatable: Resources::default(),
            images: BTreeMap::new(),
            pull_bandwidth: 1,
            requested: Resources::default(),
            non_zero_requested: Resources::default(),
            pods: BTreeSet::new(),
            affinity: Default::default(),
            up: true,
            ready: crate::cluster::ConditionStatus::True,
            ready_reason: "KubeletReady",
            created_at: crate::time::SimTime::ZERO,
            deleted: false,
        }
    }

    fn taint(key: &str, effect: TaintEffect) -> Taint {
        Taint {
            key: key.into(),
            value: String::new(),
            effect: Some(effect),
        }
    }

    #[test]
    fn daemon_pods_tolerate_node_conditions_but_not_other_taints() {
        let mut spec = PodSpec::default();
        add_daemon_tolerations(&mut spec);
        let unreachable = node(
            vec![
                taint("node.kubernetes.io/unreachable", TaintEffect::NoSchedule),
                taint("node.kubernetes.io/unreachable", TaintEffect::NoExecute),
            ],
            &[],
        );
        // The NoSchedule unreachable taint is not among the added tolerations.
        assert_eq!(should_run(&spec, &unreachable), (false, true));
        assert_eq!(should_run(&spec, &node(vec![], &[])), (true, true));
        let gpu = node(vec![taint("gpu", TaintEffect::NoExecute)], &[]);
        assert_eq!(should_run(&spec, &gpu), (false, false));
        spec.node_selector.insert("role".into(), "edge".into());
        assert_eq!(should_run(&spec, &node(vec![], &[])), (false, false));
        assert_eq!(
            should_run(&spec, &node(vec![], &[("role", "edge")])),
            (true, true)
        );
    }

    #[test]
    fn pinning_replaces_required_affinity() {
        let mut spec = PodSpec::default();
        pin_to_node(&mut spec, "worker-2");
        assert_eq!(pinned_node(&spec), Some("worker-2"));
    }
}
