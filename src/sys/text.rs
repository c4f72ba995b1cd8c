//! Short text built on the stack. An address as getnameinfo or inspect writes
//! it is a few dozen bytes; the readers that make one per call (ip_unpack,
//! inspect, recvfrom's sender) shouldn't pay for a heap allocation. Longer
//! text (an inspect with a long canonname) moves to a String.

use std::fmt;

const INLINE: usize = 96;

pub struct Text {
    inline: [u8; INLINE],
    len: usize,
    /// Everything, once the text outgrew `inline`.
    spilled: Option<String>,
}

impl Text {
    pub fn new() -> Self {
        Text {
            inline: [0; INLINE],
            len: 0,
            spilled: None,
        }
    }

    pub fn push_str(&mut self, s: &str) {
        if let Some(heap) = &mut self.spilled {
            heap.push_str(s);
        } else if self.len + s.len() <= INLINE {
            self.inline[self.len..self.len + s.len()].copy_from_slice(s.as_bytes());
            self.len += s.len();
        } else {
            let mut heap = String::with_capacity(self.len + s.len() + INLINE);
            heap.push_str(self.as_str());
            heap.push_str(s);
            self.spilled = Some(heap);
        }
    }

    pub fn push(&mut self, c: char) {
        self.push_str(c.encode_utf8(&mut [0; 4]));
    }

    /// A byte known to be ASCII (digits, separators).
    pub fn push_ascii(&mut self, b: u8) {
        debug_assert!(b.is_ascii());
        if self.spilled.is_none() && self.len < INLINE {
            self.inline[self.len] = b;
            self.len += 1;
        } else {
            self.push(b as char);
        }
    }

    /// A number in decimal, without the formatting machinery: the digits go
    /// straight into place (a port, an octet: a call's hot path).
    pub fn push_decimal(&mut self, n: u64) {
        let count = n.checked_ilog10().map_or(1, |l| l as usize + 1);
        if self.spilled.is_some() || self.len + count > INLINE {
            let mut digits = [0u8; 20];
            write_digits(&mut digits[..count], n);
            return self.push_ascii_bytes(&digits[..count]);
        }
        write_digits(&mut self.inline[self.len..self.len + count], n);
        self.len += count;
    }

    fn push_ascii_bytes(&mut self, b: &[u8]) {
        debug_assert!(b.is_ascii());
        if self.spilled.is_none() && self.len + b.len() <= INLINE {
            self.inline[self.len..self.len + b.len()].copy_from_slice(b);
            self.len += b.len();
        } else {
            self.push_str(std::str::from_utf8(b).unwrap_or_default());
        }
    }

    pub fn as_str(&self) -> &str {
        match &self.spilled {
            Some(heap) => heap,
            // Only whole &str and chars go in, so this is always valid.
            None => std::str::from_utf8(&self.inline[..self.len]).unwrap_or_default(),
        }
    }

    pub fn as_bytes(&self) -> &[u8] {
        self.as_str().as_bytes()
    }

    pub fn into_string(self) -> String {
        match self.spilled {
            Some(heap) => heap,
            None => self.as_str().to_owned(),
        }
    }
}

/// `n`'s decimal digits, filling `out` (exactly their count long) from its end.
fn write_digits(out: &mut [u8], mut n: u64) {
    for d in out.iter_mut().rev() {
        *d = b'0' + (n % 10) as u8;
        n /= 10;
    }
}

impl Default for Text {
    fn default() -> Self {
        Text::new()
    }
}

impl fmt::Write for Text {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.push_str(s);
        Ok(())
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fmt::Write;

    #[test]
    fn builds_text_inline_and_past_the_inline_room() {
        let mut t = Text::new();
        t.push_str("[::1]");
        t.push(':');
        t.push_decimal(80);
        assert_eq!(t.as_str(), "[::1]:80");
        t.push_decimal(0);
        t.push_decimal(u64::MAX);
        assert_eq!(t.as_str(), "[::1]:80018446744073709551615");
        let long = "x".repeat(200);
        t.push_str(&long);
        write!(t, " {}", 7).unwrap();
        t.push_ascii(b'!');
        let want = format!("[::1]:80018446744073709551615{long} 7!");
        assert_eq!(t.as_str(), want);
        assert_eq!(t.into_string(), want);
    }

    #[test]
    fn fills_the_inline_room_exactly() {
        let mut t = Text::new();
        for _ in 0..INLINE {
            t.push_ascii(b'a');
        }
        assert!(t.spilled.is_none());
        t.push('é');
        assert_eq!(t.as_str(), format!("{}é", "a".repeat(INLINE)));
    }
}
