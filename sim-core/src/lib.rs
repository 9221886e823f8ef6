//! kubesim's deterministic core. No file or terminal IO, no wall clock, no OS entropy: the CLI
//! owns those. See ARCHITECTURE.md for the map.

pub mod api;
pub mod behaviour;
pub mod cluster;
pub mod controller;
pub mod diag;
pub mod distribution;
pub mod engine;
pub mod expect;
pub mod explain;
pub mod kubectl;
pub mod kubelet;
pub mod manifest;
pub mod output;
pub mod quantity;
pub mod rng;
pub mod scenario;
pub mod scheduler;
pub mod schema;
pub mod text;
pub mod time;
pub mod timeline;
pub mod timezone;
pub mod yaml;
