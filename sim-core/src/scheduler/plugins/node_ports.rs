//! nodeports/node_ports.go: a host port (protocol, hostIP, port) may be used once per node;
//! hostIP 0.0.0.0 conflicts with every address.

use crate::cluster::{NodeId, PodRecord};
use crate::scheduler::events::{ClusterEventType, EventResource, QueueEvent, QueueingHint};
use crate::scheduler::framework::{FilterPlugin, Snapshot, Status, state_not_found};

pub const ERR_REASON: &str = "node(s) didn't have free ports for the requested pod ports";

pub struct NodePorts;

fn conflicts(a: &(String, String, i32), b: &(String, String, i32)) -> bool {
    a.0 == b.0 && a.2 == b.2 && (a.1 == b.1 || a.1 == "0.0.0.0" || b.1 == "0.0.0.0")
}

impl FilterPlugin for NodePorts {
    /// node_ports.go EventsToRegister with queueing hints: a pod deleted, a node added (no
    /// hint: Queue).
    fn events_to_register(&self) -> &'static [ClusterEventType] {
        const EVENTS: &[ClusterEventType] = &[
            ClusterEventType::ASSIGNED_POD_DELETE,
            ClusterEventType::NODE_ADD,
        ];
        EVENTS
    }

    /// isSchedulableAfterPodDeleted: a scheduled (or nominated) pod freed a host port the pod
    /// wants.
    fn queueing_hint(&self, pod: &PodRecord, e: &QueueEvent<'_>, _: Snapshot<'_>) -> QueueingHint {
        let Some(old) = e
            .old_pod()
            .filter(|_| e.kind.resource == EventResource::Pod)
        else {
            return QueueingHint::Queue;
        };
        let placed = old.node.is_some() || old.assumed_node.is_some();
        if !placed && old.status.nominated_node_name.is_empty() {
            return QueueingHint::QueueSkip;
        }
        let freed = old
            .host_ports
            .iter()
            .any(|used| pod.host_ports.iter().any(|want| conflicts(want, used)));
        QueueingHint::queue_if(freed)
    }

    fn name(&self) -> &'static str {
        "NodePorts"
    }

    /// nodeports/node_ports.go getPreFilterState.
    fn missing_pre_filter_state(&self) -> Option<String> {
        Some(state_not_found("reading", "PreFilterNodePorts"))
    }

    /// Skip when the pod asks for no host port.
    fn pre_filter(&mut self, pod: &PodRecord, _: Snapshot<'_>) -> Status {
        if pod.host_ports.is_empty() {
            Status::SKIP
        } else {
            Status::SUCCESS
        }
    }

    fn filter(&self, pod: &PodRecord, id: NodeId, s: Snapshot<'_>) -> Status {
        let node = s.node(id);
        let conflict = s.pods_on(node).any(|other| {
            other
                .host_ports
                .iter()
                .any(|used| pod.host_ports.iter().any(|want| conflicts(want, used)))
        });
        if conflict {
            Status::unschedulable(ERR_REASON)
        } else {
            Status::SUCCESS
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scheduler::testutil::{TestCluster, node, pod};

    fn with_port(proto: &str, ip: &str, port: i32) -> String {
        format!(
            "{{containers: [{{name: c, image: i, ports: [{{containerPort: {port}, hostPort: {port}, protocol: {proto}, hostIP: '{ip}'}}]}}]}}"
        )
    }

    /// nodeports/node_ports_test.go TestNodePorts.
    #[test]
    fn filter_table() {
        let cases = [
            (
                "nothing running",
                vec![],
                with_port("UDP", "127.0.0.1", 8080),
                true,
            ),
            (
                "other port",
                vec![("UDP", "127.0.0.1", 9090)],
                with_port("UDP", "127.0.0.1", 8080),
                true,
            ),
            (
                "same udp port",
                vec![("UDP", "127.0.0.1", 8080)],
                with_port("UDP", "127.0.0.1", 8080),
                false,
            ),
            (
                "same tcp port",
                vec![("TCP", "127.0.0.1", 8080)],
                with_port("TCP", "127.0.0.1", 8080),
                false,
            ),
            (
                "different host ip",
                vec![("TCP", "127.0.0.1", 8080)],
                with_port("TCP", "127.0.0.2", 8080),
                true,
            ),
            (
                "different protocol",
                vec![("TCP", "127.0.0.1", 8080)],
                with_port("UDP", "127.0.0.1", 8080),
                true,
            ),
            (
                "first udp port conflict",
                vec![("UDP", "127.0.0.1", 8080)],
                with_port("UDP", "0.0.0.0", 8080),
                false,
            ),
            (
                "TCP hostPort conflict due to 0.0.0.0 hostIP",
                vec![("TCP", "0.0.0.0", 8001)],
                with_port("TCP", "127.0.0.1", 8001),
                false,
            ),
        ];
        for (name, existing, incoming, want) in cases {
            let placed = existing
                .iter()
                .enumerate()
                .map(|(i, (p, ip, port))| {
                    (
                        pod(&format!("e{i}"), "default", &[], &with_port(p, ip, *port)),
                        0,
                    )
                })
                .collect();
            let tc = TestCluster::new(vec![node("n", 1000, 1000, &[])], placed);
            let p = pod("in", "default", &[], &incoming);
            assert_eq!(
                NodePorts.filter(&p, NodeId(0), tc.snapshot()).is_success(),
                want,
                "{name}"
            );
        }
    }
}
