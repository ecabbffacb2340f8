//! Time scales: vectors with their sources (tests/vectors/time_scales.toml), leap-second
//! boundaries, round-trip properties and bad input.

use std::collections::BTreeMap;

use gnss_interop::time::{
    calendar_in, epoch_from_calendar, epoch_from_iso, from_glonass_n4_nt_tod, from_gnss_week_sow,
    glonass_n4_nt_tod, gnss_week_sow, nominal_offset_s, tai_minus_utc_s, Scale, TimeError,
};
use hifitime::{Epoch, TimeScale};
use proptest::prelude::*;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
struct Vectors {
    instant: Vec<Instant>,
}

#[derive(Debug, Deserialize)]
struct Instant {
    source: String,
    scale: String,
    at: String,
    #[serde(flatten)]
    rest: BTreeMap<String, toml::Value>,
}

fn vectors() -> Vectors {
    let text = include_str!("vectors/time_scales.toml");
    toml::from_str(text).expect("vectors parse")
}

#[test]
fn vectors_every_scale_week_and_glonass_day() {
    for v in vectors().instant {
        let scale: Scale = v.scale.parse().unwrap();
        let e = epoch_from_iso(scale, &v.at).unwrap_or_else(|err| panic!("{}: {err}", v.source));
        for s in Scale::ALL {
            let want = v.rest[s.name()].as_str().unwrap();
            assert_eq!(
                calendar_in(s, e).unwrap().to_string(),
                want,
                "{s} — {}",
                v.source
            );
        }
        let int = |k: &str| v.rest.get(k).map(|x| x.as_integer().unwrap());
        let float = |k: &str| v.rest.get(k).map(|x| x.as_float().unwrap());
        let (w, s) = gnss_week_sow(e, Scale::Gpst).unwrap();
        assert_eq!(i64::from(w), int("gps_week").unwrap(), "{}", v.source);
        assert_eq!(s, float("gps_sow").unwrap(), "{}", v.source);
        match int("bdt_week") {
            Some(bw) => {
                let (w, s) = gnss_week_sow(e, Scale::Bdt).unwrap();
                assert_eq!(i64::from(w), bw, "{}", v.source);
                assert_eq!(s, float("bdt_sow").unwrap(), "{}", v.source);
            }
            None => assert!(matches!(
                gnss_week_sow(e, Scale::Bdt),
                Err(TimeError::BeforeOrigin { .. })
            )),
        }
        if let Some(n4) = int("glo_n4") {
            let (a, b, tod) = glonass_n4_nt_tod(e).unwrap();
            assert_eq!(i64::from(a), n4, "{}", v.source);
            assert_eq!(i64::from(b), int("glo_nt").unwrap(), "{}", v.source);
            assert_eq!(tod, float("glo_tod").unwrap(), "{}", v.source);
            // and back
            assert_eq!(
                from_glonass_n4_nt_tod(a, b, tod).unwrap(),
                e,
                "{}",
                v.source
            );
        }
    }
}

/// A UTC instant inside a leap second survives every conversion without shifting a second
/// (IERS Bulletin C: 2016-12-31 23:59:60 UTC = 2017-01-01 00:00:36 TAI).
#[test]
fn leap_second_round_trips_through_every_scale() {
    for (y, mo, d) in [(2016, 12, 31), (2012, 6, 30)] {
        let e = epoch_from_calendar(Scale::Utc, y, mo, d, 23, 59, 60.5).unwrap();
        for s in Scale::ALL {
            let c = calendar_in(s, e).unwrap();
            let back = epoch_from_calendar(
                s,
                c.year,
                c.month,
                c.day,
                c.hour,
                c.minute,
                f64::from(c.second) + f64::from(c.nanosecond) * 1e-9,
            )
            .unwrap();
            assert_eq!(back, e, "{s} {c}");
        }
        let (w, sow) = gnss_week_sow(e, Scale::Gpst).unwrap();
        assert_eq!(
            from_gnss_week_sow(Scale::Gpst, i64::from(w), sow).unwrap(),
            e
        );
        // TAI − UTC inside the inserted second is still the old value.
        let before = if y == 2016 { 36 } else { 34 };
        assert_eq!(tai_minus_utc_s(e).unwrap(), before);
        let after = epoch_from_calendar(Scale::Utc, y, mo, d, 23, 59, 59.0).unwrap()
            + hifitime::Unit::Second * 2;
        assert_eq!(tai_minus_utc_s(after).unwrap(), before + 1);
        assert_eq!(calendar_in(Scale::Utc, after).unwrap().second, 0);
    }
}

/// hifitime's UTC epochs (labels) are read with our table, so an epoch built by
/// `Epoch::from_gregorian_utc` one minute before an insertion is the right instant
/// (TAI − UTC = 36 s there; IERS Bulletin C 52).
#[test]
fn hifitime_utc_labels_read_with_own_table() {
    let h = Epoch::from_gregorian_utc(2016, 12, 31, 23, 59, 30, 0);
    let ours = epoch_from_calendar(Scale::Utc, 2016, 12, 31, 23, 59, 30.0).unwrap();
    assert_eq!(
        gnss_interop::time::tai_ns(h),
        gnss_interop::time::tai_ns(ours)
    );
    assert_eq!(
        calendar_in(Scale::Tai, h).unwrap().to_string(),
        "2017-01-01T00:00:06"
    );
}

/// BDT − GLONASST = (TAI−UTC) − 33 − 10 800 s from the definitions BDT = TAI − 33 s,
/// GLONASST = UTC + 3 h; GPST − BDT = 14 s always (BDS SIS ICD 3.3).
#[test]
fn nominal_offsets_from_definitions() {
    let cases = [((2006, 1, 1), 33), ((2012, 7, 1), 35), ((2023, 1, 1), 37)];
    for ((y, m, d), dat) in cases {
        let e = epoch_from_calendar(Scale::Utc, y, m, d, 12, 0, 0.0).unwrap();
        assert_eq!(nominal_offset_s(Scale::Tai, Scale::Utc, e).unwrap(), dat);
        assert_eq!(
            nominal_offset_s(Scale::Bdt, Scale::Glonasst, e).unwrap(),
            dat - 33 - 10_800
        );
        assert_eq!(nominal_offset_s(Scale::Gpst, Scale::Bdt, e).unwrap(), 14);
        assert_eq!(
            nominal_offset_s(Scale::Gpst, Scale::Utc, e).unwrap(),
            dat - 19
        );
        assert_eq!(
            nominal_offset_s(Scale::Glonasst, Scale::Utc, e).unwrap(),
            10_800
        );
    }
}

/// Epochs come back in the matching hifitime scale where one exists, and agree with hifitime's
/// own (constant-offset) GPST/BDT conversions.
#[test]
fn agrees_with_hifitime_on_gnss_scales() {
    let e = from_gnss_week_sow(Scale::Bdt, 886, 604_786.0).unwrap();
    assert_eq!(e.time_scale, TimeScale::BDT);
    assert_eq!(
        e,
        Epoch::from_gregorian(2023, 1, 1, 0, 0, 0, 0, TimeScale::GPST)
    );
    assert_eq!(
        e.to_time_scale(TimeScale::BDT).to_time_of_week(),
        (886, 604_786_000_000_000)
    );
}

#[test]
fn bad_input_is_typed_errors() {
    // Second 60 on a day without an insertion, and in a scale without leap seconds.
    assert!(matches!(
        epoch_from_calendar(Scale::Utc, 2016, 12, 30, 23, 59, 60.0),
        Err(TimeError::NotALeapSecond { .. })
    ));
    assert!(matches!(
        epoch_from_calendar(Scale::Utc, 2016, 12, 31, 23, 58, 60.0),
        Err(TimeError::NotALeapSecond { .. })
    ));
    assert!(epoch_from_calendar(Scale::Gpst, 2016, 12, 31, 23, 59, 60.0).is_err());
    assert!(epoch_from_calendar(Scale::Utc, 2023, 2, 29, 0, 0, 0.0).is_err());
    assert!(epoch_from_calendar(Scale::Utc, 2023, 13, 1, 0, 0, 0.0).is_err());
    assert!(epoch_from_calendar(Scale::Utc, 2023, 1, 1, 24, 0, 0.0).is_err());
    assert!(epoch_from_calendar(Scale::Utc, 2023, 1, 1, 0, 0, f64::NAN).is_err());
    assert!(epoch_from_calendar(Scale::Utc, 1971, 12, 31, 0, 0, 0.0).is_err());
    // Weeks.
    assert!(matches!(
        from_gnss_week_sow(Scale::Bdt, -1, 0.0),
        Err(TimeError::NegativeWeek { week: -1 })
    ));
    assert!(matches!(
        from_gnss_week_sow(Scale::Gpst, 10, 604_800.0),
        Err(TimeError::SowOutOfRange { .. })
    ));
    assert!(matches!(
        from_gnss_week_sow(Scale::Gpst, 10, -0.5),
        Err(TimeError::SowOutOfRange { .. })
    ));
    assert!(matches!(
        from_gnss_week_sow(Scale::Utc, 10, 0.0),
        Err(TimeError::NotAWeekScale { .. })
    ));
    // Before the BDT origin: an error, not a wrapped week (hifitime wraps).
    let e = epoch_from_calendar(Scale::Bdt, 2005, 12, 31, 23, 59, 59.0).unwrap();
    assert!(matches!(
        gnss_week_sow(e, Scale::Bdt),
        Err(TimeError::BeforeOrigin { .. })
    ));
    // GLONASS.
    assert!(from_glonass_n4_nt_tod(0, 1, 0.0).is_err());
    assert!(from_glonass_n4_nt_tod(5, 1462, 0.0).is_err());
    assert!(from_glonass_n4_nt_tod(5, 251, 86_400.0).is_err());
    let e = epoch_from_calendar(Scale::Utc, 1995, 6, 1, 0, 0, 0.0).unwrap();
    assert!(glonass_n4_nt_tod(e).is_err());
    // Text.
    for bad in [
        "",
        "2023",
        "2023-01-01T",
        "2023-01-01T00",
        "2023-01-01T00:00:xx",
        "2023/01/01",
        "2023-01-01T00:00:00:00",
    ] {
        assert!(epoch_from_iso(Scale::Utc, bad).is_err(), "{bad:?}");
    }
    assert!("GAL".parse::<Scale>().is_err());
    for (t, s) in [
        ("gps", Scale::Gpst),
        ("BDS", Scale::Bdt),
        ("glo", Scale::Glonasst),
        ("tai", Scale::Tai),
    ] {
        assert_eq!(t.parse::<Scale>().unwrap(), s);
    }
}

/// The ICD leap day: GLONASS day 1461 of interval 5 is 2015-12-31 and the next instant is
/// N4 = 6, N_T = 1 (GLONASS ICD: N_T counts 1…1461 from 1 January of the leap year).
#[test]
fn glonass_interval_boundary() {
    let e = epoch_from_calendar(Scale::Glonasst, 2015, 12, 31, 23, 59, 59.0).unwrap();
    assert_eq!(glonass_n4_nt_tod(e).unwrap(), (5, 1461, 86_399.0));
    let e = e + hifitime::Unit::Second * 1;
    assert_eq!(glonass_n4_nt_tod(e).unwrap(), (6, 1, 0.0));
}

fn scale_strategy() -> impl Strategy<Value = Scale> {
    prop::sample::select(Scale::ALL.to_vec())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    /// Scale A → calendar → back is the identity, for instants 1980–2040 at ns resolution
    /// (including the leap seconds: the range covers 18 of them).
    #[test]
    fn calendar_round_trip(tai_s in 2_524_953_619i64..4_418_000_000i64, ns in 0u32..1_000_000_000, a in scale_strategy(), b in scale_strategy()) {
        let e = Epoch::from_tai_duration(hifitime::Duration::from_total_nanoseconds(i128::from(tai_s) * 1_000_000_000 + i128::from(ns)));
        let ca = calendar_in(a, e).unwrap();
        let ea = epoch_from_calendar(a, ca.year, ca.month, ca.day, ca.hour, ca.minute, f64::from(ca.second) + f64::from(ca.nanosecond) * 1e-9).unwrap();
        // 1 ns: the f64 second field carries ~1e-14 s relative resolution at 60 s.
        prop_assert!((gnss_interop::time::tai_ns(ea) - gnss_interop::time::tai_ns(e)).abs() <= 1);
        let cb = calendar_in(b, ea).unwrap();
        let eb = epoch_from_calendar(b, cb.year, cb.month, cb.day, cb.hour, cb.minute, f64::from(cb.second) + f64::from(cb.nanosecond) * 1e-9).unwrap();
        prop_assert!((gnss_interop::time::tai_ns(eb) - gnss_interop::time::tai_ns(e)).abs() <= 2);
    }

    /// week/SOW → instant → week/SOW is the identity on GPST and BDT (µs-rounded SOW).
    #[test]
    fn week_sow_round_trip(week in 0i64..3000, sow_us in 0i64..604_800_000_000, bdt in any::<bool>()) {
        let scale = if bdt { Scale::Bdt } else { Scale::Gpst };
        let sow = sow_us as f64 * 1e-6;
        let e = from_gnss_week_sow(scale, week, sow).unwrap();
        let (w, s) = gnss_week_sow(e, scale).unwrap();
        prop_assert_eq!(i64::from(w), week);
        prop_assert!((s - sow).abs() < 1e-9);
        // GPS week − BDT week = 1356 (or 1357 when the 14 s shift crosses a week boundary).
        if let Ok((bw, bs)) = gnss_week_sow(e, Scale::Bdt) {
            let (gw, gs) = gnss_week_sow(e, Scale::Gpst).unwrap();
            let g = f64::from(gw) * 604_800.0 + gs;
            let b = f64::from(bw + 1356) * 604_800.0 + bs;
            prop_assert!((g - b - 14.0).abs() < 1e-6);
        }
    }

    /// GLONASS N4/N_T/tod round trip.
    #[test]
    fn glonass_round_trip(n4 in 1u32..12, nt in 1u32..=1461, tod_ms in 0i64..86_400_000) {
        let tod = tod_ms as f64 * 1e-3;
        let e = from_glonass_n4_nt_tod(n4, nt, tod).unwrap();
        let (a, b, t) = glonass_n4_nt_tod(e).unwrap();
        prop_assert_eq!((a, b), (n4, nt));
        prop_assert!((t - tod).abs() < 1e-9);
    }
}
