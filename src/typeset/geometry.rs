//! Page profiles: page size, margins, measure and type size, in points.

/// Page and type sizes, in points.
#[derive(Debug, Clone, Copy)]
pub struct Geometry {
    pub width: f32,
    pub height: f32,
    pub left: f32,
    pub top: f32,
    pub measure: f32,
    pub body_height: f32,
    /// Baseline of the page number, from the top of the page.
    pub footer: f32,
    /// Baseline of the running head, from the top of the page.
    pub head: f32,
    pub body_size: f32,
    pub leading: f32,
}

const MM: f32 = 72.0 / 25.4;

impl Default for Geometry {
    fn default() -> Self {
        Geometry::a4()
    }
}

impl Geometry {
    /// A page with the text block centred horizontally, `lines` lines of `leading` high.
    fn centred(
        (width, height): (f32, f32),
        measure: f32,
        top: f32,
        lines: f32,
        body_size: f32,
        leading: f32,
    ) -> Geometry {
        let body_height = leading * lines;
        let bottom = top + body_height;
        Geometry {
            width,
            height,
            left: (width - measure) / 2.0,
            top,
            measure,
            body_height,
            footer: bottom + (height - bottom) * 0.45,
            head: top - 1.7 * leading,
            body_size,
            leading,
        }
    }

    /// A4 with a measure of about 66 characters.
    pub fn a4() -> Geometry {
        Geometry::centred((595.28, 841.89), 330.0, 78.0, 45.0, 11.5, 15.0)
    }

    pub fn letter() -> Geometry {
        Geometry::centred((612.0, 792.0), 330.0, 74.0, 42.0, 11.5, 15.0)
    }

    pub fn a5() -> Geometry {
        Geometry::centred((148.0 * MM, 210.0 * MM), 290.0, 56.0, 36.0, 10.0, 13.0)
    }

    /// A 6-inch e-reader screen: small margins, type scaled down with the page.
    pub fn ereader() -> Geometry {
        Geometry::centred((90.0 * MM, 120.0 * MM), 225.0, 32.0, 23.0, 9.0, 11.5)
    }

    /// The profile called `name`, if there is one.
    pub fn profile(name: &str) -> Option<Geometry> {
        match name {
            "a4" => Some(Geometry::a4()),
            "letter" => Some(Geometry::letter()),
            "a5" => Some(Geometry::a5()),
            "ereader" => Some(Geometry::ereader()),
            _ => None,
        }
    }

    /// `v` points of the A4 design, scaled with the type size.
    pub fn s(&self, v: f32) -> f32 {
        v * self.body_size / 11.5
    }
}
