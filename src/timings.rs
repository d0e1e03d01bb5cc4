//! Per-phase wall-clock timings of a build (`--timings`): where the time goes, measured on the
//! build itself rather than guessed. Only measures; nothing a build writes depends on it.

use std::sync::Mutex;
use std::time::{Duration, Instant};

/// One measured phase of a build.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Phase {
    /// What was measured: `parse`, `render pdf`, `pdf: layout`, `write gemini`.
    pub name: String,
    /// How long it took (wall clock).
    pub time: Duration,
}

/// The phases a build measured, in the order they finished. Shared by the backends' threads.
#[derive(Debug, Default)]
pub struct Timings(Mutex<Vec<Phase>>);

impl Timings {
    /// Adds a phase that took `time`.
    pub fn record(&self, name: impl Into<String>, time: Duration) {
        let phase = Phase {
            name: name.into(),
            time,
        };
        // A poisoned lock only means another thread panicked while pushing: keep measuring.
        match self.0.lock() {
            Ok(mut v) => v.push(phase),
            Err(poisoned) => poisoned.into_inner().push(phase),
        }
    }

    /// Runs `f`, recording how long it took under `name`.
    pub fn time<T>(&self, name: impl Into<String>, f: impl FnOnce() -> T) -> T {
        let start = Instant::now();
        let value = f();
        self.record(name, start.elapsed());
        value
    }

    /// The phases recorded so far.
    pub fn phases(self) -> Vec<Phase> {
        match self.0.into_inner() {
            Ok(v) => v,
            Err(poisoned) => poisoned.into_inner(),
        }
    }
}
