//! Many SP3 files as one source: the real WUM MGEX final product of 2023-01-01
//! (`sp3/WUM0MGXFIN_20230010000_01D_05M_ORB.SP3`) cut at test time, in a temporary
//! directory, into pieces, and the CODE product of the same day
//! (`sp3/COD0MGXFIN_20230010000_01D_05M_ORB.SP3`) for the mixed-centre case.
//!
//! The expected values are the unsplit file's own interpolation (a cut must change nothing,
//! bit for bit) and the file's own node values; no figure comes from the merge code.

mod common;

use std::path::{Path, PathBuf};

use gnss_interop::ephemeris::{EphemerisError, Sp3MergeOptions, Sp3Product};
use gnss_interop::id::SatId;
use gnss_interop::orbit::sp3::{Sp3Options, Sp3Source};
use gnss_interop::orbit::OrbitSource;
use hifitime::{Duration, Epoch, TimeScale};

const WUM: &str = "sp3/WUM0MGXFIN_20230010000_01D_05M_ORB.SP3";
const COD: &str = "sp3/COD0MGXFIN_20230010000_01D_05M_ORB.SP3";

/// A fresh scratch directory for one test.
fn scratch(name: &str) -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix(&format!("gnss-interop-sp3multi-{name}-"))
        .tempdir()
        .unwrap()
}

/// The WUM file cut before the epoch block `cut` (12:00 is block 144): two files.
fn cut_wum(dir: &Path, cut: usize) -> Option<(PathBuf, PathBuf, PathBuf)> {
    let whole = common::data_file(WUM)?;
    let text = std::fs::read_to_string(&whole).unwrap();
    let (header, blocks) = common::split_sp3(&text);
    let a = dir.join("wum_am.sp3");
    let b = dir.join("wum_pm.sp3");
    common::write_sp3(&a, &header, &blocks[..cut]);
    common::write_sp3(&b, &header, &blocks[cut..]);
    Some((whole, a, b))
}

fn gpst(h: u8, m: u8, s: u8) -> Epoch {
    Epoch::from_gregorian(2023, 1, 1, h, m, s, 0, TimeScale::GPST)
}

/// Cut at 12:00 and read back in reverse order: the same product and the same states, bit
/// for bit, at every 30 s from 11:00 to 13:00 and at every 7 min 17 s over the day, for every
/// satellite.
#[test]
fn wum_cut_at_noon_interpolates_bit_identically() {
    let dir = scratch("noon");
    let Some((whole, am, pm)) = cut_wum(dir.path(), 144) else {
        return;
    };
    let one = Sp3Product::from_file(&whole).unwrap();
    let two = Sp3Product::from_files(&[&pm, &am]).unwrap();
    assert_eq!(two.merge.files, 2);
    assert_eq!(two.merge.shared_nodes, 0);
    assert_eq!(two.epochs, one.epochs);
    assert_eq!(two.satellites, one.satellites, "same table");
    let a = Sp3Source::new(one, 9).unwrap();
    let b = Sp3Source::new(two, 9).unwrap();
    let mut epochs: Vec<Epoch> = (0..=240)
        .map(|i| gpst(11, 0, 0) + Duration::from_seconds(30.0 * i as f64))
        .collect();
    epochs.extend((0..197).map(|i| gpst(0, 0, 0) + Duration::from_seconds(437.0 * i as f64)));
    let mut n = 0;
    for &sat in a.satellites() {
        for &t in &epochs {
            match (a.interpolate(sat, t), b.interpolate(sat, t)) {
                (Ok(x), Ok(y)) => {
                    assert_eq!(x, y, "{sat} at {t}");
                    n += 1;
                }
                (Err(x), Err(y)) => assert_eq!(x.to_string(), y.to_string()),
                (x, y) => panic!("{sat} at {t}: {x:?} vs {y:?}"),
            }
        }
    }
    eprintln!("stitched at 12:00: {n} states bit-identical");
    assert!(n > 40_000, "{n}");
}

/// Overlapping pieces (the 12:00 node in both files, identical) merge into the same table;
/// the shared nodes are counted.
#[test]
fn overlapping_identical_nodes_are_shared() {
    let dir = scratch("overlap");
    let Some(whole) = common::data_file(WUM) else {
        return;
    };
    let text = std::fs::read_to_string(&whole).unwrap();
    let (header, blocks) = common::split_sp3(&text);
    let a = dir.path().join("a.sp3");
    let b = dir.path().join("b.sp3");
    common::write_sp3(&a, &header, &blocks[..145]);
    common::write_sp3(&b, &header, &blocks[144..]);
    let one = Sp3Product::from_file(&whole).unwrap();
    let two = Sp3Product::from_files(&[&a, &b]).unwrap();
    assert_eq!(two.satellites, one.satellites);
    // Block 144 holds one P line per satellite with a position (bad-value lines excluded).
    let valid = one
        .satellites
        .iter()
        .filter(|s| s.position_m[144].is_some())
        .count();
    assert_eq!(two.merge.shared_nodes, valid);
    assert_eq!(two.merge.max_shared_difference_m, 0.0);
}

/// Mutated inputs: a truncated second file, a duplicate node that disagrees, mixed centres.
#[test]
fn mutated_inputs_give_typed_errors_naming_file_and_line() {
    let dir = scratch("mutated");
    let Some((_whole, am, pm)) = cut_wum(dir.path(), 144) else {
        return;
    };
    // 1. Truncated second file: cut in the middle of a record line.
    let text = std::fs::read_to_string(&pm).unwrap();
    let cut_at = text.len() / 2;
    let line_no = text[..cut_at].lines().count();
    let cut_line_start = text[..cut_at].rfind('\n').unwrap() + 1;
    let truncated = dir.path().join("wum_pm_truncated.sp3");
    // 20 characters of the line: a record cut after its x coordinate (or an epoch line cut
    // after its minute).
    std::fs::write(&truncated, &text[..cut_line_start + 20]).unwrap();
    let e = Sp3Product::from_files(&[&am, &truncated]).unwrap_err();
    let msg = e.to_string();
    assert!(
        matches!(&e, EphemerisError::Parse { path, line, .. } if path == &truncated && *line == line_no),
        "{msg}"
    );
    eprintln!("truncated (mid-line): {msg}");
    // Truncated at a line boundary: no EOF line, fewer epochs than declared.
    let whole_lines = dir.path().join("wum_pm_lines.sp3");
    std::fs::write(&whole_lines, &text[..cut_line_start]).unwrap();
    let e = Sp3Product::from_files(&[&am, &whole_lines]).unwrap_err();
    assert!(
        matches!(&e, EphemerisError::Parse { path, line, .. } if path == &whole_lines && *line == line_no - 1),
        "{e}"
    );
    eprintln!("truncated (line boundary): {e}");

    // 2. Duplicate node that disagrees: the second file repeats the 11:55 block with C20
    // moved by 5 km in x.
    let whole = common::data_file(WUM).unwrap();
    let text = std::fs::read_to_string(&whole).unwrap();
    let (header, blocks) = common::split_sp3(&text);
    let mut pm_blocks: Vec<Vec<String>> = blocks[143..]
        .iter()
        .map(|b| b.iter().map(|l| l.to_string()).collect())
        .collect();
    let c20 = pm_blocks[0]
        .iter()
        .position(|l| l.starts_with("PC20"))
        .unwrap();
    let l = pm_blocks[0][c20].clone();
    let x: f64 = l[4..18].trim().parse().unwrap();
    pm_blocks[0][c20] = format!("{}{:14.6}{}", &l[..4], x + 5.0, &l[18..]);
    let pm2 = dir.path().join("wum_pm_conflict.sp3");
    let refs: Vec<Vec<&str>> = pm_blocks
        .iter()
        .map(|b| b.iter().map(|s| s.as_str()).collect())
        .collect();
    common::write_sp3(&pm2, &header, &refs);
    // Lines: header lines, then block 143 in the first file; block 0 in the second.
    let line_in = |hdr: usize, blocks: &[Vec<&str>], upto: usize, k: usize| {
        hdr + blocks[..upto].iter().map(|b| b.len()).sum::<usize>() + k + 1
    };
    let first_line = line_in(header.len(), &blocks, 143, c20);
    let second_line = header.len() + c20 + 1;
    let e = Sp3Product::from_files(&[&pm2, &am]).unwrap_err();
    match &e {
        EphemerisError::Sp3NodeConflict(c) => {
            assert_eq!((&c.first, c.first_line), (&am, first_line), "{e}");
            assert_eq!((&c.second, c.second_line), (&pm2, second_line), "{e}");
            assert_eq!(c.sat, "C20".parse::<SatId>().unwrap());
            assert_eq!(c.epoch, gpst(11, 55, 0));
            assert!((c.difference_m - 5000.0).abs() < 1e-3, "{}", c.difference_m);
        }
        other => panic!("expected a node conflict, got {other:?}"),
    }
    eprintln!("conflict: {e}");

    // 3. Mixed centres: WUM + COD refused (line 1 of both), accepted when allowed.
    let Some(cod) = common::data_file(COD) else {
        return;
    };
    let e = Sp3Product::from_files(&[&cod, &whole]).unwrap_err();
    match &e {
        EphemerisError::Sp3Mixed(m) => {
            assert_eq!(m.what, "analysis centre");
            assert_eq!((m.first_line, m.second_line), (1, 1));
            let mut v = [m.first_value.as_str(), m.second_value.as_str()];
            v.sort();
            // Line 1 of the files: agency AIUB (CODE) and WHU (Wuhan).
            assert_eq!(v, ["AIUB", "WHU"]);
        }
        other => panic!("expected mixed centres, got {other:?}"),
    }
    assert!(
        e.to_string().contains(COD.rsplit('/').next().unwrap()),
        "{e}"
    );
    eprintln!("mixed: {e}");
    // Opt in: the two centres' common nodes (same day, same grid) agree within 1 m?
    // Not asserted: that is a statement about the products, not the merge. With a 1 km
    // tolerance they merge into one table of 289 epochs.
    let merged = Sp3Product::from_files_with(
        &[&cod, &whole],
        &Sp3MergeOptions {
            allow_mixed: true,
            node_tolerance_m: 1000.0,
        },
    )
    .unwrap();
    assert_eq!(merged.epochs.len(), 289);
    assert!(merged.merge.shared_nodes > 10_000);
    eprintln!(
        "WUM+COD allowed: {} shared nodes, max difference {:.3} m",
        merged.merge.shared_nodes, merged.merge.max_shared_difference_m
    );
}

/// Two files with a hole between them (12:00–13:00 missing): no state is interpolated across
/// the hole, and states away from it are those of the whole file.
#[test]
fn hole_between_files_is_not_bridged() {
    let dir = scratch("hole");
    let Some(whole) = common::data_file(WUM) else {
        return;
    };
    let text = std::fs::read_to_string(&whole).unwrap();
    let (header, blocks) = common::split_sp3(&text);
    let a = dir.path().join("a.sp3");
    let b = dir.path().join("b.sp3");
    common::write_sp3(&a, &header, &blocks[..144]);
    common::write_sp3(&b, &header, &blocks[156..]);
    let src = Sp3Source::from_files(
        &[&a, &b],
        &Sp3MergeOptions::default(),
        Sp3Options::default(),
    )
    .unwrap();
    let one = Sp3Source::new(Sp3Product::from_file(&whole).unwrap(), 9).unwrap();
    let sat: SatId = "C20".parse().unwrap();
    assert!(src.state_at(sat, gpst(12, 30, 0)).is_err());
    assert!(
        src.state_at(sat, gpst(11, 57, 30)).is_err(),
        "past the last node"
    );
    // 11:55 is the last node of the first file: its value.
    assert_eq!(
        src.state_at(sat, gpst(11, 55, 0)).unwrap().position_m,
        one.state_at(sat, gpst(11, 55, 0)).unwrap().position_m
    );
    // Far from the hole the windows are the same as in the whole file.
    assert_eq!(
        src.interpolate(sat, gpst(6, 2, 30)).unwrap(),
        one.interpolate(sat, gpst(6, 2, 30)).unwrap()
    );
    let served = src.served_intervals(sat);
    assert_eq!(
        served,
        vec![
            (gpst(0, 0, 0), gpst(11, 55, 0)),
            (gpst(13, 0, 0), gpst(23, 55, 0))
        ]
    );
}
