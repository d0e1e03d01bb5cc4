//! The document's creation date: `SOURCE_DATE_EPOCH` when set (reproducible builds), else the
//! book's publication date; never the wall clock.

/// (year, month, day, hour, minute, second) in UTC.
pub type Civil = (u16, u8, u8, u8, u8, u8);

pub fn creation_date(epoch: Option<i64>, book_date: Option<&str>) -> Option<Civil> {
    if let Some(secs) = epoch {
        return from_epoch(secs);
    }
    let d = book_date?;
    let mut it = d.split('-').map(str::parse::<u16>);
    let (y, m, day) = (it.next()?.ok()?, it.next()?.ok()?, it.next()?.ok()?);
    Some((y, u8::try_from(m).ok()?, u8::try_from(day).ok()?, 0, 0, 0))
}

/// Seconds since 1970 to a civil UTC date (Howard Hinnant's days-from-civil inverse).
fn from_epoch(secs: i64) -> Option<Civil> {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    Some((
        u16::try_from(y).ok()?,
        u8::try_from(m).ok()?,
        u8::try_from(d).ok()?,
        u8::try_from(rem / 3600).ok()?,
        u8::try_from(rem % 3600 / 60).ok()?,
        u8::try_from(rem % 60).ok()?,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epoch_and_book_dates() {
        assert_eq!(from_epoch(0), Some((1970, 1, 1, 0, 0, 0)));
        assert_eq!(from_epoch(1_695_800_000), Some((2023, 9, 27, 7, 33, 20)));
        assert_eq!(
            creation_date(None, Some("2023-09-27")),
            Some((2023, 9, 27, 0, 0, 0))
        );
        assert_eq!(creation_date(None, Some("soon")), None);
        assert_eq!(
            creation_date(Some(86_400), Some("2023-09-27")),
            Some((1970, 1, 2, 0, 0, 0))
        );
    }
}
