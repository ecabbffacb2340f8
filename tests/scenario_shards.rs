//! Sharded runs: the flagship scenario (reduced) and the layout search, cut into N = 1, 2, 3
//! and 7 shards and merged, give the same files as a single-process run, byte for byte
//! (apart from the stage wall-clock times); a missing, duplicated or foreign shard is refused
//! and nothing is written.

mod common;
mod shard_support;

use std::path::{Path, PathBuf};

use gnss_interop::scenario::run::{merge, run, run_shard, RunOptions};
use gnss_interop::scenario::shard::ShardSpec;
use gnss_interop::scenario::Scenario;
use gnss_interop::Error;
use shard_support::{assert_same_outputs, scratch};

fn shards(s: &Scenario, dir: &Path, n: usize) -> Vec<PathBuf> {
    (1..=n)
        .map(|k| {
            let d = dir.join(format!("shard-{k}"));
            let r = run_shard(s, &RunOptions::new(&d), ShardSpec::new(k, n).unwrap()).unwrap();
            assert!(!r.skipped);
            d
        })
        .collect()
}

fn check_bit_identical(s: &Scenario, tag: &str) {
    let dir = scratch(tag);
    let single = dir.path().join("single");
    run(s, &RunOptions::new(&single)).unwrap();
    for n in [1, 2, 3, 7] {
        let d = dir.path().join(format!("n{n}"));
        let parts = shards(s, &d, n);
        let merged = d.join("merged");
        merge(Some(s), &parts, &RunOptions::new(&merged)).unwrap();
        assert_same_outputs(&single, &merged, &format!("{tag}, N = {n}"));
    }
}

#[test]
fn flagship_merges_bit_identical_for_1_2_3_7_shards() {
    let s = Scenario::from_file("data/scenarios/agreement_2022.toml")
        .unwrap()
        .reduced();
    check_bit_identical(&s, "flagship");
}

#[test]
fn layout_search_merges_bit_identical_for_1_2_3_7_shards() {
    // The candidate list is real data (IGS station coordinates).
    if common::data_dir().is_none() {
        return;
    }
    let s = Scenario::from_file("data/scenarios/layout_search.toml").unwrap();
    check_bit_identical(&s, "layout");
}

#[test]
fn missing_duplicate_and_foreign_shards_are_refused_and_nothing_is_written() {
    let s = Scenario::from_file("data/scenarios/agreement_2022.toml")
        .unwrap()
        .reduced();
    let dir = scratch("refusals");
    let parts = shards(&s, dir.path(), 3);
    let out = dir.path().join("merged");
    let try_merge = |p: &[PathBuf]| merge(Some(&s), p, &RunOptions::new(&out));

    let e = try_merge(&parts[..2]).unwrap_err().to_string();
    assert!(e.contains("shard(s) [3] of 3 missing"), "{e}");
    let e = try_merge(&[parts[0].clone(), parts[1].clone(), parts[1].clone()])
        .unwrap_err()
        .to_string();
    assert!(e.contains("shard 2/3 given twice"), "{e}");

    // A shard of another scenario (a different span) is foreign.
    let mut other = s.clone();
    if let Some(t) = other.time.as_mut() {
        t.step_s *= 2.0;
    }
    let o = dir.path().join("other-shard-3");
    run_shard(&other, &RunOptions::new(&o), ShardSpec::new(3, 3).unwrap()).unwrap();
    let e = try_merge(&[parts[0].clone(), parts[1].clone(), o.clone()]).unwrap_err();
    assert!(matches!(e, Error::Shard(_)), "{e}");
    assert!(e.to_string().contains("differs"), "{e}");
    // Merging with a scenario the shards were not run on.
    let e = merge(Some(&other), &parts, &RunOptions::new(&out)).unwrap_err();
    assert!(e.to_string().contains("another version of scenario"), "{e}");
    // Shards of a different count.
    let four = dir.path().join("four-shard-4");
    run_shard(&s, &RunOptions::new(&four), ShardSpec::new(4, 4).unwrap()).unwrap();
    let e = try_merge(&[parts[0].clone(), parts[1].clone(), parts[2].clone(), four])
        .unwrap_err()
        .to_string();
    assert!(e.contains("shard count"), "{e}");
    // Not a partial result at all.
    let junk = dir.path().join("junk.json.gz");
    std::fs::write(&junk, b"not gzip").unwrap();
    let e = try_merge(&[junk]).unwrap_err().to_string();
    assert!(e.contains("junk.json.gz"), "{e}");

    assert!(!out.exists(), "a refused merge wrote {}", out.display());

    // A finished shard is skipped; with force it is recomputed.
    let again = run_shard(
        &s,
        &RunOptions::new(&parts[0]),
        ShardSpec::new(1, 3).unwrap(),
    )
    .unwrap();
    assert!(again.skipped);
    let mut forced = RunOptions::new(&parts[0]);
    forced.force = true;
    let again = run_shard(&s, &forced, ShardSpec::new(1, 3).unwrap()).unwrap();
    assert!(!again.skipped);
    // Only the partial result stays in a shard directory.
    let names: Vec<String> = std::fs::read_dir(&parts[0])
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, vec!["partial.json.gz".to_string()]);
}
