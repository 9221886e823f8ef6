//! Golden timelines: the whole timeline of a few representative scenarios, as `kubesim run`
//! prints it, kept as insta snapshots (tests/snapshots/). Any behaviour change shows up as a
//! snapshot diff to review (`INSTA_UPDATE=always cargo test --test golden` rewrites them).

mod common;

fn timeline(file: &str) -> String {
    let scenario = common::load(&common::repo().join(file));
    let sim = common::run(&scenario, None);
    String::from_utf8_lossy(&sim_core::output::log(sim.timeline().records())).to_string()
}

#[test]
fn quickstart() {
    insta::assert_snapshot!(timeline("scenarios/quickstart.yaml"));
}

#[test]
fn network_demo_crash_loop() {
    insta::assert_snapshot!(timeline("scenarios/lifecycle/network-demo.yaml"));
}

#[test]
fn init_containers() {
    insta::assert_snapshot!(timeline("scenarios/lifecycle/init-containers.yaml"));
}

#[test]
fn probes() {
    insta::assert_snapshot!(timeline("scenarios/lifecycle/probes.yaml"));
}

#[test]
fn graceful_termination() {
    insta::assert_snapshot!(timeline("scenarios/lifecycle/graceful-termination.yaml"));
}

#[test]
fn unschedulable() {
    insta::assert_snapshot!(timeline("scenarios/examples/unschedulable.yaml"));
}
