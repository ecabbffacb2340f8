//! Fuzz target: the SP3 reader on arbitrary text must return `Ok` or a typed error, never
//! panic. Run with `cargo +nightly fuzz run sp3_reader` from the crate root.
#![no_main]

use std::path::Path;

use gnss_interop::ephemeris::Sp3Product;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(product) = Sp3Product::from_str_named(text, Path::new("fuzz.sp3")) {
        // Accepted tables are consistent: one value slot per epoch for every satellite.
        for s in &product.satellites {
            assert_eq!(s.position_m.len(), product.epochs.len());
            assert_eq!(s.clock_s.len(), product.epochs.len());
        }
    }
});
