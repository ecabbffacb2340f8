//! Fuzz target: the RINEX navigation reader on arbitrary bytes must return `Ok` or a typed
//! error, never panic. Run with `cargo +nightly fuzz run nav_reader` from the crate root.
#![no_main]

use std::path::Path;

use gnss_interop::ephemeris::{EphemerisError, NavData};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    match NavData::from_reader(data, Path::new("fuzz.rnx")) {
        Ok(nav) => {
            // Accepted records are sane.
            for r in nav.bds.values().flatten() {
                assert!((0.0..1.0).contains(&r.e) && r.sqrt_a_sqrt_m > 0.0);
            }
            for r in nav.glonass.values().flatten() {
                assert!(r.position_m.iter().all(|x| x.is_finite()));
            }
        }
        Err(EphemerisError::Parse { line, .. }) => assert!(line >= 1),
        Err(EphemerisError::Unsupported { .. }) => {}
        Err(e) => panic!("unexpected error kind from an in-memory reader: {e}"),
    }
});
