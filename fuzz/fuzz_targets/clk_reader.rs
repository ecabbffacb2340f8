//! Fuzz target: the RINEX clock reader on arbitrary text must return `Ok` or a typed error,
//! never panic. Run with `cargo +nightly fuzz run clk_reader` from the crate root.
#![no_main]

use std::path::Path;

use gnss_interop::ephemeris::ClockProduct;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(product) = ClockProduct::from_rinex_clock_str(text, Path::new("fuzz.clk")) {
        // Accepted tables are consistent: strictly increasing epochs, one slot per epoch.
        assert!(product.epochs.windows(2).all(|w| w[0] < w[1]));
        for s in &product.satellites {
            assert_eq!(s.clock_s.len(), product.epochs.len());
            assert!(s.clock_s.iter().flatten().all(|v| v.is_finite()));
        }
    }
});
