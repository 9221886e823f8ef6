//! kubectl's views of the simulated cluster: `get` tables and `describe` text, built by pure
//! functions from the cluster state at a time (staging/src/k8s.io/kubectl, pkg/printers).

pub mod describe;
pub mod pods;
pub mod rollout;
pub mod table;
pub mod tabwriter;
pub mod wallclock;
pub mod workloads;
