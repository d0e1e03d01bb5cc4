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
    /// The process's peak memory (resident set, bytes) when it ended, where the system says
    /// (Linux): a phase that raised it is the one to look at.
    pub peak_memory: Option<u64>,
}

/// The process's peak resident set so far, in bytes (`VmHWM` of /proc/self/status).
fn peak_memory() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
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
            peak_memory: peak_memory(),
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
