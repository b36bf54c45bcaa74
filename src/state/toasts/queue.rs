//! The notification stack as plain data: what is shown, for how long, and
//! which toast goes when the stack is full. Times are milliseconds on the
//! caller's clock so the model can be driven by tests.

use std::time::Duration;

use ytempire_protocol::{HttpUrl, Id};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ToastLevel {
    Success,
    Info,
    Warning,
    Error,
}

impl ToastLevel {
    pub const fn as_str(self) -> &'static str {
        match self {
            ToastLevel::Success => "success",
            ToastLevel::Info => "info",
            ToastLevel::Warning => "warning",
            ToastLevel::Error => "error",
        }
    }
}

/// What a toast's action button does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ToastAction {
    RetryVideo(Id),
    ViewCosts,
}

impl ToastAction {
    pub const fn label(&self) -> &'static str {
        match self {
            ToastAction::RetryVideo(_) => "Retry",
            ToastAction::ViewCosts => "View Details",
        }
    }
}

/// A toast to show.
#[derive(Debug, Clone, PartialEq)]
pub struct ToastSpec {
    pub level: ToastLevel,
    pub title: String,
    pub message: String,
    pub link: Option<HttpUrl>,
    pub action: Option<ToastAction>,
    /// `None` keeps the toast until it is dismissed.
    pub lifetime: Option<Duration>,
}

impl ToastSpec {
    pub fn new(
        level: ToastLevel,
        title: impl Into<String>,
        message: impl Into<String>,
        lifetime: Option<Duration>,
    ) -> Self {
        Self {
            level,
            title: title.into(),
            message: message.into(),
            link: None,
            action: None,
            lifetime,
        }
    }

    pub fn with_link(mut self, link: HttpUrl) -> Self {
        self.link = Some(link);
        self
    }

    pub fn with_action(mut self, action: ToastAction) -> Self {
        self.action = Some(action);
        self
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ToastId(u64);

#[derive(Debug, Clone, Copy, PartialEq)]
enum Expiry {
    Never,
    At(f64),
    /// Hovered: the clock is stopped with this much left.
    Paused(f64),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Toast {
    pub id: ToastId,
    pub spec: ToastSpec,
    expiry: Expiry,
}

impl Toast {
    pub const fn is_sticky(&self) -> bool {
        matches!(self.expiry, Expiry::Never)
    }
}

/// At most `capacity` toasts; the oldest one that would expire anyway makes
/// room for a new one, so sticky alerts outlive routine notices.
#[derive(Debug, Clone, PartialEq)]
pub struct ToastQueue {
    toasts: Vec<Toast>,
    next_id: u64,
    capacity: usize,
}

/// Three stacked toasts already fill a third of a phone's screen; a busy
/// fleet finishes videos faster than anyone reads five.
pub const DEFAULT_CAPACITY: usize = 3;

impl Default for ToastQueue {
    fn default() -> Self {
        Self::with_capacity(DEFAULT_CAPACITY)
    }
}

impl ToastQueue {
    pub fn with_capacity(capacity: usize) -> Self {
        Self {
            toasts: Vec::with_capacity(capacity),
            next_id: 0,
            capacity: capacity.max(1),
        }
    }

    /// Oldest first.
    pub fn toasts(&self) -> &[Toast] {
        &self.toasts
    }

    pub fn push(&mut self, spec: ToastSpec, now: f64) -> ToastId {
        if self.toasts.len() == self.capacity {
            let victim = self
                .toasts
                .iter()
                .position(|toast| !toast.is_sticky())
                .unwrap_or(0);
            self.toasts.remove(victim);
        }
        let id = ToastId(self.next_id);
        self.next_id += 1;
        let expiry = spec.lifetime.map_or(Expiry::Never, |d| {
            Expiry::At(now + d.as_secs_f64() * 1000.0)
        });
        self.toasts.push(Toast { id, spec, expiry });
        id
    }

    pub fn dismiss(&mut self, id: ToastId) -> bool {
        let before = self.toasts.len();
        self.toasts.retain(|toast| toast.id != id);
        self.toasts.len() != before
    }

    /// Removes every toast. Ids keep counting, so none is ever reused.
    pub fn clear(&mut self) {
        self.toasts.clear();
    }

    pub fn pause(&mut self, id: ToastId, now: f64) {
        if let Some(toast) = self.toasts.iter_mut().find(|t| t.id == id)
            && let Expiry::At(at) = toast.expiry
        {
            toast.expiry = Expiry::Paused((at - now).max(0.0));
        }
    }

    pub fn resume(&mut self, id: ToastId, now: f64) {
        if let Some(toast) = self.toasts.iter_mut().find(|t| t.id == id)
            && let Expiry::Paused(left) = toast.expiry
        {
            toast.expiry = Expiry::At(now + left);
        }
    }

    /// Removes every toast whose time is up; returns how many went.
    pub fn expire(&mut self, now: f64) -> usize {
        let before = self.toasts.len();
        self.toasts
            .retain(|toast| !matches!(toast.expiry, Expiry::At(at) if at <= now));
        before - self.toasts.len()
    }

    /// When the next running toast expires, to arm a single timer for it.
    pub fn next_deadline(&self) -> Option<f64> {
        self.toasts
            .iter()
            .filter_map(|toast| match toast.expiry {
                Expiry::At(at) => Some(at),
                _ => None,
            })
            .min_by(f64::total_cmp)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(title: &str, lifetime_ms: Option<u64>) -> ToastSpec {
        ToastSpec::new(
            ToastLevel::Info,
            title,
            "",
            lifetime_ms.map(Duration::from_millis),
        )
    }

    fn titles(queue: &ToastQueue) -> Vec<&str> {
        queue
            .toasts()
            .iter()
            .map(|t| t.spec.title.as_str())
            .collect()
    }

    #[test]
    fn toasts_expire_after_their_lifetime() {
        let mut queue = ToastQueue::default();
        queue.push(spec("short", Some(5_000)), 0.0);
        queue.push(spec("long", Some(10_000)), 0.0);
        queue.push(spec("sticky", None), 0.0);
        assert_eq!(queue.next_deadline(), Some(5_000.0));
        assert_eq!(queue.expire(4_999.0), 0);
        assert_eq!(queue.expire(5_000.0), 1);
        assert_eq!(queue.expire(1e12), 1);
        assert_eq!(titles(&queue), ["sticky"]);
        assert_eq!(queue.next_deadline(), None);
    }

    #[test]
    fn clearing_removes_sticky_toasts_and_never_reuses_an_id() {
        let mut queue = ToastQueue::default();
        let first = queue.push(spec("sticky", None), 0.0);
        queue.clear();
        assert!(queue.toasts().is_empty());
        assert_eq!(queue.next_deadline(), None);
        assert_ne!(queue.push(spec("next", None), 0.0), first);
    }

    #[test]
    fn hovering_stops_the_clock() {
        let mut queue = ToastQueue::default();
        let id = queue.push(spec("a", Some(5_000)), 0.0);
        queue.pause(id, 1_000.0);
        assert_eq!(queue.next_deadline(), None);
        assert_eq!(queue.expire(60_000.0), 0);
        queue.resume(id, 60_000.0);
        assert_eq!(queue.next_deadline(), Some(64_000.0));
    }

    #[test]
    fn pausing_a_sticky_toast_changes_nothing() {
        let mut queue = ToastQueue::default();
        let id = queue.push(spec("sticky", None), 0.0);
        queue.pause(id, 1.0);
        queue.resume(id, 2.0);
        assert!(queue.toasts()[0].is_sticky());
    }

    #[test]
    fn a_full_stack_drops_the_oldest_expiring_toast_first() {
        let mut queue = ToastQueue::with_capacity(3);
        queue.push(spec("sticky", None), 0.0);
        queue.push(spec("a", Some(1_000)), 0.0);
        queue.push(spec("b", Some(1_000)), 0.0);
        queue.push(spec("c", Some(1_000)), 0.0);
        assert_eq!(titles(&queue), ["sticky", "b", "c"]);
    }

    #[test]
    fn a_stack_of_sticky_toasts_drops_the_oldest() {
        let mut queue = ToastQueue::with_capacity(2);
        for title in ["x", "y", "z"] {
            queue.push(spec(title, None), 0.0);
        }
        assert_eq!(titles(&queue), ["y", "z"]);
    }

    #[test]
    fn dismiss_removes_only_that_toast() {
        let mut queue = ToastQueue::default();
        let a = queue.push(spec("a", None), 0.0);
        queue.push(spec("b", None), 0.0);
        assert!(queue.dismiss(a));
        assert!(!queue.dismiss(a));
        assert_eq!(titles(&queue), ["b"]);
    }
}
