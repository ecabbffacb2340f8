//! Many navigation files as one broadcast source: the two consecutive IGS daily BRDC files
//! (2022-12-31, gzip, and 2023-01-01) merged across the year boundary.
//!
//! No computed value is compared with a stored figure here: every check compares the merged
//! source with the single-file sources it is built from (bit for bit), or counts records.

mod common;

use std::path::PathBuf;

use gnss_interop::ephemeris::{NavData, SelectionPolicy};
use gnss_interop::id::{Constellation, SatId};
use gnss_interop::orbit::broadcast::{BroadcastOptions, BroadcastSource};
use gnss_interop::orbit::OrbitSource;
use hifitime::{Duration, Epoch, TimeScale};

const BOTH: [Constellation; 2] = [Constellation::BeiDou, Constellation::Glonass];
const DAY1: &str = "nav/BRDC00IGS_R_20223650000_01D_MN.rnx.gz";
const DAY2: &str = "nav/BRDC00IGS_R_20230010000_01D_MN.rnx";

fn files() -> Option<(PathBuf, PathBuf)> {
    Some((common::data_file(DAY1)?, common::data_file(DAY2)?))
}

fn source(paths: &[PathBuf]) -> BroadcastSource {
    BroadcastSource::from_files(paths, &BOTH, BroadcastOptions::default()).unwrap()
}

/// Epochs every `step_s` in [from, from + span_s), GPST.
fn epochs(from: Epoch, span_s: f64, step_s: f64) -> Vec<Epoch> {
    (0..(span_s / step_s) as i64)
        .map(|k| from + Duration::from_seconds(k as f64 * step_s))
        .collect()
}

fn midnight() -> Epoch {
    Epoch::from_gregorian(2023, 1, 1, 0, 0, 0, 0, TimeScale::GPST)
}

/// Same outcome (state bits or error text) at every satellite and epoch.
fn assert_same(a: &BroadcastSource, b: &BroadcastSource, ts: &[Epoch]) {
    assert_eq!(a.satellites(), b.satellites());
    for &sat in a.satellites() {
        for &t in ts {
            match (a.state_at(sat, t), b.state_at(sat, t)) {
                (Ok(x), Ok(y)) => assert_eq!(x, y, "{sat} at {t}"),
                (Err(x), Err(y)) => assert_eq!(x.to_string(), y.to_string(), "{sat} at {t}"),
                (x, y) => panic!("{sat} at {t}: {x:?} vs {y:?}"),
            }
        }
    }
}

#[test]
fn file_order_is_irrelevant_and_duplicates_are_counted() {
    let Some((d1, d2)) = files() else { return };
    let ab = source(&[d1.clone(), d2.clone()]);
    let ba = source(&[d2, d1]);
    assert_eq!(ab.nav(), ba.nav());
    let ts = epochs(
        midnight() - Duration::from_seconds(2.0 * 3600.0),
        4.0 * 3600.0,
        300.0,
    );
    assert_same(&ab, &ba, &ts);
    let m = ab.nav().merge;
    assert_eq!(m.files, 2);
    eprintln!("two IGS days: {m:?}");
    assert!(m.duplicates_dropped > 0, "{m:?}");
}

#[test]
fn first_hour_of_the_day_is_served_by_the_previous_days_last_records() {
    let Some((d1, d2)) = files() else { return };
    let merged = source(&[d2.clone(), d1.clone()]);
    let day1 = source(&[d1]);
    let day2 = source(&[d2]);
    let pol = SelectionPolicy::default();
    let mut from_day1 = 0usize;
    let mut filled = 0usize;
    for &sat in merged.satellites() {
        for t in epochs(midnight(), 3600.0, 60.0) {
            let reference = match sat.constellation() {
                Constellation::BeiDou => merged.nav().select_bds(sat, t, &pol).map(|r| r.toe),
                _ => merged.nav().select_glonass(sat, t, &pol).map(|r| r.tb),
            };
            let Ok(reference) = reference else { continue };
            if reference < midnight() {
                // Selected from 2022-12-31's last records: the day-1 source gives the same bits.
                from_day1 += 1;
                assert_eq!(
                    merged.state_at(sat, t).unwrap(),
                    day1.state_at(sat, t).unwrap(),
                    "{sat} at {t}"
                );
                if day2.state_at(sat, t).is_err() {
                    filled += 1;
                }
            }
        }
    }
    eprintln!("00:00-00:59: {from_day1} satellite-minutes from day 1, {filled} not servable by day 2 alone");
    // In these two IGS files the day-2 file alone also covers its first hour; the merged source
    // still selects the nearer day-1 record where one is nearer (24 satellite-minutes).
    assert!(from_day1 > 0);
}

#[test]
fn a_mutated_copy_is_a_conflict_resolved_by_the_last_file_name() {
    let Some((_, d2)) = files() else { return };
    let text = std::fs::read_to_string(&d2).unwrap();
    let start = text
        .find("C06 2023 01 01 00 00 00")
        .expect("C06 00:00 record");
    let at = start + text[start..].find("-1.410625000000e+02").expect("C06 Crs");
    let mutated = format!("{}-1.410626000000e+02{}", &text[..at], &text[at + 19..]);
    let dir = tempfile::Builder::new()
        .prefix("gnss-interop-navmulti-")
        .tempdir()
        .unwrap();
    // Sorts after "BRDC…", so its records win the conflict.
    let copy = dir.path().join("ZZ_mutated.rnx");
    std::fs::write(&copy, mutated).unwrap();
    let merged = NavData::from_files(&[copy.clone(), d2.clone()]).unwrap();
    let orig = NavData::from_file(&d2).unwrap();
    let total = orig.bds_record_count() + orig.glonass_record_count();
    assert_eq!(merged.merge.conflicts_resolved, 1);
    assert_eq!(merged.merge.duplicates_dropped, total - 1);
    let c06 = SatId::new(Constellation::BeiDou, 6).unwrap();
    let kept = merged.bds[&c06]
        .iter()
        .find(|r| r.toe == orig.bds[&c06][0].toe)
        .unwrap();
    assert_eq!(kept.crs_m, -141.0626);
}
