//! Fixed-column text, as the RINEX, SP3 and clock formats write it: one way to take a field out
//! of a line and one way to read a Fortran real, for every reader of the crate.

/// Characters `start..end` (0-based, end exclusive) of a line, clipped to the line; never
/// panics (out-of-range or non-ASCII boundaries give "").
pub(crate) fn column(line: &str, start: usize, end: usize) -> &str {
    let len = line.len();
    line.get(start.min(len)..end.min(len)).unwrap_or("")
}

/// A Fortran-style real: `D`/`d` exponents, leading `.`; only finite values, and only the
/// characters of a number (rejects `inf`, `nan`, empty text). Surrounding blanks are the
/// caller's to trim.
pub(crate) fn fortran_f64(t: &str) -> Option<f64> {
    if t.is_empty()
        || !t.bytes().all(|b| {
            b.is_ascii_digit() || matches!(b, b'.' | b'+' | b'-' | b'e' | b'E' | b'd' | b'D')
        })
    {
        return None;
    }
    let v: f64 = if t.bytes().any(|b| b == b'd' || b == b'D') {
        t.replace(['d', 'D'], "E").parse().ok()?
    } else {
        t.parse().ok()?
    };
    v.is_finite().then_some(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fortran_numbers() {
        // RINEX 3.05 §6.8: reals may use D exponents (Fortran `D19.12`).
        assert_eq!(fortran_f64("1.5D+01"), Some(15.0));
        assert_eq!(fortran_f64(".999999999999e+09"), Some(999_999_999.999));
        assert_eq!(fortran_f64("-0.000000000000e+00"), Some(0.0));
        for bad in ["", "inf", "NaN", "1.0e999", "1,5", " 1.0"] {
            assert_eq!(fortran_f64(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn columns_never_panic() {
        assert_eq!(column("PG01  1.0", 0, 4), "PG01");
        assert_eq!(column("PG01", 2, 40), "01");
        assert_eq!(column("PG01", 40, 50), "");
        // A multi-byte character across a boundary gives "" rather than a panic.
        assert_eq!(column("aé", 0, 2), "");
    }
}
