//! # 03 — Broadcast orbits against a precise orbit product
//!
//! ```text
//! cargo run --release --example 03_broadcast_vs_precise
//! ```
//!
//! The broadcast ephemeris is a prediction uploaded to the satellite hours ahead; an IGS/MGEX
//! precise orbit (SP3) is estimated afterwards from a global tracking network, good to a few
//! centimetres. Their difference is the broadcast orbit error, which, with the clock error,
//! is what a user suffers as "signal-in-space range error".
//!
//! Three details matter when comparing:
//! - **time**: SP3 epochs are GPST; the broadcast source converts each epoch to BDT or to
//!   GLONASS time itself (an [`Epoch`] is an instant, not a reading);
//! - **frame**: BeiDou broadcasts CGCS2000, GLONASS PZ-90.11, the SP3 is in IGS20 (an ITRF);
//!   [`frames::transform`] applies the PZ-90.11 → ITRF Helmert parameters (cm level here);
//! - **reference point**: the SP3 gives the centre of mass, BeiDou and GLONASS broadcast the
//!   antenna phase centre, which sits a metre or two from it towards the Earth (the antenna
//!   faces the Earth). That is why the errors are split into radial / along-track / cross-track
//!   components: the offset shows up as a negative mean radial difference.
//!
//! Needs the real data set (broadcast file and WUM SP3 of 2023-01-01). Without it the example
//! says how to get it and exits normally.
//!
//! API shown: [`BroadcastSource::from_file`], [`Sp3Source`] over an
//! [`ephemeris::Sp3Product`], the common [`OrbitSource::state_at`], [`SatelliteKind`].

mod common;

use gnss_interop::ephemeris::Sp3Product;
use gnss_interop::frames;
use gnss_interop::network::SatelliteKind;
use gnss_interop::orbit::sp3::DEFAULT_ORDER;
use gnss_interop::prelude::*;
use nalgebra::Vector3;

/// Earth rotation rate (IERS/CGCS2000 value), rad/s: turns an ECEF velocity into an inertial one.
const OMEGA_E_RAD_S: f64 = 7.292_115e-5;

/// Running sums of squared radial, along-track, cross-track and 3-D differences.
#[derive(Default, Clone)]
struct Stats {
    n: usize,
    sum_radial: f64,
    sum_sq: [f64; 4],
    max_3d_m: f64,
}

impl Stats {
    fn add(&mut self, rac: [f64; 3]) {
        let d3 = (rac[0] * rac[0] + rac[1] * rac[1] + rac[2] * rac[2]).sqrt();
        for (sum, x) in self.sum_sq.iter_mut().zip(rac) {
            *sum += x * x;
        }
        self.sum_sq[3] += d3 * d3;
        self.sum_radial += rac[0];
        self.max_3d_m = self.max_3d_m.max(d3);
        self.n += 1;
    }

    fn rms(&self, k: usize) -> f64 {
        (self.sum_sq[k] / self.n.max(1) as f64).sqrt()
    }

    fn row(&self, label: &str) -> String {
        format!(
            "{:<12} {:>5} {:>8.2} {:>8.2} {:>8.2} {:>8.2} {:>8.2} {:>8.2}",
            label,
            self.n,
            self.sum_radial / self.n.max(1) as f64,
            self.rms(0),
            self.rms(1),
            self.rms(2),
            self.rms(3),
            self.max_3d_m
        )
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (Some(nav_path), Some(sp3_path)) = (
        common::data_file("nav/BRDC00IGS_R_20230010000_01D_MN.rnx"),
        common::data_file("sp3/WUM0MGXFIN_20230010000_01D_05M_ORB.SP3"),
    ) else {
        println!("This example compares real broadcast and precise orbits and needs the data set.");
        println!("{}", common::HOW_TO_GET_DATA);
        return Ok(());
    };
    let systems = [Constellation::BeiDou, Constellation::Glonass];
    let broadcast = BroadcastSource::from_file(&nav_path, &systems, BroadcastOptions::default())?;
    let precise = Sp3Source::new(Sp3Product::from_file(&sp3_path)?, DEFAULT_ORDER)?;
    println!("{}\n{}", broadcast.describe(), precise.describe());

    // Every 15 minutes over the day, on the SP3's own grid (GPST).
    let (start, end) = precise.span();
    let step = Duration::from_seconds(900.0);
    let mut epochs = Vec::new();
    let mut t = start;
    while t <= end {
        epochs.push(t);
        t += step;
    }

    // Per satellite: differences broadcast − precise, expressed in the satellite's orbital frame
    //   r̂ = r/|r|,  ĉ = (r × v_i)/|r × v_i|,  â = ĉ × r̂,  v_i = v + ω_E ẑ × r (inertial velocity).
    let shown: Vec<SatId> = ["C01", "C06", "C11", "C20", "C39", "R01", "R14"]
        .iter()
        .map(|s| s.parse())
        .collect::<Result<_, _>>()?;
    let mut per_class: Vec<(String, Stats)> = Vec::new();
    let mut rows = Vec::new();
    for &sat in precise.satellites() {
        if !broadcast.satellites().contains(&sat) {
            continue;
        }
        let mut st = Stats::default();
        let mut kind = None;
        for &e in &epochs {
            // A missing broadcast record (unhealthy, gap) or SP3 gap: skip that epoch.
            let (Ok(b), Ok(p)) = (broadcast.state_at(sat, e), precise.state_at(sat, e)) else {
                continue;
            };
            kind.get_or_insert(SatelliteKind::from_state(&p));
            let b_itrf = frames::transform(&b.position_m, b.frame, p.frame);
            let d = b_itrf - p.position_m;
            let r = p.position_m;
            let v_i = p.velocity_m_s + Vector3::new(0.0, 0.0, OMEGA_E_RAD_S).cross(&r);
            let r_hat = r.normalize();
            let c_hat = r.cross(&v_i).normalize();
            let a_hat = c_hat.cross(&r_hat);
            st.add([d.dot(&r_hat), d.dot(&a_hat), d.dot(&c_hat)]);
        }
        let Some(kind) = kind else { continue };
        let label = kind.label();
        match per_class.iter_mut().find(|(l, _)| *l == label) {
            Some((_, agg)) => merge(agg, &st),
            None => per_class.push((label.clone(), st.clone())),
        }
        if shown.contains(&sat) {
            rows.push(st.row(&format!("{sat} {}", label.trim_start_matches("BDS "))));
        }
    }

    let header = format!(
        "{:<12} {:>5} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8}",
        "", "n", "R mean", "R rms", "A rms", "C rms", "3-D rms", "3-D max"
    );
    println!("\nbroadcast − precise, metres, every 15 min over 2023-01-01");
    println!("{header}");
    for r in &rows {
        println!("{r}");
    }
    println!("\nall satellites present in both products, by class");
    println!("{header}");
    per_class.sort_by(|a, b| a.0.cmp(&b.0));
    for (label, st) in &per_class {
        println!("{}", st.row(label));
    }
    // R = radial, A = along-track, C = cross-track. What to expect (figures measured on these
    // files with RTKLIB, see the project's domain notes): BeiDou MEO ≈ 1.3 m and MEO+IGSO
    // ≈ 1.8 m 3-D RMS, GEOs ≈ 15 m (mostly along-track: a satellite that hardly moves relative
    // to a regional network is poorly observed along its orbit), GLONASS ≈ 3.4 m. The radial
    // *mean* (−1 to −2 m: the broadcast point is nearer the Earth) is the antenna-phase-centre
    // offset, not an error of the prediction: for one satellite R rms is barely above |R mean|,
    // so the radial scatter is a few decimetres at most; the along- and cross-track errors are
    // what remains.
    Ok(())
}

/// Add the sums of `b` into `a`.
fn merge(a: &mut Stats, b: &Stats) {
    a.n += b.n;
    a.sum_radial += b.sum_radial;
    for (x, y) in a.sum_sq.iter_mut().zip(b.sum_sq) {
        *x += y;
    }
    a.max_3d_m = a.max_3d_m.max(b.max_3d_m);
}
