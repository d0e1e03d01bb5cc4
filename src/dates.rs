//! Build timestamps without a clock: `SOURCE_DATE_EPOCH` when set, else the book's date.
//! Every backend that writes a date takes it from here, so builds are reproducible.

use crate::ir::BookMeta;

/// A UTC instant broken into calendar fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Utc {
    pub year: i64,
    pub month: u8,
    pub day: u8,
    pub hour: u8,
    pub minute: u8,
    pub second: u8,
}

impl Utc {
    /// Seconds since 1970-01-01T00:00:00Z, clamped to years 1970..=9999.
    pub(crate) fn from_epoch(secs: i64) -> Utc {
        let t = secs.clamp(0, 253_402_300_799);
        let (days, rem) = (t.div_euclid(86_400), t.rem_euclid(86_400));
        let (year, month, day) = civil_from_days(days);
        Utc {
            year,
            month,
            day,
            hour: (rem / 3600) as u8,
            minute: (rem % 3600 / 60) as u8,
            second: (rem % 60) as u8,
        }
    }

    /// `YYYY-MM-DD` at midnight UTC; `None` if it is not such a date.
    pub(crate) fn from_iso_date(date: &str) -> Option<Utc> {
        if !is_iso_date(date) {
            return None;
        }
        let n = |r: std::ops::Range<usize>| date.get(r).and_then(|s| s.parse::<u8>().ok());
        let year = date.get(0..4)?.parse().ok()?;
        Some(Utc {
            year,
            month: n(5..7)?,
            day: n(8..10)?,
            hour: 0,
            minute: 0,
            second: 0,
        })
    }

    /// The build's timestamp: `SOURCE_DATE_EPOCH`, else the book's date, else 1970-01-01 —
    /// never the wall clock.
    pub(crate) fn of_build(meta: &BookMeta, source_date_epoch: Option<i64>) -> Utc {
        source_date_epoch
            .map(Utc::from_epoch)
            .or_else(|| meta.date.as_deref().and_then(Utc::from_iso_date))
            .unwrap_or(Utc::from_epoch(0))
    }

    /// `YYYY-MM-DDTHH:MM:SSZ`.
    pub(crate) fn rfc3339(&self) -> String {
        format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
            self.year, self.month, self.day, self.hour, self.minute, self.second
        )
    }
}

/// Days since 1970-01-01 → (year, month, day), Howard Hinnant's algorithm.
fn civil_from_days(z: i64) -> (i64, u8, u8) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m as u8, d as u8)
}

/// `YYYY-MM-DD` with plausible month and day.
pub fn is_iso_date(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let num = |r: std::ops::Range<usize>| s.get(r).and_then(|x| x.parse::<u32>().ok());
    matches!((num(0..4), num(5..7), num(8..10)), (Some(_), Some(m), Some(d)) if (1..=12).contains(&m) && (1..=31).contains(&d))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epochs_and_dates() {
        assert_eq!(Utc::from_epoch(0).rfc3339(), "1970-01-01T00:00:00Z");
        assert_eq!(
            Utc::from_epoch(1_695_816_000).rfc3339(),
            "2023-09-27T12:00:00Z"
        );
        assert_eq!(
            Utc::from_epoch(951_782_400).rfc3339(),
            "2000-02-29T00:00:00Z"
        );
        assert_eq!(
            Utc::from_iso_date("2023-09-27").map(|u| u.rfc3339()),
            Some("2023-09-27T00:00:00Z".into())
        );
        let meta = BookMeta {
            date: Some("2023-09-27".into()),
            ..Default::default()
        };
        assert_eq!(Utc::of_build(&meta, None).day, 27);
        assert_eq!(Utc::of_build(&meta, Some(0)).year, 1970);
        assert_eq!(Utc::of_build(&BookMeta::default(), None).year, 1970);
    }
}
