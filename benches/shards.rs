//! The cost of sharding: the flagship scenario (data/scenarios/agreement_2022.toml, its grid
//! coarsened to `SHARDS_GRID_DEG` degrees, default 2°, to keep the bench short) run as one
//! process and as 1, 2, 4 and 8 shards plus the merge, on this machine.
//!
//! Shards run one after another, each on the whole rayon pool, as a cluster would run them
//! on separate nodes; reported per N: the slowest shard (the wall time on N nodes), the sum
//! of the shards (the node time), the merge step, and process CPU time against the single
//! run (the overhead of sharding). A one-shot measurement (the runs take seconds each),
//! printed as a table; not a Criterion statistical bench.

use std::time::Instant;

use gnss_interop::scenario::run::{merge, run, run_shard, RunOptions};
use gnss_interop::scenario::shard::ShardSpec;
use gnss_interop::scenario::Scenario;

/// Process CPU time (user + system of every thread), s.
fn cpu_s() -> f64 {
    cpu_time::ProcessTime::now().as_duration().as_secs_f64()
}

fn main() {
    // `cargo bench` passes --bench; a filter naming another bench skips this one.
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    if !args.is_empty() && !args.iter().any(|a| "shards".contains(a.as_str())) {
        return;
    }
    let step: f64 = std::env::var("SHARDS_GRID_DEG")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2.0);
    let mut s = Scenario::from_file("data/scenarios/agreement_2022.toml").expect("flagship");
    if let Some(g) = s.grid.as_mut() {
        g.step_deg = step;
    }
    let scratch = tempfile::Builder::new()
        .prefix("gnss-interop-bench-shards-")
        .tempdir()
        .expect("temporary directory");
    let dir = scratch.path();
    let threads = rayon::current_num_threads();
    println!("flagship, {step}° grid, {threads} threads per process/shard");

    let (c0, t0) = (cpu_s(), Instant::now());
    run(&s, &RunOptions::new(&dir.join("single"))).expect("single run");
    let (single_wall, single_cpu) = (t0.elapsed().as_secs_f64(), cpu_s() - c0);
    println!("single run: {single_wall:.2} s wall, {single_cpu:.2} s CPU");
    println!(
        "{:>3} {:>14} {:>14} {:>10} {:>12} {:>14}",
        "N", "slowest shard", "sum of shards", "merge", "CPU total", "CPU vs single"
    );
    for n in [1usize, 2, 4, 8] {
        let d = dir.join(format!("n{n}"));
        let c0 = cpu_s();
        let mut parts = Vec::new();
        let mut times = Vec::new();
        for k in 1..=n {
            let p = d.join(format!("shard-{k}"));
            let t = Instant::now();
            run_shard(&s, &RunOptions::new(&p), ShardSpec::new(k, n).unwrap()).expect("shard");
            times.push(t.elapsed().as_secs_f64());
            parts.push(p);
        }
        let t = Instant::now();
        merge(Some(&s), &parts, &RunOptions::new(&d.join("merged"))).expect("merge");
        let merge_s = t.elapsed().as_secs_f64();
        let cpu = cpu_s() - c0;
        println!(
            "{n:>3} {:>12.2} s {:>12.2} s {:>8.2} s {:>10.2} s {:>13.2}×",
            times.iter().cloned().fold(0.0, f64::max),
            times.iter().sum::<f64>(),
            merge_s,
            cpu,
            cpu / single_cpu
        );
    }
}
