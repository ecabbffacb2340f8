//! # 02 — One instant, five time scales, and the broadcast BDT − GLONASST offset
//!
//! ```text
//! cargo run --release --example 02_time_scales
//! ```
//!
//! The scales (values as in the BDS and GLONASS ICDs and IERS Bulletin C):
//!
//! ```text
//! TAI                      atomic, continuous
//! UTC      = TAI − 37 s    (since 2017-01-01; a leap second is inserted now and then)
//! GPST     = TAI − 19 s    (continuous; origin 1980-01-06)
//! BDT      = TAI − 33 s    (continuous; = GPST − 14 s; origin 2006-01-01 00:00:00 UTC)
//! GLONASST = UTC(SU) + 3 h (Moscow time: it *follows* the leap seconds)
//! ```
//!
//! GPS and BeiDou count weeks and seconds of week; GLONASS counts four-year periods N4, the day
//! N_T inside them, and the time of day. These whole-second relations are the "nominal" offsets.
//! On top of them each system's time differs from the others by nanoseconds, and satellites
//! broadcast polynomials for that fractional part (RINEX `TIME SYSTEM CORR` lines, RINEX 4
//! `STO` records). A receiver that mixes BeiDou and GLONASS with one clock needs BDT − GLONASST;
//! the files allow up to three independent ways to get it, and their disagreement ("closure")
//! says how well it is known.
//!
//! API shown: [`Scale`], [`time::epoch_from_iso`], [`time::calendar_in`],
//! [`time::gnss_week_sow`], [`time::glonass_n4_nt_tod`], [`time::BroadcastOffsets`] and
//! [`time::reconcile_bdt_glonasst`].

mod common;

use gnss_interop::prelude::*;
use gnss_interop::time::{
    self, calendar_in, epoch_from_iso, glonass_n4_nt_tod, gnss_week_sow, nominal_offset_s,
    reconcile_bdt_glonasst, OffsetCode,
};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // 1. One instant read on every scale. `epoch_from_iso` reads text on a scale of this crate
    //    (GLONASST included, which hifitime lacks); `calendar_in` reads an instant back.
    let t = epoch_from_iso(Scale::Utc, "2023-01-01T00:00:00")?;
    println!("The instant 2023-01-01T00:00:00 UTC, read on each scale");
    println!("{:<9} {:<22} {:>16}", "scale", "calendar", "scale - UTC s");
    for s in Scale::ALL {
        println!(
            "{:<9} {:<22} {:>16}",
            s.name(),
            calendar_in(s, t)?.to_string(),
            nominal_offset_s(s, Scale::Utc, t)?
        );
    }
    let (gw, gsow) = gnss_week_sow(t, Scale::Gpst)?;
    let (bw, bsow) = gnss_week_sow(t, Scale::Bdt)?;
    let (n4, nt, tod) = glonass_n4_nt_tod(t)?;
    println!("GPS week {gw}, SOW {gsow:.0} s  |  BDT week {bw}, SOW {bsow:.0} s");
    println!("GLONASS N4 {n4} (four-year period from 1996), N_T {nt} (day in it), tod {tod:.0} s");
    // GPST is 18 s ahead of UTC, so the GPS week (2243) has already begun; BDT is only 4 s
    // ahead and, like GPS, starts its week on Sunday: BDT week 887 started 4 s ago. GLONASS
    // time is 03:00 on 1 January (Moscow): period N4 = 7 (2020–2023), whose day 1097 is
    // 2023-01-01 (366 + 365 + 365 days of 2020–2022, plus one).

    // 2. A leap second. UTC 2016-12-31T23:59:60 exists; hifitime alone cannot write it.
    println!("\nAround the leap second inserted at the end of 2016");
    println!(
        "{:<24} {:<24} {:<24} {:<24} {:>9}",
        "UTC", "GPST", "BDT", "GLONASST", "TAI-UTC"
    );
    for text in [
        "2016-12-31T23:59:59.5",
        "2016-12-31T23:59:60.5",
        "2017-01-01T00:00:00.5",
    ] {
        let e = epoch_from_iso(Scale::Utc, text)?;
        println!(
            "{:<24} {:<24} {:<24} {:<24} {:>7} s",
            calendar_in(Scale::Utc, e)?.to_string(),
            calendar_in(Scale::Gpst, e)?.to_string(),
            calendar_in(Scale::Bdt, e)?.to_string(),
            calendar_in(Scale::Glonasst, e)?.to_string(),
            time::tai_minus_utc_s(e)?
        );
    }
    // GPST and BDT run on without a hiccup (one second later each row); UTC and GLONASST show
    // second 60 (GLONASST at 02:59:60 Moscow time), then TAI − UTC steps from 36 to 37 s.

    // 3. The broadcast offsets of the day's navigation files (needs the data set).
    let Some(dir) = common::data_dir() else {
        println!("\nThe BDT − GLONASST reconciliation needs the real navigation files.");
        println!("{}", common::HOW_TO_GET_DATA);
        return Ok(());
    };
    for (file, at) in [
        // RINEX 4 (DLR): STO records give BDUT, GLUT, BDGP, GLGP and the direct BDGL.
        (
            "nav/BRD400DLR_S_20230710000_01D_MN.rnx",
            "2023-03-12T12:00:00",
        ),
        // RINEX 3 (IGS): header lines only; no GLGP/BDGP, so only the path through UTC.
        (
            "nav/BRDC00IGS_R_20230010000_01D_MN.rnx",
            "2023-01-01T12:00:00",
        ),
    ] {
        let path = dir.join(file);
        let offsets = gnss_interop::ephemeris::NavData::from_file(&path)?.offsets;
        let e = epoch_from_iso(Scale::Gpst, at)?;
        println!(
            "\n{file} (RINEX {}), at {at} GPST: offsets used (fractional A − B)",
            offsets.rinex_version
        );
        println!(
            "{:<5} {:>7} {:>16} {:>13} {:>12}",
            "code", "line", "a0 s", "a1 s/s", "value ns"
        );
        for code in [
            OffsetCode::Bdut,
            OffsetCode::Glut,
            OffsetCode::Bdgp,
            OffsetCode::Glgp,
            OffsetCode::Bdgl,
        ] {
            match offsets.select(&code, e) {
                Some(o) => println!(
                    "{:<5} {:>7} {:>16.6e} {:>13.3e} {:>12.3}",
                    code.as_str(),
                    o.line,
                    o.a0_s,
                    o.a1_s_s,
                    o.evaluate(e) * 1e9
                ),
                None => println!("{:<5} {:>7}", code.as_str(), "absent"),
            }
        }
        // The three paths:
        //   via UTC : nominal + BDUT − GLUT   (BDT − UTC(NTSC)) − (GLONASST − UTC(SU))
        //   via GPST: nominal + BDGP − GLGP
        //   direct  : nominal + BDGL          (broadcast by BDS-3 satellites)
        let r = reconcile_bdt_glonasst(e, &offsets)?;
        println!("BDT − GLONASST: nominal {} s", r.nominal_s);
        println!(
            "{:<9} {:>20} {:>16}",
            "path", "BDT-GLONASST s", "broadcast ns"
        );
        for (name, total, part) in [
            ("via UTC", r.via_utc_s, r.via_utc_residual_ns),
            ("via GPST", r.via_gpst_s, r.via_gpst_residual_ns),
            ("direct", r.direct_s, r.direct_residual_ns),
        ] {
            match (total, part) {
                (Some(total), Some(ns)) => println!("{name:<9} {total:>20.9} {ns:>16.3}"),
                _ => println!("{name:<9} {:>20}", "not in this file"),
            }
        }
        match r.closure_ns {
            Some(c) => println!("closure (largest difference between paths): {c:.1} ns"),
            None => println!("closure: needs at least two paths"),
        }
    }
    // The broadcast paths agree to some tens of nanoseconds (the UTC path also contains
    // UTC(NTSC) − UTC(SU), the difference between two national realisations of UTC). For
    // positioning 1 ns is 0.3 m of range, so a 20 ns closure leaves a ≈ 6 m uncertainty on the
    // inter-system bias: example 04 uses that as the σ of a "known offset" clock model.
    Ok(())
}
