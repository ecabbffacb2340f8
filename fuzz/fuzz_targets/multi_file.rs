//! Fuzz target: the multi-file merges. The input is split in two at a position given by its
//! first two bytes; both halves are read as navigation files and merged (`NavData::merge`),
//! then written as two SP3 files and read as one product (`Sp3Product::from_files`). Every
//! outcome must be `Ok` or a typed error, never a panic; a merged SP3 table keeps one slot per
//! epoch for every satellite. Run with `cargo +nightly fuzz run multi_file` from the crate root.
#![no_main]

use std::path::Path;

use gnss_interop::ephemeris::{NavData, Sp3Product};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if data.len() < 2 {
        return;
    }
    let cut = (usize::from(data[0]) << 8 | usize::from(data[1])) % data.len().max(1);
    let body = &data[2..];
    let cut = cut.min(body.len());
    let (a, b) = body.split_at(cut);
    let parts: Vec<NavData> = [a, b]
        .iter()
        .enumerate()
        .filter_map(|(i, part)| {
            NavData::from_reader(*part, Path::new(if i == 0 { "a.rnx" } else { "b.rnx" })).ok()
        })
        .collect();
    if !parts.is_empty() {
        let _ = NavData::merge(parts);
    }
    let dir = std::env::temp_dir().join(format!("gnss-interop-fuzz-{}", std::process::id()));
    if std::fs::create_dir_all(&dir).is_err() {
        return;
    }
    let (pa, pb) = (dir.join("a.sp3"), dir.join("b.sp3"));
    if std::fs::write(&pa, a).is_ok() && std::fs::write(&pb, b).is_ok() {
        if let Ok(product) = Sp3Product::from_files(&[&pa, &pb]) {
            for s in &product.satellites {
                assert_eq!(s.position_m.len(), product.epochs.len());
                assert_eq!(s.clock_s.len(), product.epochs.len());
            }
        }
    }
});
