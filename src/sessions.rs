/*!
Treatment sessions and the day number of each photo.

SMP is applied in several sessions a week or more apart, and healing restarts with each one, so a photo is placed
on the clock of the latest session that started before it: "session 2, day 3.5". Times are wall-clock
([`CivilTime`]), as cameras record them.
*/

use crate::time::CivilTime;

/// Where a session start came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SessionSource {
    /// Given with `--session`.
    Option,
    /// No `--session` given: session 1 is assumed to start at the earliest photo.
    AssumedFirstPhoto,
}

/// One treatment session.
#[derive(Debug, Clone, PartialEq)]
pub struct Session {
    /// 1-based session number, in order of start time.
    pub index: usize,
    /// When the session started (wall clock).
    pub start: CivilTime,
    /// Where `start` came from.
    pub source: SessionSource,
}

/// The sessions: the `given` starts (any order, duplicates removed) or, when none are given, one session starting at
/// the earliest of `photo_times`. Sorted by start and numbered from 1. Empty when nothing is given and there are no
/// photos.
pub fn plan_sessions(given: &[CivilTime], photo_times: &[CivilTime]) -> Vec<Session> {
    let (mut starts, source) = if given.is_empty() {
        (photo_times.iter().min().copied().into_iter().collect(), SessionSource::AssumedFirstPhoto)
    } else {
        (given.to_vec(), SessionSource::Option)
    };
    starts.sort();
    starts.dedup();
    starts.into_iter().enumerate().map(|(i, start)| Session { index: i + 1, start, source }).collect()
}

/// The index of the latest session starting at or before `t`, and the fractional days since its start; `None` when
/// `t` is before the first session (or there are no sessions). `sessions` need not be sorted.
pub fn assign(sessions: &[Session], t: CivilTime) -> Option<(usize, f64)> {
    sessions.iter().filter(|s| s.start <= t).max_by_key(|s| s.start).map(|s| (s.index, t.days_since(s.start)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iso(text: &str) -> CivilTime {
        CivilTime::parse_iso(text).unwrap()
    }

    fn two_sessions() -> Vec<Session> {
        plan_sessions(&[iso("2026-11-15T10:00"), iso("2026-11-01T09:00")], &[])
    }

    #[test]
    fn given_starts_are_sorted_deduplicated_and_numbered_from_one() {
        let given = [iso("2026-11-15T10:00"), iso("2026-11-01T09:00"), iso("2026-11-15T10:00")];
        let photos = [iso("2026-10-30T12:00")];
        let sessions = plan_sessions(&given, &photos);
        let want = [(1, "2026-11-01T09:00:00"), (2, "2026-11-15T10:00:00")];
        let got: Vec<_> = sessions.iter().map(|s| (s.index, s.start.to_string())).collect();
        assert_eq!(got, want.map(|(i, t)| (i, t.to_string())));
        assert!(sessions.iter().all(|s| s.source == SessionSource::Option));
    }

    #[test]
    fn without_given_starts_one_session_starts_at_the_earliest_photo() {
        let photos = [iso("2026-11-05T08:00"), iso("2026-11-02T18:30"), iso("2026-11-09T07:00")];
        let sessions = plan_sessions(&[], &photos);
        let want = Session { index: 1, start: iso("2026-11-02T18:30"), source: SessionSource::AssumedFirstPhoto };
        assert_eq!(sessions, [want]);
    }

    #[test]
    fn no_given_starts_and_no_photos_means_no_sessions() {
        assert!(plan_sessions(&[], &[]).is_empty());
        assert_eq!(assign(&[], iso("2026-11-02")), None);
    }

    #[test]
    fn a_photo_exactly_at_a_session_start_is_day_zero_of_that_session() {
        let sessions = two_sessions();
        assert_eq!(assign(&sessions, iso("2026-11-01T09:00")), Some((1, 0.0)));
        assert_eq!(assign(&sessions, iso("2026-11-15T10:00")), Some((2, 0.0)));
    }

    #[test]
    fn a_photo_between_sessions_belongs_to_the_earlier_one() {
        let sessions = two_sessions();
        assert_eq!(assign(&sessions, iso("2026-11-15T09:59")).map(|(i, _)| i), Some(1));
        assert_eq!(assign(&sessions, iso("2026-11-30T10:00")), Some((2, 15.0)));
    }

    #[test]
    fn a_photo_before_the_first_session_has_no_session() {
        assert_eq!(assign(&two_sessions(), iso("2026-11-01T08:59:59")), None);
    }

    #[test]
    fn days_are_fractional() {
        let sessions = two_sessions();
        assert_eq!(assign(&sessions, iso("2026-11-04T21:00")), Some((1, 3.5)));
        let (_, days) = assign(&sessions, iso("2026-11-01T09:30")).unwrap();
        assert!((days - 1.0 / 48.0).abs() < 1e-12);
    }

    #[test]
    fn session_sources_serialise_in_snake_case() {
        let json = serde_json::to_string(&SessionSource::AssumedFirstPhoto).unwrap();
        assert_eq!(json, "\"assumed_first_photo\"");
    }
}
