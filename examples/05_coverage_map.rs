//! # 05 — A global coverage map: where do BeiDou and GLONASS together give good geometry?
//!
//! ```text
//! cargo run --release --example 05_coverage_map
//! ```
//!
//! Example 04 computed DOP at one site; a coverage run does it for every point of a grid and
//! every epoch of a span, keeping per-point statistics (mean, median, 95th percentile, max,
//! availability = fraction of epochs with PDOP ≤ 6, longest outage). Points are weighted by the
//! area of their cell (∝ cos latitude) in the summaries, so the poles do not count as much as
//! the equator.
//!
//! Here: the nominal BDS-3 and GLONASS constellations, a 5° global grid (2,592 cell centres),
//! 6 hours every 5 minutes, a 10° elevation mask and one receiver clock per system. The map of
//! mean PDOP is written to `out/examples/05_coverage_pdop.png`. A last run checks the BDS-3
//! geometry against a published figure.
//!
//! API shown: [`Grid::global`], [`CoverageConfig`], [`run_coverage`] (= `coverage::run`),
//! `CoverageResult::summary`, [`report::plot::world_map`].

mod common;

use gnss_interop::coverage::{CoverageResult, DopKind, Region};
use gnss_interop::prelude::*;
use gnss_interop::report::plot::{world_map, ColorScale, MapStyle, Marker, Rgb};
use gnss_interop::report::GridField;
use gnss_interop::time::{calendar_in, epoch_from_iso};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let orbits = NominalConstellation::both();
    let t0 = epoch_from_iso(Scale::Utc, "2023-01-01T00:00:00")?;
    let t1 = t0 + Duration::from_seconds(6.0 * 3600.0);
    let step = Duration::from_seconds(300.0);
    let grid = Grid::global(5.0, GridLayout::CellCentres, 0.0)?;
    println!(
        "grid: {} points; epochs: {} ({} to {} UTC every {} s)",
        grid.len(),
        CoverageConfig::new(vec![], t0, t1, step).epochs()?.len(),
        calendar_in(Scale::Utc, t0)?,
        calendar_in(Scale::Utc, t1)?,
        step.to_seconds()
    );

    // 1. Three runs: each system alone, then both. `CoverageConfig::new` sets the defaults
    //    (5° mask, PerConstellation clocks, PDOP/HDOP/VDOP statistics, availability PDOP ≤ 6);
    //    this example uses a 10° mask.
    println!(
        "\nglobal, area-weighted: {:<9} {:>6} {:>5} {:>10} {:>9} {:>9} {:>9} {:>9}",
        "systems", "n vis", "min", "PDOP mean", "p95 mean", "p95 max", "avail %", "full %"
    );
    let mut both: Option<CoverageResult> = None;
    for (label, systems) in [
        ("BDS", vec![Constellation::BeiDou]),
        ("GLONASS", vec![Constellation::Glonass]),
        (
            "BDS+GLO",
            vec![Constellation::BeiDou, Constellation::Glonass],
        ),
    ] {
        let cfg = CoverageConfig::new(systems, t0, t1, step).with_mask_deg(10.0)?;
        let started = std::time::Instant::now();
        let result = run_coverage(&[&orbits], &grid, &cfg)?;
        let elapsed = started.elapsed();
        let s = result.summary(None).ok_or("empty grid")?;
        let pdop = s.get(DopKind::Pdop).ok_or("no PDOP solution anywhere")?;
        println!(
            "{:>22} {:<9} {:>6.1} {:>5} {:>10.2} {:>9.2} {:>9.2} {:>9.1} {:>9.1}   ({:.2} s)",
            "",
            label,
            s.visible_mean,
            s.visible_min,
            pdop.mean,
            pdop.p95_mean,
            pdop.p95_max,
            100.0 * s.availability_mean,
            100.0 * s.full_availability_area_fraction,
            elapsed.as_secs_f64()
        );
        if label == "BDS+GLO" {
            both = Some(result);
        }
    }
    // "full %" is the share of the Earth's area where PDOP ≤ 6 at every epoch. GLONASS alone
    // (24 satellites) leaves holes at some times and places; BDS-3 alone almost none; together
    // the worst 95th percentile anywhere drops below 3. The map shows where the BeiDou GEO and
    // IGSO satellites over Asia and the western Pacific lower PDOP further.
    let both = both.ok_or("no combined run")?;

    // 2. Regions of interest in the combined run.
    println!("\nBDS+GLONASS by region");
    println!(
        "{:<28} {:>6} {:>10} {:>9} {:>9}",
        "region", "n vis", "PDOP mean", "HDOP", "VDOP"
    );
    for (label, region) in [
        (
            "China 18–54N 73–135E",
            Region {
                lat_min_deg: 18.0,
                lat_max_deg: 54.0,
                lon_min_deg: 73.0,
                lon_max_deg: 135.0,
            },
        ),
        (
            "Russia 41–78N 27–180E",
            Region {
                lat_min_deg: 41.0,
                lat_max_deg: 78.0,
                lon_min_deg: 27.0,
                lon_max_deg: 180.0,
            },
        ),
        (
            "Americas 60S–60N 130–30W",
            Region {
                lat_min_deg: -60.0,
                lat_max_deg: 60.0,
                lon_min_deg: -130.0,
                lon_max_deg: -30.0,
            },
        ),
    ] {
        let s = both.summary(Some(&region)).ok_or("region has no point")?;
        let mean = |k: DopKind| s.get(k).map_or(f64::NAN, |d| d.mean);
        println!(
            "{:<28} {:>6.1} {:>10.2} {:>9.2} {:>9.2}",
            label,
            s.visible_mean,
            mean(DopKind::Pdop),
            mean(DopKind::Hdop),
            mean(DopKind::Vdop)
        );
    }

    // 3. The map. A cell-centre grid is row-major by latitude, as GridField wants.
    let mut lats: Vec<f64> = grid.geodetic().iter().map(|g| g.lat_deg).collect();
    lats.dedup();
    let lons: Vec<f64> = grid.geodetic()[..grid.len() / lats.len()]
        .iter()
        .map(|g| g.lon_deg)
        .collect();
    let field = GridField {
        lats_deg: lats,
        lons_deg: lons,
        values: both
            .points
            .iter()
            .map(|p| p.get(DopKind::Pdop).map(|d| d.mean))
            .collect(),
        step_deg: 5.0,
    };
    let style = MapStyle {
        title: "Mean PDOP, nominal BDS-3 + GLONASS, 10° mask, 2023-01-01 00–06 UTC".into(),
        units_label: "PDOP".into(),
        color_scale: ColorScale::Sequential { min: 1.0, max: 2.0 },
        markers: vec![
            Marker {
                lat_deg: 39.9,
                lon_deg: 116.4,
                label: "Beijing".into(),
                color: Rgb(220, 30, 30),
            },
            Marker {
                lat_deg: 55.75,
                lon_deg: 37.62,
                label: "Moscow".into(),
                color: Rgb(220, 30, 30),
            },
        ],
    };
    let path = common::out_dir()?.join("05_coverage_pdop.png");
    world_map(&path, &field, &style)?;
    println!("\nmap written to {}", path.display());

    // 4. A check against a published figure: Wang et al. (2019, GPS Solutions 23(2)) give, for
    //    BDS-3 over 60°S–60°N × 50°E–170°E with a 5° mask, mean HDOP 0.74, VDOP 1.08, TDOP 0.67
    //    and 11–14 visible satellites (real constellation, averaged over days; ours is nominal
    //    and 6 h, so expect agreement to ~10 %, not better).
    let region = Grid::regional(-60.0, 60.0, 50.0, 170.0, 5.0, GridLayout::CellCentres, 0.0)?;
    let mut cfg = CoverageConfig::new(vec![Constellation::BeiDou], t0, t1, step);
    cfg.mask = ElevationMask::constant(5.0)?;
    cfg.dop_kinds = vec![DopKind::Hdop, DopKind::Vdop, DopKind::Tdop];
    let r = run_coverage(&[&orbits], &region, &cfg)?;
    let s = r.summary(None).ok_or("empty region")?;
    let mean = |k: DopKind| s.get(k).map_or(f64::NAN, |d| d.mean);
    println!("\nBDS-3 only, 60S–60N × 50–170E, 5° mask     HDOP  VDOP  TDOP  visible");
    println!(
        "this run (nominal, 6 h)                   {:>5.2} {:>5.2} {:>5.2}  {:.1} (min {}, max {})",
        mean(DopKind::Hdop),
        mean(DopKind::Vdop),
        mean(DopKind::Tdop),
        s.visible_mean,
        s.visible_min,
        s.visible_max
    );
    println!("Wang et al. 2019 (real, several days)     0.74  1.08  0.67  11–14");
    Ok(())
}
