//! Arbitrary text as a healing profile: it is refused with a reason or accepted, and an accepted profile answers
//! every question the timeline asks without panicking.
#![no_main]

use libfuzzer_sys::fuzz_target;
use smp_heal::timeline::profile::{bounds_on, Profile};

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(p) = Profile::from_json(text, "fuzz") {
            for day in [-1.0, 0.0, 3.5, 7.0, 1e9, f64::NAN] {
                let _ = p.stage_on(day);
                let _ = bounds_on(&p.bands.redness_excess, day);
                let _ = bounds_on(&p.bands.contrast, day);
            }
        }
    }
});
