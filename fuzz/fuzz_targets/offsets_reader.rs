//! Fuzz target: the broadcast time-offset reader (RINEX 2/3 headers, RINEX 4 STO records) on
//! arbitrary text must return `Ok` or a typed error, never panic; accepted offsets evaluate
//! without panicking. Run with `cargo +nightly fuzz run offsets_reader` from the crate root.
#![no_main]

use gnss_interop::time::BroadcastOffsets;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(offsets) = BroadcastOffsets::from_nav_str(text, None) {
        for o in &offsets.offsets {
            if let Some(t) = o.t_ref {
                let _ = o.evaluate(t);
            }
        }
    }
});
