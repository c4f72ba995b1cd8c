//! Native-endian fields of C structs held as bytes (socket option values,
//! control messages). Callers check lengths first; these index directly.

pub fn ne_i32(b: &[u8], at: usize) -> i32 {
    i32::from_ne_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

pub fn ne_u32(b: &[u8], at: usize) -> u32 {
    ne_i32(b, at) as u32
}

pub fn ne_i64(b: &[u8], at: usize) -> i64 {
    let mut w = [0u8; 8];
    w.copy_from_slice(&b[at..at + 8]);
    i64::from_ne_bytes(w)
}

pub fn ne_usize(b: &[u8], at: usize) -> usize {
    let mut w = [0u8; std::mem::size_of::<usize>()];
    let n = w.len();
    w.copy_from_slice(&b[at..at + n]);
    usize::from_ne_bytes(w)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_native_endian_fields() {
        let b = [1i32.to_ne_bytes(), (-2i32).to_ne_bytes()].concat();
        assert_eq!(ne_i32(&b, 0), 1);
        assert_eq!(ne_i32(&b, 4), -2);
        assert_eq!(ne_u32(&b, 4), u32::MAX - 1);
        assert_eq!(ne_i64(&7i64.to_ne_bytes(), 0), 7);
        assert_eq!(ne_usize(&9usize.to_ne_bytes(), 0), 9);
    }
}
