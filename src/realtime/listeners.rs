//! A list of callbacks that can be added to and removed from while it is
//! being dispatched to (a subscriber may unsubscribe from inside its callback).

use std::rc::Rc;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ListenerId(u64);

pub type Listener<T> = Rc<dyn Fn(&T)>;

pub struct Listeners<T: ?Sized> {
    next_id: u64,
    entries: Vec<(ListenerId, Listener<T>)>,
}

impl<T: ?Sized> Default for Listeners<T> {
    fn default() -> Self {
        Self {
            next_id: 0,
            entries: Vec::new(),
        }
    }
}

impl<T: ?Sized> Listeners<T> {
    pub fn add(&mut self, callback: impl Fn(&T) + 'static) -> ListenerId {
        let id = ListenerId(self.next_id);
        self.next_id += 1;
        self.entries.push((id, Rc::new(callback)));
        id
    }

    pub fn remove(&mut self, id: ListenerId) -> bool {
        let before = self.entries.len();
        self.entries.retain(|(entry, _)| *entry != id);
        self.entries.len() != before
    }

    /// The callbacks as of now, to call after releasing whatever lock guards
    /// this list.
    pub fn snapshot(&self) -> Vec<Listener<T>> {
        self.entries.iter().map(|(_, f)| Rc::clone(f)).collect()
    }
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;

    use super::*;

    #[test]
    fn add_snapshot_remove() {
        let seen = Rc::new(RefCell::new(Vec::new()));
        let mut listeners = Listeners::<u32>::default();
        let a = {
            let seen = Rc::clone(&seen);
            listeners.add(move |n| seen.borrow_mut().push(("a", *n)))
        };
        {
            let seen = Rc::clone(&seen);
            listeners.add(move |n| seen.borrow_mut().push(("b", *n)));
        }
        listeners.snapshot().iter().for_each(|f| f(&1));
        assert!(listeners.remove(a));
        assert!(!listeners.remove(a));
        listeners.snapshot().iter().for_each(|f| f(&2));
        assert_eq!(*seen.borrow(), [("a", 1), ("b", 1), ("b", 2)]);
        assert_eq!(listeners.snapshot().len(), 1);
    }
}
