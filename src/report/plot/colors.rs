//! Colours: the categorical palette ([`Rgb::palette`]) and the value scales of maps
//! ([`ColorScale`]).

use std::path::Path;

use plotters::prelude::*;
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
    /// Viridis from `min` (dark blue) to `max` (yellow); values outside are clamped.
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
    pub(super) fn range(&self) -> (f64, f64) {
        match *self {
            ColorScale::Sequential { min, max } => (min, max),
            ColorScale::Diverging { abs_max } => (-abs_max.abs(), abs_max.abs()),
        }
    }

    /// The colour of a value.
    pub fn color(&self, value: f64) -> Rgb {
        let (lo, hi) = self.range();
        let t = ((value - lo) / (hi - lo)).clamp(0.0, 1.0);
        match self {
            ColorScale::Sequential { .. } => interpolate(&VIRIDIS, t),
            ColorScale::Diverging { .. } => interpolate(&RDBU_R, t),
        }
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

/// Viridis (matplotlib), sampled at nine equally spaced points.
const VIRIDIS: [Rgb; 9] = [
    Rgb(68, 1, 84),
    Rgb(71, 44, 122),
    Rgb(59, 81, 139),
    Rgb(44, 113, 142),
    Rgb(33, 144, 141),
    Rgb(39, 173, 129),
    Rgb(92, 200, 99),
    Rgb(170, 220, 50),
    Rgb(253, 231, 37),
];

/// ColorBrewer RdBu (9 classes), reversed so that negative is blue.
const RDBU_R: [Rgb; 9] = [
    Rgb(5, 48, 97),
    Rgb(33, 102, 172),
    Rgb(67, 147, 195),
    Rgb(146, 197, 222),
    Rgb(247, 247, 247),
    Rgb(244, 165, 130),
    Rgb(214, 96, 77),
    Rgb(178, 24, 43),
    Rgb(103, 0, 31),
];

fn interpolate(table: &[Rgb], t: f64) -> Rgb {
    let x = t * (table.len() - 1) as f64;
    let i = (x.floor() as usize).min(table.len() - 2);
    let f = x - i as f64;
    let mix = |a: u8, b: u8| (a as f64 + (b as f64 - a as f64) * f).round() as u8;
    let (a, b) = (table[i], table[i + 1]);
    Rgb(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colour_scales_hit_their_anchors() {
        // Anchors of the tables: the ends and (diverging) the white centre.
        let seq = ColorScale::Sequential { min: 1.0, max: 3.0 };
        assert_eq!(seq.color(1.0), VIRIDIS[0]);
        assert_eq!(seq.color(3.0), VIRIDIS[8]);
        assert_eq!(seq.color(99.0), VIRIDIS[8]);
        let div = ColorScale::Diverging { abs_max: 2.0 };
        assert_eq!(div.color(0.0), Rgb(247, 247, 247));
        assert_eq!(div.color(-2.0), RDBU_R[0]);
    }
}
