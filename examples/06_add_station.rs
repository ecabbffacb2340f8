//! # 06 — Add a monitoring station abroad and measure what it changes
//!
//! ```text
//! cargo run --release --example 06_add_station
//! ```
//!
//! A GNSS operator keeps its broadcast orbits and clocks accurate by tracking every satellite
//! from ground monitoring stations. BeiDou's stations are all in China, so a MEO satellite
//! spends much of each orbit out of their sight; while it is unseen, errors in its predicted
//! orbit and clock grow unobserved (the satellites' inter-satellite links bridge part of this;
//! they are not modelled here). In September 2022 Roscosmos and China's satellite navigation
//! office contracted BeiDou stations in Obninsk, Irkutsk and Petropavlovsk-Kamchatsky (and
//! GLONASS stations in China). Here we add each of them alone, then all three, and measure:
//!
//! - the fraction of time each satellite is tracked by at least one station, per orbit class;
//! - the longest gap in tracking;
//! - for users, the availability when only *monitored* satellites are counted.
//!
//! The BeiDou network is the built-in `bds-baseline` catalogue: 12 reported city sites in China
//! (the real ~30 antenna positions are not published; the footprint, China, is what matters).
//! Orbits: the nominal BDS-3 constellation over one day, every 5 minutes; 5° station mask.
//!
//! API shown: [`Network::builtin`], [`Network::with_station`], [`Network::merged`], [`OrbitSamples`],
//! [`TimeSpan`], [`NetworkAnalysis`] (`tracking`, `monitoring_table`),
//! [`network::compare`], [`network::user_coverage`], [`network::coverage_config_for`].

use gnss_interop::coverage::{CoverageResult, Local, Region};
use gnss_interop::network::{
    compare, coverage_config_for, user_coverage, SatTracking, UserJob, Weighting,
};
use gnss_interop::prelude::*;
use gnss_interop::time::epoch_from_iso;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let orbits = NominalConstellation::bds3();
    let t0 = epoch_from_iso(Scale::Utc, "2023-01-01T00:00:00")?;
    let span = TimeSpan::new(
        t0,
        Duration::from_seconds(86_400.0),
        Duration::from_seconds(300.0),
    )?;
    // Satellite positions are sampled once and shared by every network evaluated below.
    let samples = OrbitSamples::new(&orbits, span)?;

    // The networks: the baseline, the baseline plus each 2022 station, and plus all three.
    let baseline = Network::builtin("bds-baseline")?;
    let russia_2022 = Network::builtin("bds-russia-2022")?;
    let mut networks = vec![baseline.clone()];
    for st in russia_2022.stations() {
        println!(
            "{:<25} {:>6.2}°N {:>7.2}°E  ({})",
            st.name,
            st.position.lat_deg,
            st.position.lon_deg,
            st.source.as_deref().unwrap_or("no source")
        );
        networks.push(
            baseline
                .with_station(st.clone())?
                .renamed(&format!("+ {}", st.name)),
        );
    }
    networks.push(Network::merged("+ all three", &[&baseline, &russia_2022])?);

    // 1. Tracking: per (satellite, epoch), how many own-system stations see it above 5°, and
    // 2. users: coverage counting only satellites that are monitored at that epoch. Geometric
    //    DOP does not depend on ground stations; what the network changes is *which*
    //    satellites a cautious user (or an integrity monitor) may trust. The coverage
    //    configuration must use the network span's epochs: `coverage_config_for` builds it.
    let grid = Grid::global(5.0, GridLayout::CellCentres, 0.0)?;
    let cfg = coverage_config_for(&span, vec![Constellation::BeiDou]);
    let russia = Region {
        lat_min_deg: 41.0,
        lat_max_deg: 78.0,
        lon_min_deg: 27.0,
        lon_max_deg: 180.0,
    };
    let all = run_coverage(&[&orbits], &grid, &cfg)?;
    println!(
        "\nBDS-3 MEO tracking by ≥ 1 station (mean over the 24 MEOs) and user availability \
         (PDOP ≤ 6, 10° mask) counting monitored satellites only"
    );
    println!(
        "{:<26} {:>9} {:>10} {:>10} {:>11} {:>10} {:>11}",
        "network", "tracked%", "mean gap h", "worst gap", "global av%", "mon. vis", "Russia av%"
    );
    let (g, ru) = (summary(&all, None)?, summary(&all, Some(&russia))?);
    println!(
        "{:<26} {:>9} {:>10} {:>10} {:>11.1} {:>10.1} {:>11.1}",
        "(every satellite counted)", "", "", "", g.0, g.1, ru.0
    );
    let min_stations = 1;
    let mut reports = Vec::new();
    for net in &networks {
        let analysis = NetworkAnalysis::new(&samples, net);
        let report = analysis.tracking(min_stations)?;
        let meo: Vec<&SatTracking> = report
            .satellites
            .iter()
            .filter(|t| t.kind.label() == "BDS MEO")
            .collect();
        let n = meo.len() as f64;
        let tracked = meo.iter().map(|t| t.tracked_fraction).sum::<f64>() / n;
        let gap = meo.iter().map(|t| t.longest_gap_s).sum::<f64>() / n;
        let worst = meo.iter().map(|t| t.longest_gap_s).fold(0.0, f64::max);
        let table = analysis.monitoring_table(min_stations)?;
        let job = UserJob {
            sources: &[&orbits],
            grid: &grid,
            cfg: &cfg,
            table: &table,
            weighting: Weighting::MonitoredOnly,
            progress: None,
        };
        let mon = user_coverage(&Local, job)?;
        let (g, ru) = (summary(&mon, None)?, summary(&mon, Some(&russia))?);
        println!(
            "{:<26} {:>9.1} {:>10.2} {:>10.2} {:>11.1} {:>10.1} {:>11.1}",
            net.name(),
            100.0 * tracked,
            gap / 3600.0,
            worst / 3600.0,
            g.0,
            g.1,
            ru.0
        );
        // The IGSO and GEO satellites hover over Asia: the baseline already sees them always.
        if net.name() == baseline.name() {
            let others_min = report
                .satellites
                .iter()
                .filter(|t| t.kind.label() != "BDS MEO")
                .map(|t| t.tracked_fraction)
                .fold(1.0, f64::min);
            println!(
                "{:<26} (IGSO and GEO: lowest tracked fraction {:.1} %)",
                "",
                100.0 * others_min
            );
        }
        reports.push(report);
    }
    // Irkutsk, just north of Mongolia, sees much the same sky as the stations in northern
    // China: it adds little. Obninsk (near Moscow) and Petropavlovsk-Kamchatsky lie ~3,000 km
    // west and east of the baseline's footprint and catch MEO passes China cannot see.
    // "mon. vis" is the mean number of monitored satellites above a user's mask: far below the
    // 9–10 visible, which is why availability away from Asia collapses without inter-satellite
    // links.

    // 3. Which satellites gain most from all three stations.
    let cmp = compare(&reports[0], &reports[reports.len() - 1])?;
    let mut best: Vec<_> = cmp.per_satellite.iter().collect();
    best.sort_by(|a, b| {
        b.delta_tracked_fraction()
            .total_cmp(&a.delta_tracked_fraction())
    });
    println!("\nlargest gains, baseline -> + all three");
    println!(
        "{:<4} {:<9} {:>17} {:>19}",
        "sat", "class", "tracked %", "longest gap h"
    );
    for c in best.iter().take(5) {
        println!(
            "{:<4} {:<9} {:>7.1} -> {:>6.1} {:>8.2} -> {:>7.2}",
            c.sat.to_string(),
            c.baseline.kind.label(),
            100.0 * c.baseline.tracked_fraction,
            100.0 * c.augmented.tracked_fraction,
            c.baseline.longest_gap_s / 3600.0,
            c.augmented.longest_gap_s / 3600.0
        );
    }
    Ok(())
}

/// (availability %, mean visible satellites) of a run over a region (or the globe).
fn summary(
    r: &CoverageResult,
    region: Option<&Region>,
) -> Result<(f64, f64), Box<dyn std::error::Error>> {
    let s = r.summary(region).ok_or("no grid point in the region")?;
    Ok((100.0 * s.availability_mean, s.visible_mean))
}
