//! Predicted SP3 records: ultra-rapid products mark the predicted half of their span with `P`
//! in column 80 (orbit) and column 76 (clock) of each `P` line (SP3-d, IGS 2016, §"Position
//! and clock record"). The flag is kept on each interpolated state, and a study may exclude
//! predictions: the epochs only predictions cover then become "no data" — refused naming the
//! interval, or counted with allow-no-data — never silently answered.
//!
//! The real WUM final product of 2023-01-01 has no predicted record; a copy made here flags
//! every record from 20:00 GPST on as an ultra-rapid file would.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use gnss_interop::ephemeris::Sp3Product;
use gnss_interop::id::SatId;
use gnss_interop::orbit::sp3::{Sp3Options, Sp3Source};
use gnss_interop::orbit::OrbitSource;
use hifitime::{Epoch, TimeScale};

/// The WUM file with every `P` record at or after 20:00 flagged predicted (column 80).
fn flagged_copy(dir: &Path) -> Option<PathBuf> {
    let p = common::data_file("sp3/WUM0MGXFIN_20230010000_01D_05M_ORB.SP3")?;
    let text = std::fs::read_to_string(p).unwrap();
    let mut out = String::with_capacity(text.len() + 1_000_000);
    let mut late = false;
    for line in text.lines() {
        if line.starts_with('*') {
            let hour: u32 = line[14..16].trim().parse().unwrap();
            late = hour >= 20;
        }
        if late && line.starts_with('P') {
            let head: String = line.chars().take(79).collect();
            out += &format!("{head:<79}P{}\n", line.get(80..).unwrap_or(""));
        } else {
            out += line;
            out += "\n";
        }
    }
    let copy = dir.join("wum_predicted_tail.sp3");
    std::fs::write(&copy, out).unwrap();
    Some(copy)
}

fn gpst(h: u8, m: u8) -> Epoch {
    Epoch::from_gregorian(2023, 1, 1, h, m, 0, 0, TimeScale::GPST)
}

#[test]
fn flag_is_kept_and_exclusion_shrinks_the_data() {
    let dir = tempfile::tempdir().unwrap();
    let Some(copy) = flagged_copy(dir.path()) else {
        return;
    };
    let product = Sp3Product::from_file(&copy).unwrap();
    let c20: SatId = "C20".parse().unwrap();
    let all = Sp3Source::with_options(product.clone(), Sp3Options::default()).unwrap();
    // The flag on the state: a window touching a predicted node is predicted.
    assert!(!all.interpolate(c20, gpst(12, 2)).unwrap().predicted);
    assert!(all.interpolate(c20, gpst(21, 2)).unwrap().predicted);
    // A window of 10 nodes around 19:50 reaches 20:00 and later: predicted too.
    assert!(all.interpolate(c20, gpst(19, 52)).unwrap().predicted);
    // Excluded: the data end at the last observed node, 19:55.
    let observed = Sp3Source::with_options(
        product,
        Sp3Options {
            exclude_predicted: true,
            ..Sp3Options::default()
        },
    )
    .unwrap();
    let served = observed.served_intervals(c20);
    assert_eq!(served.last().unwrap().1, gpst(19, 55), "{served:?}");
    assert!(observed.state_at(c20, gpst(21, 0)).is_err());
    assert!(!observed.interpolate(c20, gpst(19, 52)).unwrap().predicted);
}

#[test]
fn command_line_refuses_or_counts_predicted_epochs_when_excluded() {
    let dir = tempfile::tempdir().unwrap();
    let Some(copy) = flagged_copy(dir.path()) else {
        return;
    };
    let copy = copy.to_string_lossy().into_owned();
    let run = |extra: &[&str]| {
        let mut args = vec![
            "coverage",
            "--sp3",
            &copy,
            "--start",
            "2023-01-01T19:00:00 GPST",
            "--end",
            "2023-01-01T21:00:00 GPST",
            "--step",
            "600",
            "--grid-step",
            "30",
            "--out",
            "cov",
            "--force",
        ];
        args.extend_from_slice(extra);
        Command::new(env!("CARGO_BIN_EXE_gnss-interop"))
            .args(&args)
            .current_dir(dir.path())
            .output()
            .unwrap()
    };
    // Predictions used (the default): the span is inside the data.
    let o = run(&[]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    // Excluded: after the last observed node (19:55) only predictions cover the span: refused
    // naming that interval.
    let o = run(&["--exclude-predicted"]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!o.status.success(), "{err}");
    assert!(
        err.contains("2023-01-01T19:55:00 GPST – 2023-01-01T21:00:00 GPST"),
        "{err}"
    );
    // Excluded and allowed: counted as no data.
    let o = run(&["--exclude-predicted", "--allow-no-data"]);
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(o.status.success(), "{all}");
    assert!(all.contains("no data"), "{all}");
}
