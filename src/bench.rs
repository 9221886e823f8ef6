//! `kubesim bench scheduler <workload>`: times the measured phase of an upstream
//! scheduler_perf workload on the wall clock (outside the simulation) and prints pods/s.

use std::time::Instant;

use sim_core::scheduler::perf::{PerfRun, WORKLOADS, workload};

/// Exit codes as `kubesim` documents them: 0 success, 1 invalid input.
pub fn cmd_bench(component: &str, name: &str, seed: u64) -> u8 {
    if component != "scheduler" {
        eprintln!("error: unknown component {component:?}; the only benchmark is `scheduler`");
        return 1;
    }
    let Some(w) = workload(name) else {
        let names: Vec<&str> = WORKLOADS.iter().map(|w| w.name).collect();
        eprintln!(
            "error: unknown workload {name:?}; choose one of: {}",
            names.join(", ")
        );
        return 1;
    };
    println!(
        "workload {}: {} nodes, {} init pods, {} measured pods, seed {seed}",
        w.name, w.nodes, w.init.count, w.measured.count
    );
    let mut run = PerfRun::prepare(w, seed);
    let start = Instant::now();
    let scheduled = run.schedule_measured();
    let elapsed = start.elapsed();
    // scheduler_perf's SchedulingThroughput averages pods/s over the measured phase.
    let pods_per_sec = scheduled as f64 / elapsed.as_secs_f64();
    println!(
        "scheduled {scheduled}/{} measured pods in {:.3} s",
        run.measured_count(),
        elapsed.as_secs_f64()
    );
    if w.upstream_threshold == 0 {
        println!("throughput {pods_per_sec:.0} pods/s (upstream has no CI threshold for it)");
    } else {
        println!(
            "throughput {pods_per_sec:.0} pods/s (upstream CI threshold {} pods/s, {:.0}x)",
            w.upstream_threshold,
            pods_per_sec / f64::from(w.upstream_threshold)
        );
    }
    if run.unschedulable_attempts > 0 {
        println!(
            "{} failed scheduling attempts, {} preemption victims",
            run.unschedulable_attempts, run.preemption_victims
        );
    }
    println!("placement hash {:016x}", run.placement_hash());
    0
}
