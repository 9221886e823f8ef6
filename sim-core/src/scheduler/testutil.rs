//! Builders for the scheduler's table tests: nodes and pods the way upstream's
//! `st.MakeNode()` / `st.MakePod()` wrappers build them, and a cluster to place them in.

use std::collections::BTreeMap;

use crate::api::{Node, Pod};
use crate::cluster::{Cluster, NodeId, NodeRecord, PodId, PodRecord};
use crate::time::SimTime;

use super::cache::SchedulerCache;
use super::framework::Snapshot;

/// A node with `milli_cpu` and `memory` allocatable, 110 pods, and `labels`.
pub fn node(name: &str, milli_cpu: i64, memory: i64, labels: &[(&str, &str)]) -> NodeRecord {
    let mut n = Node::default();
    n.metadata.name = Some(name.to_string());
    n.metadata.labels = labels
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let mut r = NodeRecord::new(&n, BTreeMap::new(), 0, SimTime::ZERO);
    r.allocatable.milli_cpu = milli_cpu;
    r.allocatable.memory = memory;
    r.allocatable.pods = 110;
    r.capacity = r.allocatable.clone();
    r
}

/// Decodes a Pod from YAML (`{metadata: ..., spec: ...}` or just a spec's fields).
pub fn pod_from_yaml(text: &str) -> PodRecord {
    let docs = crate::yaml::parse_documents(text).expect("test YAML parses");
    let json = crate::yaml::to_json(&docs[0].root);
    let pod: Pod = if json.get("spec").is_some() || json.get("metadata").is_some() {
        serde_json::from_value(json).expect("test pod decodes")
    } else {
        Pod {
            spec: std::sync::Arc::new(serde_json::from_value(json).expect("test spec decodes")),
            ..Pod::default()
        }
    };
    PodRecord::new(String::new(), pod, SimTime::ZERO)
}

/// A pod named `name` in `namespace` with `labels` and the given spec fields.
pub fn pod(name: &str, namespace: &str, labels: &[(&str, &str)], spec: &str) -> PodRecord {
    let mut p = pod_from_yaml(spec);
    let pod = std::sync::Arc::make_mut(&mut p.pod);
    pod.metadata.name = Some(name.to_string());
    pod.metadata.namespace = Some(namespace.to_string());
    pod.metadata.labels = labels
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    p
}

/// A cluster holding `nodes`, with `placed` pods bound to the node of the given index.
pub struct TestCluster {
    pub cluster: Cluster,
    pub cache: SchedulerCache,
}

impl TestCluster {
    pub fn new(nodes: Vec<NodeRecord>, placed: Vec<(PodRecord, usize)>) -> TestCluster {
        let mut cluster = Cluster::new();
        for n in nodes {
            cluster.add_node(n);
        }
        for (p, i) in placed {
            let id = cluster.add_pod(p);
            place(&mut cluster, id, NodeId(i as u32));
        }
        let mut cache = SchedulerCache::default();
        cache.refresh(&cluster);
        TestCluster { cluster, cache }
    }

    pub fn snapshot(&self) -> Snapshot<'_> {
        Snapshot {
            cluster: &self.cluster,
            cache: &self.cache,
        }
    }
}

/// Binds a pod to a node (assume + bind).
pub fn place(cluster: &mut Cluster, pod: PodId, node: NodeId) {
    cluster.reserve(node, pod);
    if let Some(p) = cluster.pod_mut(pod) {
        p.node = Some(node);
    }
}

/// The noderesources tests' "nothing scheduled, resources requested, differently sized nodes":
/// nodes of 4000m/10000 and 6000m/10000, and a pod requesting 3000m/5000 in two containers.
pub fn differently_sized_nodes() -> (TestCluster, PodRecord) {
    let tc = TestCluster::new(
        vec![
            node("node1", 4000, 10000, &[]),
            node("node2", 6000, 10000, &[]),
        ],
        vec![],
    );
    let p = pod(
        "p",
        "default",
        &[],
        "{containers: [{name: a, image: i, resources: {requests: {cpu: 1000m, memory: '2000'}}}, {name: b, image: i, resources: {requests: {cpu: 2000m, memory: '3000'}}}]}",
    );
    (tc, p)
}

/// The upstream fixture "pods scheduled with resources": two nodes of 10000m/20000, node2
/// already holding a pod of 3000m/5000.
pub fn node2_holding_3000m_5000() -> TestCluster {
    TestCluster::new(
        vec![
            node("node1", 10000, 20000, &[]),
            node("node2", 10000, 20000, &[]),
        ],
        vec![(
            pod(
                "e",
                "default",
                &[],
                "{containers: [{name: a, image: i, resources: {requests: {cpu: 3000m, memory: '5000'}}}]}",
            ),
            1,
        )],
    )
}
