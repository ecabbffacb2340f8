//! RINEX clock and SP3-clock readers: the real WUM clock file and COD/WUM SP3 clocks of
//! 2023-01-01, and mutated copies that must give typed errors naming file and line.

mod common;

use std::path::Path;

use gnss_interop::ephemeris::{ClockOrigin, ClockProduct, EphemerisError};
use hifitime::{Epoch, TimeScale};

/// Header of WUM0MGXFIN_20230010000_01D_30S_CLK.CLK (abridged) and three records copied from it.
const HEAD: &str = concat!(
    "     3.00           C                   M                   RINEX VERSION / TYPE\n",
    "   GPS                                                      TIME SYSTEM ID\n",
    "     2    AR    AS                                          # / TYPES OF DATA\n",
    "WHU  GNSS RESEARCH CENTER, WUHAN UNIVERSITY, P.R.CHINA      ANALYSIS CENTER\n",
    "                                                            END OF HEADER\n",
);
const C01_0: &str = "AS C01  2023  1  1  0  0  0.000000  1    0.923712107060E-03\n";
const C01_30: &str = "AS C01  2023  1  1  0  0 30.000000  1    0.923712003488E-03\n";
const R01_0: &str = "AS R01  2023  1  1  0  0  0.000000  1    0.204528084893E-04\n";

fn parse(body: &str) -> Result<ClockProduct, EphemerisError> {
    ClockProduct::from_rinex_clock_str(&format!("{HEAD}{body}"), Path::new("mut.clk"))
}

/// The error is a parse error at `line` whose message contains `needle`.
fn assert_parse_err(r: Result<ClockProduct, EphemerisError>, line: usize, needle: &str) {
    match r {
        Err(EphemerisError::Parse {
            path,
            line: l,
            message,
        }) => {
            assert_eq!(path, Path::new("mut.clk"));
            assert_eq!(l, line, "{message}");
            assert!(message.contains(needle), "{message}");
        }
        other => panic!("expected a parse error at line {line}, got {other:?}"),
    }
}

#[test]
fn small_file_grid_and_values() {
    let ar = "AR ALBH  2023  1  1  0  0  0.000000  2   -0.1E-08  0.2E-10\n";
    let many = "AS C01  2023  1  1  0  1  0.000000  3    0.1D-03  0.2D-10\n    0.3E-12\n";
    let p = parse(&format!("{C01_0}{ar}{R01_0}{C01_30}{many}")).unwrap();
    assert_eq!(p.origin, ClockOrigin::RinexClock { version: 3.0 });
    assert_eq!(p.time_scale, TimeScale::GPST);
    assert_eq!(p.epochs.len(), 3);
    assert_eq!(p.skipped_records["AR"], 1);
    let t0 = Epoch::from_gregorian(2023, 1, 1, 0, 0, 0, 0, TimeScale::GPST);
    let c01 = "C01".parse().unwrap();
    assert_eq!(p.clock_at(c01, t0), Some(0.923712107060e-3));
    assert_eq!(p.clock_at(c01, p.epochs[2]), Some(0.1e-3));
    // R01 has no value at 00:00:30 and nothing exists between nodes.
    assert_eq!(p.clock_at("R01".parse().unwrap(), p.epochs[1]), None);
    assert_eq!(
        p.clock_at(c01, t0 + hifitime::Duration::from_seconds(15.0)),
        None
    );
    // An exact repetition is harmless.
    assert!(parse(&format!("{C01_0}{C01_0}")).is_ok());
}

#[test]
fn mutated_records_give_typed_errors() {
    // Header has 5 lines: the first record is line 6.
    assert_parse_err(parse(&C01_0[..40]), 6, "truncated");
    assert_parse_err(
        parse("AS C01  2023  1  1  0  0  0.000000  2    0.923712107060E-03\n"),
        6,
        "truncated",
    );
    assert_parse_err(
        parse("AS C01  2023  1  1  0  1  0.000000  3    0.1E-03  0.2E-10\n"),
        7,
        "continuation",
    );
    assert_parse_err(
        parse(&C01_0.replace("0.923712107060E-03", "NaN")),
        6,
        "finite",
    );
    // A bias of 0.92 s: no satellite clock is that far off (BeiDou a0 holds ±0.98 ms, GLONASS
    // τn ±1.95 ms by their ICDs; the library accepts ±10 ms).
    assert_parse_err(
        parse(&C01_0.replace("0.923712107060E-03", "0.923712107060E+00")),
        6,
        "outside",
    );
    assert_parse_err(
        parse(&C01_0.replace("0.923712107060E-03", "0.92x")),
        6,
        "clock bias",
    );
    assert_parse_err(
        parse(&format!(
            "{C01_0}{R01_0}{}",
            C01_0.replace("107060", "107061")
        )),
        8,
        "line 6",
    );
    assert_parse_err(
        parse(&C01_0.replace("AS", "AX")),
        6,
        "unknown record type 'AX'",
    );
    assert_parse_err(parse(&C01_0.replace("  1  1  0", " 13  1  0")), 6, "date");
    assert_parse_err(parse(""), 5, "no satellite clock");
    // Unknown time system, no END OF HEADER, wrong version.
    let r = ClockProduct::from_rinex_clock_str(
        &format!("{}{C01_0}", HEAD.replace("   GPS  ", "   XYZ  ")),
        Path::new("mut.clk"),
    );
    assert_parse_err(r, 2, "time system");
    let r = ClockProduct::from_rinex_clock_str(
        &HEAD.replace("END OF HEADER", "COMMENT"),
        Path::new("mut.clk"),
    );
    assert!(matches!(r, Err(EphemerisError::Parse { .. })), "{r:?}");
    let r = ClockProduct::from_rinex_clock_str(&HEAD.replace("3.00", "2.00"), Path::new("x"));
    assert!(
        matches!(r, Err(EphemerisError::Unsupported { .. })),
        "{r:?}"
    );
}

#[test]
fn real_wum_clock_file_and_sp3_clocks() {
    let Some(clk) = common::data_file("clk/WUM0MGXFIN_20230010000_01D_30S_CLK.CLK") else {
        return;
    };
    let p = ClockProduct::from_rinex_clock_file(&clk).unwrap();
    // SOURCES.md: 2023-01-01 00:00 → 01-02 00:00 at 30 s (2881 epochs), 40 C, 21 R, 31 G, 26 E, 3 J.
    assert_eq!(p.agency, "WHU");
    assert_eq!(p.epochs.len(), 2881);
    let count = |c: char| {
        p.satellites
            .iter()
            .filter(|s| s.sat.constellation().letter() == c)
            .count()
    };
    assert_eq!(
        [count('C'), count('R'), count('G'), count('E'), count('J')],
        [40, 21, 31, 26, 3]
    );
    // First C01 record of the file: "AS C01  2023  1  1  0  0  0.000000  1    0.923712107060E-03".
    let c01 = "C01".parse().unwrap();
    assert_eq!(p.clock_at(c01, p.epochs[0]), Some(0.923712107060e-3));
    // The SP3 clock column of the same analysis centre agrees at a common node; WUM SP3 first
    // C01 record "PC01 … 923.712107" µs (read by hand from the file).
    let Some(sp3) = common::data_file("sp3/WUM0MGXFIN_20230010000_01D_05M_ORB.SP3") else {
        return;
    };
    let s = ClockProduct::from_sp3_file(&sp3).unwrap();
    assert_eq!(s.origin, ClockOrigin::Sp3);
    assert_eq!(s.epochs.len(), 288);
    let a = s.clock_at(c01, s.epochs[0]).unwrap();
    assert!((a - 0.923712107060e-3).abs() < 1e-12, "{a}");
}
