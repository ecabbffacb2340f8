//! Fuzz target: the navigation reader's broadcast time offsets (RINEX 2/3 headers, RINEX 4 STO records) on
//! arbitrary text must return `Ok` or a typed error, never panic; accepted offsets evaluate
//! without panicking. Run with `cargo +nightly fuzz run offsets_reader` from the crate root.
#![no_main]

use gnss_interop::ephemeris::NavData;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(nav) = NavData::from_reader(text.as_bytes(), "fuzz.rnx".as_ref()) {
        for o in &nav.offsets.offsets {
            if let Some(t) = o.t_ref {
                let _ = o.evaluate(t);
            }
        }
    }
});
