//! `gnss-interop timescales` end to end on the 2023-01-01 files.

mod common;

use std::process::Command;

#[test]
fn timescales_json_and_csv() {
    let (Some(nav), Some(clk)) = (
        common::data_file("nav/BRDC00IGS_R_20230010000_01D_MN.rnx"),
        common::data_file("clk/WUM0MGXFIN_20230010000_01D_30S_CLK.CLK"),
    ) else {
        return;
    };
    let scratch = tempfile::Builder::new()
        .prefix("gi-timescales-")
        .tempdir()
        .unwrap();
    // Absent until the command creates it.
    let dir = scratch.path().join("out");
    let out = Command::new(env!("CARGO_BIN_EXE_gnss-interop"))
        .args(["timescales", "--nav"])
        .arg(&nav)
        .arg("--clk")
        .arg(&clk)
        .args([
            "--start",
            "2023-01-01T00:00:00 GPST",
            "--end",
            "2023-01-01T02:00:00 GPST",
            "--step",
            "600",
            "--json",
            "--out",
        ])
        .arg(&dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let offs = v["products"][0]["bdt_minus_glonasst_ns"]
        .as_array()
        .unwrap();
    assert_eq!(offs.len(), 3, "{v}");
    assert!(offs[1]["std_error_ns"].as_f64().unwrap() > 0.0);
    // One product: the uncertainty includes the 20 ns floor for the unknown product datum.
    assert!(v["uncertainty"][1]["uncertainty_ns"].as_f64().unwrap() >= 20.0);
    let csv = std::fs::read_to_string(dir.join("timescales_0_WHU.csv")).unwrap();
    assert!(csv.starts_with("epoch,system,group,n_sats,sys_minus_ref_ns,scatter_ns\n"));
    // 13 epochs × 4 groups.
    assert_eq!(csv.lines().count(), 1 + 13 * 4);
    // The figure of the broadcast paths and the realised offset decodes as a PNG.
    let png = image::open(dir.join("timescales.png")).expect("timescales.png decodes");
    assert!(png.width() > 100 && png.height() > 100);
}
