//! # 01 — Propagate a BeiDou GEO and a GLONASS satellite from their broadcast ephemerides
//!
//! ```text
//! cargo run --release --example 01_propagate
//! ```
//!
//! A navigation message does not give positions; it gives a *model* valid for a while around a
//! reference time, and the receiver evaluates it:
//!
//! - **BeiDou** broadcasts Keplerian elements plus harmonic corrections, valid around t_oe
//!   (a new set every hour). The geostationary satellites (C01–C05, C59–C63) have an inclination
//!   near 0°, where the ordinary element set is singular; the ICD therefore describes their
//!   orbit in a frame tilted by 5° and asks the receiver to rotate back with R_X(−5°) and then
//!   into the Earth-fixed frame (BDS-SIS-ICD §5.2.4.12). Positions come out in CGCS2000.
//! - **GLONASS** broadcasts a position, velocity and luni-solar acceleration at t_b (every 30
//!   min) in PZ-90.11, and the receiver *integrates* the equations of motion (central body + J2 +
//!   the broadcast acceleration) with Runge–Kutta 4 for at most ±15 min (GLONASS ICD ed. 5.1,
//!   §A.3.1.2).
//!
//! Both clocks follow a polynomial: BeiDou a0 + a1 (t − t_oc) + a2 (t − t_oc)² against BDT,
//! GLONASS −τ_n + γ_n (t − t_b) against GLONASS time.
//!
//! API shown: [`BroadcastSource`] (an [`OrbitSource`]: it picks the valid record of a satellite
//! for an epoch), [`BroadcastSource::propagator_at`] (the [`Propagator`] of that record),
//! [`SatState`], [`Frame::ellipsoid`] and [`Ellipsoid::to_geodetic`].
//!
//! With the real data set (env `GNSS_INTEROP_DATA`, else `../shared/data`) the whole IGS
//! broadcast file of 2023-01-01 is read. Without it, the three records needed are typed in
//! below, verbatim from that file, so the example runs anywhere and prints the same numbers.

mod common;

use gnss_interop::ephemeris::NavData;
use gnss_interop::orbit::glonass::{GlonassOptions, GlonassPropagator};
use gnss_interop::prelude::*;
use gnss_interop::time::{calendar_in, epoch_from_iso};

/// Three records copied verbatim from `nav/BRDC00IGS_R_20230010000_01D_MN.rnx` (IGS merged
/// broadcast file, RINEX 3.05, 2023-01-01; lines 105–112, 59651–59660), under a minimal header:
/// C01 (a BeiDou GEO) with t_oc = 01:00 BDT, and R01 with t_b = 00:45 and 01:15 UTC(SU).
const TYPED_IN_RINEX: &str =
    "     3.05           NAVIGATION DATA     MIXED               RINEX VERSION / TYPE
    18    18  1929     7                                    LEAP SECONDS
                                                            END OF HEADER
C01 2023 01 01 01 00 00 9.237445192410e-04-3.623767952380e-12 0.000000000000e+00
     1.000000000000e+00 2.379375000000e+02-5.314149927100e-09 7.205797055510e-01
     7.587485015390e-06 6.292597390710e-04-1.186830922960e-05 6.493329454420e+03
     3.600000000000e+03-1.131556928160e-07-2.680109087540e+00-1.117587089540e-08
     6.945233863730e-02 3.573906250000e+02-1.538522139110e+00 6.520271595480e-09
    -1.967939115420e-10 0.000000000000e+00 8.870000000000e+02 0.000000000000e+00
     2.000000000000e+00 0.000000000000e+00-4.699999944790e-09-1.000000000000e-08
     3.600000000000e+03 0.000000000000e+00
R01 2023 01 01 00 45 00 2.048444002867e-05 0.000000000000e+00 1.800000000000e+03
     2.210837939453e+04 1.624244689941e+00-0.000000000000e+00 0.000000000000e+00
    -4.666440917969e+03-5.783176422119e-02-9.313225746155e-10 1.000000000000e+00
    -1.183185693359e+04 3.058481216431e+00 1.862645149231e-09 0.000000000000e+00
                         .999999999999e+09 1.500000000000e+01
R01 2023 01 01 01 15 00 2.048537135124e-05 0.000000000000e+00 3.600000000000e+03
     2.430544628906e+04 7.975664138794e-01-0.000000000000e+00 0.000000000000e+00
    -4.948053222656e+03-2.171974182129e-01-9.313225746155e-10 1.000000000000e+00
    -5.940157226562e+03 3.445334434509e+00 1.862645149231e-09 0.000000000000e+00
                         .999999999999e+09 1.500000000000e+01
";

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let systems = [Constellation::BeiDou, Constellation::Glonass];
    // 1. The orbit source: the real file if we have it, else the records typed in above.
    let nav = match common::data_file("nav/BRDC00IGS_R_20230010000_01D_MN.rnx") {
        Some(path) => {
            println!("reading {}", path.display());
            NavData::from_file(&path)?
        }
        None => {
            println!("data set not found: using three records typed in from the IGS file");
            NavData::from_reader(TYPED_IN_RINEX.as_bytes(), "typed-in records".as_ref())?
        }
    };
    let source = BroadcastSource::new(nav, &systems, BroadcastOptions::default());
    println!(
        "{}: {} BeiDou and {} GLONASS records\n",
        source.describe(),
        source.nav().bds_record_count(),
        source.nav().glonass_record_count()
    );

    // 2. Epochs: around 01:00 UTC, every 10 min from −25 to +25 min (so that no epoch falls
    //    exactly between two GLONASS records, where either could be chosen). An Epoch is an instant; the scale we
    //    write it in is only how we read it. Each propagator converts to its own system time
    //    (BDT = UTC + 4 s in 2023, GLONASS time = UTC + 3 h) internally.
    let t0 = epoch_from_iso(Scale::Utc, "2023-01-01T01:00:00")?;
    let epochs: Vec<Epoch> = [-25.0, -15.0, -5.0, 0.0, 5.0, 15.0, 25.0]
        .iter()
        .map(|m| t0 + Duration::from_seconds(60.0 * m))
        .collect();

    let geo: SatId = "C01".parse()?;
    let glo: SatId = "R01".parse()?;
    println!(
        "Earth-fixed states (each in its system's frame); 'ref' = the record's t_oe / t_b (UTC)"
    );
    println!(
        "{:<4} {:>6} {:>8} {:>13} {:>13} {:>13} {:>9} {:>11}",
        "sat", "t-t0", "ref", "X km", "Y km", "Z km", "|v| m/s", "clock us"
    );
    for sat in [geo, glo] {
        for &t in &epochs {
            // The record valid at t, then its state. `state_at` on the source does both.
            let prop = source.propagator_at(sat, t)?;
            let (start, end) = prop.validity();
            let reference = start + (end - start) * 0.5;
            let s: SatState = prop.state_at(t)?;
            let p = s.position_m / 1e3;
            println!(
                "{:<4} {:>4.0} m {:>8} {:>13.3} {:>13.3} {:>13.3} {:>9.3} {:>11.4} {}",
                sat.to_string(),
                (t - t0).to_seconds() / 60.0,
                hhmm(reference)?,
                p.x,
                p.y,
                p.z,
                s.velocity_m_s.norm(),
                s.clock_offset_s.unwrap_or(f64::NAN) * 1e6,
                s.frame
            );
        }
    }
    // The Earth-fixed speed of the GEO is only tens of m/s (inertial speed ≈ 3.07 km/s): its
    // small inclination makes it swing north–south by v·sin(i) ≈ 3070 m/s × sin 1.4° ≈ 75 m/s.
    // GLONASS moves at ≈ 3.5 km/s in the rotating frame. The C01 clock is 0.92 ms off BDT (the
    // broadcast a0: satellite clocks are steered loosely and corrected by the user).

    // 3. The GEO stays near its slot: geodetic coordinates on the CGCS2000 ellipsoid.
    println!("\nC01 sub-satellite point (CGCS2000 ellipsoid)");
    println!(
        "{:>6} {:>11} {:>10} {:>12}",
        "t-t0", "lon deg", "lat deg", "height km"
    );
    for &t in &epochs {
        let s = source.state_at(geo, t)?;
        let g = s.frame.ellipsoid().to_geodetic(&s.position_m);
        println!(
            "{:>4.0} m {:>11.4} {:>10.4} {:>12.3}",
            (t - t0).to_seconds() / 60.0,
            g.lon_deg,
            g.lat_deg,
            g.height_m / 1e3
        );
    }
    // Over the hour the GEO stays within hundredths of a degree of 144.5°E (where C01 was kept
    // in January 2023; the WUM precise orbit of example 03 agrees) while its latitude swings
    // through zero: a small inclination makes a geostationary satellite trace a daily
    // north–south figure-eight around its slot.

    // 4. Two consecutive GLONASS records meet at 01:00 UTC (each valid ±15 min around its t_b).
    //    Their disagreement there is a direct look at the broadcast orbit error.
    let records = &source.nav().glonass[&glo];
    let pick = |hhmm_utc: &str| -> Result<GlonassPropagator, Box<dyn std::error::Error>> {
        let tb = epoch_from_iso(Scale::Utc, hhmm_utc)?;
        let eph = records
            .iter()
            .find(|r| r.tb == tb)
            .ok_or("record not found")?;
        Ok(GlonassPropagator::new(
            eph.clone(),
            900.0,
            GlonassOptions::default(),
        )?)
    };
    let early = pick("2023-01-01T00:45:00")?.state_at(t0)?;
    let late = pick("2023-01-01T01:15:00")?.state_at(t0)?;
    println!(
        "\nR01 at 01:00 UTC from the 00:45 record vs the 01:15 record: {:.2} m apart (3-D)",
        (early.position_m - late.position_m).norm()
    );

    // 5. Outside every record's window the source refuses rather than extrapolate.
    let far = t0 + Duration::from_seconds(3.0 * 3600.0);
    match source.state_at(glo, far) {
        Ok(_) => println!("R01 at 04:00 UTC: state available (full file)"),
        Err(e) => println!("R01 at 04:00 UTC: {e}"),
    }
    Ok(())
}

/// `HH:MM` of an instant read in UTC.
fn hhmm(t: Epoch) -> Result<String, Box<dyn std::error::Error>> {
    let c = calendar_in(Scale::Utc, t)?;
    Ok(format!("{:02}:{:02}:{:02}", c.hour, c.minute, c.second))
}
