//! # 09 — Full-day coverage tables: masks, systems and clock models side by side
//!
//! ```text
//! cargo run --release --example 09_full_day_tables [-- PATH/TO/BRDC.rnx]
//! ```
//!
//! The full-size coverage measurement: a global grid (cell centres, 2° unless the environment
//! variable `COVERAGE_GRID_STEP` gives another step in degrees), 2023-01-01 00:00–23:55 GPST
//! every 300 s, elevation masks 5°, 10° and 30°; BDS, GLONASS, and BDS+GLONASS under the three
//! receiver-clock models (`Common`, `KnownOffsets` with σ_isb = 10 ns, `PerConstellation`).
//! Always from the nominal constellations; also from a broadcast navigation file when its path
//! is given as the argument (e.g. the IGS file `BRDC00IGS_R_20230010000_01D_MN.rnx`).
//! Prints a Markdown table: mean PDOP, availability (PDOP ≤ 6), mean number of visible
//! satellites, all area-weighted, and the run time of each case. Unlike the other examples this
//! one takes minutes in release (90 runs of a full day on 16,200 points at 2°).
//!
//! API shown: [`run_coverage`], [`CoverageConfig`], `CoverageResult::summary`,
//! [`ClockModel`].

use gnss_interop::coverage::DopKind;
use gnss_interop::prelude::*;
use gnss_interop::time::epoch_from_iso;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let step_deg: f64 = match std::env::var("COVERAGE_GRID_STEP") {
        Ok(s) => s
            .parse()
            .map_err(|e| format!("COVERAGE_GRID_STEP = '{s}': {e}"))?,
        Err(_) => 2.0,
    };
    let grid = Grid::global(step_deg, GridLayout::CellCentres, 0.0)?;
    let isb_ns = 10.0;
    let isb_m = isb_ns * 1e-9 * 299_792_458.0;
    let mut sources: Vec<(String, Box<dyn OrbitSource>)> =
        vec![("nominal".into(), Box::new(NominalConstellation::both()))];
    if let Some(path) = std::env::args_os().nth(1) {
        let src = BroadcastSource::from_file(
            &path,
            &[Constellation::BeiDou, Constellation::Glonass],
            BroadcastOptions::default(),
        )?;
        sources.push(("BRDC".into(), Box::new(src)));
    }
    // GPST start; the IGS file's records run 00:00–23:45 (BDS in BDT, GLONASS in UTC).
    let t0 = epoch_from_iso(Scale::Gpst, "2023-01-01T00:00:00")?;
    let step = Duration::from_seconds(300.0);
    let t1 = t0 + Duration::from_seconds(24.0 * 3600.0) - step;
    println!(
        "grid {step_deg}° ({} points), 2023-01-01 00:00–23:55 GPST at 300 s, σ_isb {isb_ns} ns",
        grid.len()
    );
    println!("| source | mask | systems | clock | mean PDOP | availability (PDOP ≤ 6) | mean visible | run s |");
    println!("|---|---|---|---|---|---|---|---|");
    let (c, r) = (Constellation::BeiDou, Constellation::Glonass);
    for (name, src) in &sources {
        for mask in [5.0, 10.0, 30.0] {
            let cases = [
                ("C", vec![c], ClockModel::Common, "(one system)"),
                ("R", vec![r], ClockModel::Common, "(one system)"),
                ("C+R", vec![c, r], ClockModel::Common, "Common"),
                (
                    "C+R",
                    vec![c, r],
                    ClockModel::KnownOffsets { isb_sigma_m: isb_m },
                    "KnownOffsets",
                ),
                (
                    "C+R",
                    vec![c, r],
                    ClockModel::PerConstellation,
                    "PerConstellation",
                ),
            ];
            for (sys, systems, clock, clock_name) in cases {
                let mut cfg = CoverageConfig::new(systems, t0, t1, step).with_mask_deg(mask)?;
                cfg.clock = clock;
                cfg.dop_kinds = vec![DopKind::Pdop, DopKind::Hdop, DopKind::Vdop];
                let t = std::time::Instant::now();
                let result = run_coverage(&[src.as_ref()], &grid, &cfg)?;
                let dt = t.elapsed().as_secs_f64();
                let s = result.summary(None).ok_or("the grid has no points")?;
                let pdop = s
                    .get(DopKind::Pdop)
                    .map_or("-".into(), |d| format!("{:.3}", d.mean));
                println!(
                    "| {name} | {mask}° | {sys} | {clock_name} | {pdop} | {:.2} % | {:.2} | {dt:.2} |",
                    100.0 * s.availability_mean,
                    s.visible_mean
                );
            }
        }
    }
    Ok(())
}
