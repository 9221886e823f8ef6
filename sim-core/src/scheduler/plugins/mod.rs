//! The default profile's plugins, one module each, named and ordered as in
//! pkg/scheduler/framework/plugins/ and apis/config/v1/default_plugins.go.

pub mod balanced_allocation;
pub mod image_locality;
pub mod inter_pod_affinity;
pub mod node_affinity;
pub mod node_name;
pub mod node_ports;
pub mod node_resources_fit;
pub mod node_unschedulable;
pub mod pod_topology_spread;
pub mod taint_toleration;

pub use balanced_allocation::BalancedAllocation;
pub use image_locality::ImageLocality;
pub use inter_pod_affinity::{InterPodAffinity, InterPodAffinityScore};
pub use node_affinity::{NodeAffinity, NodeAffinityScore};
pub use node_name::NodeName;
pub use node_ports::NodePorts;
pub use node_resources_fit::{NodeResourcesFit, NodeResourcesFitScore, ScoringStrategy};
pub use node_unschedulable::NodeUnschedulable;
pub use pod_topology_spread::{PodTopologySpread, PodTopologySpreadScore};
pub use taint_toleration::{TaintToleration, TaintTolerationScore};

// Matching rules the controllers share (DaemonSet placement, taint eviction).
pub use node_affinity::required_node_affinity_matches as node_selector_and_affinity_match;
pub use taint_toleration::tolerates;
