//! A navigation file parsed by the `rinex` crate, handed to this crate in one call, and a DOP
//! table at Beijing over the first hours of 2023-01-01 (BDS, GLONASS, both with one clock).
//!
//! ```sh
//! cargo run --release --features rinex --example 08_from_rinex_crate
//! ```
//!
//! Needs the real data set (`GNSS_INTEROP_DATA`, default `../shared/data`):
//! `nav/BRDC00IGS_R_20230010000_01D_MN.rnx`.

mod common;

use gnss_interop::prelude::*;
use gnss_interop::time::epoch_from_iso;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let Some(path) = common::data_file("nav/BRDC00IGS_R_20230010000_01D_MN.rnx") else {
        println!("needs nav/BRDC00IGS_R_20230010000_01D_MN.rnx of the real data set; skipped");
        return Ok(());
    };
    // 1. The user's own parse, with the `rinex` crate.
    let parsed = rinex::prelude::Rinex::from_file(&path)?;
    // 2. One call: records converted and checked as this crate's reader checks them.
    let systems = [Constellation::BeiDou, Constellation::Glonass];
    let (orbits, report) =
        BroadcastSource::from_rinex(&parsed, &systems, BroadcastOptions::default())?;
    println!(
        "{} records converted, {} refused, skipped per system {:?}",
        report.converted,
        report.refused.len(),
        report.skipped
    );

    let mask = ElevationMask::constant(10.0)?;
    let site = Topocentric::new(Geodetic::new(39.90, 116.40, 50.0), &Ellipsoid::WGS84);
    let t0 = epoch_from_iso(Scale::Utc, "2023-01-01T00:30:00")?;
    println!("\nDOP at Beijing, 10° mask, broadcast orbits converted from the rinex crate");
    println!(
        "{:<17} {:<8} {:>3} {:>6} {:>6} {:>6}",
        "epoch (UTC)", "systems", "n", "PDOP", "HDOP", "VDOP"
    );
    for hour in 0..6 {
        let t = t0 + Duration::from_seconds(3600.0 * hour as f64);
        let mut los = Vec::new();
        for &sat in orbits.satellites() {
            // A satellite without a valid healthy record at t is simply not used.
            let Ok(s) = orbits.state_at(sat, t) else {
                continue;
            };
            if let Some(l) = LineOfSight::from_ecef(&site, &s.position_m, sat.constellation()) {
                if mask.is_visible(l.azimuth_deg, l.elevation_deg) {
                    los.push(l);
                }
            }
        }
        for (label, sys) in [
            ("BDS", &systems[..1]),
            ("GLO", &systems[1..]),
            ("BDS+GLO", &systems[..]),
        ] {
            let used: Vec<LineOfSight> = los
                .iter()
                .filter(|l| sys.contains(&l.system))
                .copied()
                .collect();
            let when = format!("{}", t).chars().take(16).collect::<String>();
            match dop(&used, &ClockModel::Common, None) {
                Some(d) => println!(
                    "{:<17} {:<8} {:>3} {:>6.2} {:>6.2} {:>6.2}",
                    when, label, d.used, d.pdop, d.hdop, d.vdop
                ),
                None => println!("{:<17} {:<8} {:>3}   no solution", when, label, used.len()),
            }
        }
    }
    Ok(())
}
