//! The hash map for lookups on every call's path, and a small lock-free
//! cache in front of it shared by every thread.

use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};

/// A quick hasher for the lookup tables on every call's path (constant
/// names, Symbol IDs). Not DoS-resistant, and need not be: the keys are our
/// own table's names and the IDs of Symbols that named an entry.
#[derive(Default)]
pub struct FastHasher(u64);

pub type FastMap<K, V> = std::collections::HashMap<K, V, std::hash::BuildHasherDefault<FastHasher>>;

impl std::hash::Hasher for FastHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.write_u64(u64::from_le_bytes(c.try_into().expect("8 bytes")));
        }
        let mut tail = [0u8; 8];
        tail[..chunks.remainder().len()].copy_from_slice(chunks.remainder());
        self.write_u64(u64::from_le_bytes(tail) ^ bytes.len() as u64);
    }

    fn write_u8(&mut self, n: u8) {
        self.write_u64(n as u64);
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }

    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }
}

/// Answers remembered for non-zero u64 keys, in a fixed direct-mapped table
/// every thread shares without a lock (a thread-local map costs a TLS lookup
/// per call in a shared library). A key's answer never changes, so a slot
/// another thread overwrites only turns a hit into a miss.
pub struct SlotCache {
    keys: [AtomicU64; SLOTS],
    values: [AtomicI64; SLOTS],
}

const SLOTS: usize = 256;

impl SlotCache {
    pub const fn new() -> Self {
        SlotCache {
            keys: [const { AtomicU64::new(0) }; SLOTS],
            values: [const { AtomicI64::new(0) }; SLOTS],
        }
    }

    fn slot(key: u64) -> usize {
        (key.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 56) as usize % SLOTS
    }

    pub fn get(&self, key: u64) -> Option<i64> {
        let i = Self::slot(key);
        if key == 0 || self.keys[i].load(Ordering::Acquire) != key {
            return None;
        }
        let value = self.values[i].load(Ordering::Acquire);
        // Still the same key after reading the value: it is that key's value.
        (self.keys[i].load(Ordering::Acquire) == key).then_some(value)
    }

    pub fn put(&self, key: u64, value: i64) {
        if key == 0 {
            return;
        }
        let i = Self::slot(key);
        self.keys[i].store(0, Ordering::Release);
        self.values[i].store(value, Ordering::Release);
        self.keys[i].store(key, Ordering::Release);
    }
}

impl Default for SlotCache {
    fn default() -> Self {
        SlotCache::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remembers_answers_and_forgets_on_collision() {
        let c = SlotCache::new();
        assert_eq!(c.get(7), None);
        c.put(7, -3);
        assert_eq!(c.get(7), Some(-3));
        assert_eq!(c.get(0), None);
        // Filling the table past its size leaves each key's answer right or
        // missing, never another key's.
        for k in 1..2000u64 {
            c.put(k, k as i64 * 10);
        }
        for k in 1..2000u64 {
            if let Some(v) = c.get(k) {
                assert_eq!(v, k as i64 * 10);
            }
        }
        assert_eq!(c.get(1999), Some(19990));
    }
}
