//! Colours: the categorical palette ([`Rgb::palette`]) and the value scales of maps
//! ([`ColorScale`]).

use std::path::Path;
use std::sync::OnceLock;

use plotters::prelude::*;
use plotters::style::colors::colormaps::{ColorMap, DerivedColorMap, ViridisRGB};
use serde::{Deserialize, Serialize};

use super::ReportError;

/// An sRGB colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    /// Black.
    pub const BLACK: Rgb = Rgb(0, 0, 0);
    /// Red (ColorBrewer/Tableau red).
    pub const RED: Rgb = Rgb(214, 39, 40);
    /// Blue (Tableau blue).
    pub const BLUE: Rgb = Rgb(31, 119, 180);
    /// Orange (Tableau orange).
    pub const ORANGE: Rgb = Rgb(255, 127, 14);
    /// White.
    pub const WHITE: Rgb = Rgb(255, 255, 255);

    /// The i-th colour of the Tableau-10 categorical palette (cycling).
    pub fn palette(i: usize) -> Rgb {
        const P: [Rgb; 10] = [
            Rgb(31, 119, 180),
            Rgb(255, 127, 14),
            Rgb(44, 160, 44),
            Rgb(214, 39, 40),
            Rgb(148, 103, 189),
            Rgb(140, 86, 75),
            Rgb(227, 119, 194),
            Rgb(127, 127, 127),
            Rgb(188, 189, 34),
            Rgb(23, 190, 207),
        ];
        P[i % P.len()]
    }

    pub(super) fn rgb(self) -> RGBColor {
        RGBColor(self.0, self.1, self.2)
    }
}

/// How values map to colours on a world map.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum ColorScale {
    /// Viridis (plotters' `ViridisRGB`) from `min` (dark blue) to `max` (yellow); values
    /// outside are clamped.
    Sequential {
        /// Value drawn with the first colour.
        min: f64,
        /// Value drawn with the last colour.
        max: f64,
    },
    /// Blue–white–red (ColorBrewer RdBu, reversed) centred on zero, from −`abs_max` to
    /// +`abs_max`; values outside are clamped.
    Diverging {
        /// Magnitude drawn with the extreme colours.
        abs_max: f64,
    },
}

impl ColorScale {
    /// A sequential scale over the finite values (a flat field gets a unit range around its
    /// value; no finite value gives 0 … 1).
    pub fn sequential_over(values: &[Option<f64>]) -> Self {
        let (lo, hi) = values
            .iter()
            .flatten()
            .filter(|v| v.is_finite())
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| {
                (a.min(v), b.max(v))
            });
        if !(lo.is_finite() && hi.is_finite()) {
            ColorScale::Sequential { min: 0.0, max: 1.0 }
        } else if hi > lo {
            ColorScale::Sequential { min: lo, max: hi }
        } else {
            ColorScale::Sequential {
                min: lo - 0.5,
                max: lo + 0.5,
            }
        }
    }

    /// A diverging scale symmetric about zero over the finite values (±1 when all are zero or
    /// none is finite).
    pub fn diverging_over(values: &[Option<f64>]) -> Self {
        let m = values
            .iter()
            .flatten()
            .filter(|v| v.is_finite())
            .fold(0.0f64, |a, &v| a.max(v.abs()));
        ColorScale::Diverging {
            abs_max: if m > 0.0 { m } else { 1.0 },
        }
    }

    pub(super) fn range(&self) -> (f64, f64) {
        match *self {
            ColorScale::Sequential { min, max } => (min, max),
            ColorScale::Diverging { abs_max } => (-abs_max.abs(), abs_max.abs()),
        }
    }

    /// The colour of a value: plotters' [`ViridisRGB`] map (sequential) or ColorBrewer RdBu
    /// through plotters' [`DerivedColorMap`] (diverging), linear between their anchors. Values
    /// outside the range take the end colours, NaN the first.
    pub fn color(&self, value: f64) -> Rgb {
        let (lo, hi) = self.range();
        // plotters' maps clamp to [0, 1] themselves but would panic on NaN.
        let t = (value - lo) / (hi - lo);
        let t = if t.is_nan() { 0.0 } else { t.clamp(0.0, 1.0) };
        let c: RGBColor = match self {
            ColorScale::Sequential { .. } => ViridisRGB.get_color(t),
            ColorScale::Diverging { .. } => rdbu_r().get_color(t),
        };
        Rgb(c.0, c.1, c.2)
    }

    pub(super) fn check(&self, path: &Path) -> Result<(), ReportError> {
        let (lo, hi) = self.range();
        if lo.is_finite() && hi.is_finite() && hi > lo {
            Ok(())
        } else {
            Err(ReportError::invalid(
                path,
                format!("colour scale range [{lo}, {hi}] is empty or not finite"),
            ))
        }
    }
}

/// ColorBrewer RdBu, 11 classes as published (Brewer, colorbrewer2.org), reversed so that
/// negative is blue; plotters ships no diverging map.
fn rdbu_r() -> &'static DerivedColorMap<RGBColor> {
    static MAP: OnceLock<DerivedColorMap<RGBColor>> = OnceLock::new();
    MAP.get_or_init(|| {
        DerivedColorMap::new(&[
            RGBColor(5, 48, 97),
            RGBColor(33, 102, 172),
            RGBColor(67, 147, 195),
            RGBColor(146, 197, 222),
            RGBColor(209, 229, 240),
            RGBColor(247, 247, 247),
            RGBColor(253, 219, 199),
            RGBColor(244, 165, 130),
            RGBColor(214, 96, 77),
            RGBColor(178, 24, 43),
            RGBColor(103, 0, 31),
        ])
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Within `tol` of `want` in every channel.
    fn close(got: Rgb, want: (u8, u8, u8), tol: u8) -> bool {
        got.0.abs_diff(want.0) <= tol
            && got.1.abs_diff(want.1) <= tol
            && got.2.abs_diff(want.2) <= tol
    }

    #[test]
    fn colour_scales_hit_their_anchors() {
        // Viridis as published with matplotlib (`_cm_listed.py`, 256 entries × 255, rounded):
        // entry 0 (0.267004, 0.004874, 0.329415) → (68, 1, 84), entry 128 (0.127568, 0.566949,
        // 0.550556) → (33, 145, 140), entry 255 (0.993248, 0.906157, 0.143936) → (253, 231, 37).
        // plotters interpolates 8 anchors linearly: within 3 units.
        let seq = ColorScale::Sequential { min: 1.0, max: 3.0 };
        assert!(
            close(seq.color(1.0), (68, 1, 84), 0),
            "{:?}",
            seq.color(1.0)
        );
        assert!(
            close(seq.color(2.0), (33, 145, 140), 3),
            "{:?}",
            seq.color(2.0)
        );
        assert!(
            close(seq.color(3.0), (253, 231, 37), 1),
            "{:?}",
            seq.color(3.0)
        );
        assert_eq!(seq.color(99.0), seq.color(3.0));
        assert_eq!(seq.color(-99.0), seq.color(1.0));
        assert_eq!(seq.color(f64::NAN), seq.color(1.0));
        // ColorBrewer RdBu (11 classes): white centre #f7f7f7, ends #053061 (blue, reversed
        // so negative) and #67001f.
        let div = ColorScale::Diverging { abs_max: 2.0 };
        assert_eq!(div.color(0.0), Rgb(247, 247, 247));
        assert_eq!(div.color(-2.0), Rgb(5, 48, 97));
        assert_eq!(div.color(2.5), Rgb(103, 0, 31));
        // An empty range does not panic (0/0 is NaN: the first colour).
        assert_eq!(
            ColorScale::Sequential { min: 1.0, max: 1.0 }.color(1.0),
            seq.color(1.0)
        );
    }
}
