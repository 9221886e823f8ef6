//! `kubesim explain pod`: the accounts the issue asks for, built from real runs.

mod common;

use sim_core::explain::explain_run;
use sim_core::time::{SimDuration, SimTime};

fn explain(file: &str, pod: &str, at: &str) -> String {
    let scenario = common::load(&common::repo().join(file));
    let now = SimTime::ZERO + at.parse::<SimDuration>().expect("a duration");
    explain_run(
        &scenario,
        common::options(&scenario, None),
        now,
        "default",
        pod,
    )
    .expect("no invariant broken")
    .expect("the pod exists")
}

#[test]
fn network_demo_sidecar_in_crash_loop_at_ten_minutes() {
    let text = explain(
        "scenarios/lifecycle/network-demo.yaml",
        "network-demo",
        "10m",
    );
    assert!(
        text.contains("STATUS CrashLoopBackOff, READY 1/2, RESTARTS 6"),
        "{text}"
    );
    assert!(
        text.contains("container `sidecar`: waiting in CrashLoopBackOff: it exited with code 0 (Completed) at "),
        "{text}"
    );
    assert!(
        text.contains("restartPolicy Always restarts it whatever the exit code"),
        "{text}"
    );
    assert!(
        text.contains("this is restart 6, so the kubelet waits 5m0s before starting it again"),
        "{text}"
    );
    assert!(text.contains("next start at 11m0.712s"), "{text}");
    assert!(
        text.contains("container `app`: running since 1.267s; ready."),
        "{text}"
    );
}

#[test]
fn pending_pod_that_fits_nowhere_gives_each_node_its_reason() {
    let text = explain("scenarios/examples/unschedulable.yaml", "too-big", "2m");
    assert!(
        text.contains("Pending: the scheduler could not place it."),
        "{text}"
    );
    assert!(
        text.contains("0/3 nodes are available: 3 Insufficient cpu."),
        "{text}"
    );
    for node in ["worker-1", "worker-2", "worker-3"] {
        assert!(
            text.contains(&format!("  {node}: Insufficient cpu")),
            "{text}"
        );
    }
    assert!(text.contains("It stays Pending"), "{text}");
}

#[test]
fn pod_killed_by_its_liveness_probe() {
    let during = explain("scenarios/lifecycle/probes.yaml", "liveness-exec", "1m");
    assert!(
        during.contains("being stopped since 45.017s (Container liveness failed liveness probe, will be restarted)"),
        "{during}"
    );
    assert!(
        during.contains("it is started again at 1m15.267s"),
        "{during}"
    );
    assert!(
        during.contains("Probe failures so far: 3 (latest at 45.017s: Liveness probe failed: )"),
        "{during}"
    );
    let after = explain("scenarios/lifecycle/probes.yaml", "liveness-exec", "80s");
    assert!(
        after.contains("restart 1; before that it exited with code 137 (Error) at 1m15.017s"),
        "{after}"
    );
    assert!(
        after.contains("the kubelet killed it at 45.017s because its liveness probe failed"),
        "{after}"
    );
}

#[test]
fn oom_kill_and_active_deadline_and_deleted_pod() {
    let oom = explain(
        "scenarios/lifecycle/oom-killed.yaml",
        "my-app-with-resources",
        "3m",
    );
    assert!(oom.contains("(OOMKilled)"), "{oom}");
    assert!(oom.contains("limits.memory 128Mi"), "{oom}");
    let deadline = explain(
        "scenarios/lifecycle/active-deadline.yaml",
        "deadline-demo",
        "3m",
    );
    assert!(
        deadline.contains("Phase Failed with reason DeadlineExceeded: the pod ran longer than its activeDeadlineSeconds (30s)"),
        "{deadline}"
    );
    assert!(deadline.contains("nothing restarts it"), "{deadline}");
    let gone = explain(
        "scenarios/lifecycle/graceful-termination.yaml",
        "custom-termination",
        "1m5s",
    );
    assert!(
        gone.contains("gone. The object was removed at 48.005s"),
        "{gone}"
    );
    let killing = explain(
        "scenarios/lifecycle/graceful-termination.yaml",
        "ignores-sigterm",
        "32s",
    );
    assert!(
        killing.contains("Terminating: deletion was requested at 30s (kubectl delete: grace period 5s) with a grace period of 5s"),
        "{killing}"
    );
    assert!(
        killing.contains("SIGTERM, then SIGKILL if it is still running 5s later; it is Terminated:Error(137) at 35.005s"),
        "{killing}"
    );
}

#[test]
fn pod_evicted_after_its_node_became_unreachable() {
    let text = explain(
        "scenarios/workloads/deployment-node-loss.yaml",
        "web-64bc96b585-b6nhh",
        "8m",
    );
    assert!(
        text.contains("Evicted at 6m50.01s by the taint eviction controller (DisruptionTarget: DeletionByTaintManager): node worker-1 turned NotReady at 1m50s (NodeStatusUnknown: Kubelet stopped posting node status.)"),
        "{text}"
    );
    assert!(
        text.contains("tainted it node.kubernetes.io/unreachable:NoExecute at 1m50s; the pod tolerates that taint for 300s"),
        "{text}"
    );
    assert!(
        text.contains("stays Terminating until the node is reachable again. ReplicaSet web-64bc96b585 no longer counts a pod being deleted and creates a replacement."),
        "{text}"
    );
}

#[test]
fn pod_evicted_by_a_drain_after_a_budget_refusal() {
    let text = explain(
        "scenarios/workloads/drain-blocked-by-pdb.yaml",
        "web-8546f8cd65-v426l",
        "3m",
    );
    assert!(
        text.contains("Evicted at 1m5s through the eviction API (DisruptionTarget: EvictionByEvictionAPI): kubectl drain worker-1 started at 1m0s; the eviction was refused once, at 1m0s (TooManyRequests: Cannot evict pod as it would violate the pod's disruption budget."),
        "{text}"
    );
}

#[test]
fn preemption_victim_and_nominated_preemptor() {
    let file = "scenarios/scheduling/priority-preemption.yaml";
    let victim = explain(file, "batch-report", "20s");
    assert!(
        victim.contains("Preempted at 10.007s by pod default/critical-app (priority 1000000 > 1000) to make room on node worker-1")
            && victim.contains("deleted it gracefully with a grace period of 30s (the kubelet stops it by 40.007s)"),
        "{victim}"
    );
    let preemptor = explain(file, "critical-app", "20s");
    assert!(
        preemptor.contains("Nominated to node worker-1 at 10.007s (status.nominatedNodeName): preemption evicted batch-report to make room there. It waits for its victims to terminate: batch-report (priority 1000 < 1000000, terminating with a grace period of 30s, until 40.007s at the latest)")
            && preemptor.contains("It is scheduled at 30.019s"),
        "{preemptor}"
    );
}
