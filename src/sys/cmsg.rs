//! The control-message (cmsg) codec that sendmsg/recvmsg use, and the
//! inspect text of each kind of message. Pure Rust, safe on arbitrary bytes.

use std::mem::size_of;
use std::net::{Ipv4Addr, Ipv6Addr};
use std::os::fd::RawFd;

use crate::sys::{cbytes, constants, sockaddr};

pub const INT_SIZE: usize = size_of::<libc::c_int>();

/// struct cmsghdr: cmsg_len (size_t), cmsg_level, cmsg_type.
pub const HDR_LEN: usize = size_of::<libc::cmsghdr>();

pub const ALIGN: usize = size_of::<libc::size_t>();

pub const UCRED_SIZE: usize = size_of::<libc::ucred>();

pub const TIMEVAL_SIZE: usize = size_of::<libc::timeval>();

pub const TIMESPEC_SIZE: usize = size_of::<libc::timespec>();

/// struct in_pktinfo: ipi_ifindex, ipi_spec_dst, ipi_addr.
pub const IN_PKTINFO_SIZE: usize = 12;

/// struct in6_pktinfo: ipi6_addr, ipi6_ifindex.
pub const IN6_PKTINFO_SIZE: usize = 20;

// ---- the cmsg codec, pure Rust ----

/// CMSG_ALIGN; None on overflow (lengths may come from untrusted bytes).
fn align(n: usize) -> Option<usize> {
    n.checked_add(ALIGN - 1).map(|v| v & !(ALIGN - 1))
}

/// CMSG_SPACE(n): room a message with n data bytes takes in a control buffer.
pub fn space(n: usize) -> usize {
    HDR_LEN + align(n).unwrap_or(usize::MAX - HDR_LEN)
}

/// One control message read from a buffer.
#[derive(Debug, PartialEq, Eq)]
pub struct Cmsg<'a> {
    pub level: i32,
    pub ctype: i32,
    pub data: &'a [u8],
}

impl Cmsg<'_> {
    pub fn is_rights(&self) -> bool {
        self.level == libc::SOL_SOCKET && self.ctype == libc::SCM_RIGHTS
    }

    /// The file descriptors an SCM_RIGHTS message carries (whole ints only).
    pub fn fds(&self) -> impl Iterator<Item = RawFd> + '_ {
        let count = if self.is_rights() { usize::MAX } else { 0 };
        self.data
            .chunks_exact(INT_SIZE)
            .take(count)
            .map(|c| i32::from_ne_bytes([c[0], c[1], c[2], c[3]]))
    }
}

/// The control messages in `buf` (what recvmsg left in msg_control, the first
/// msg_controllen bytes). A message whose cmsg_len runs past the end is cut
/// at the end, as after MSG_CTRUNC; a cmsg_len shorter than the header ends
/// the walk. Never reads outside `buf`.
pub fn parse(buf: &[u8]) -> Cmsgs<'_> {
    Cmsgs { buf, off: 0 }
}

pub struct Cmsgs<'a> {
    buf: &'a [u8],
    off: usize,
}

impl<'a> Iterator for Cmsgs<'a> {
    type Item = Cmsg<'a>;

    fn next(&mut self) -> Option<Cmsg<'a>> {
        let (buf, off) = (self.buf, self.off);
        if buf.len().saturating_sub(off) < HDR_LEN {
            return None;
        }
        let h = &buf[off..];
        let len = cbytes::ne_usize(h, 0);
        if len < HDR_LEN {
            return None;
        }
        let end = off.saturating_add(len).min(buf.len());
        // Past the end when the next offset overflows: the walk stops there.
        self.off = align(len)
            .and_then(|l| off.checked_add(l))
            .unwrap_or(usize::MAX);
        Some(Cmsg {
            level: cbytes::ne_i32(h, size_of::<usize>()),
            ctype: cbytes::ne_i32(h, size_of::<usize>() + INT_SIZE),
            data: &buf[off + HDR_LEN..end],
        })
    }
}

/// Closes every fd the SCM_RIGHTS messages in `buf` brought into the process.
pub fn close_fds(buf: &[u8]) {
    for m in parse(buf) {
        for fd in m.fds() {
            if fd >= 0 {
                unsafe { libc::close(fd) };
            }
        }
    }
}

/// A control buffer aligned for struct cmsghdr (msg_control must be). Small
/// ones (an fd or two, a pktinfo) stay inline: send_io and recv_io make one
/// per call.
pub struct ControlBuf {
    inline: [u64; INLINE_WORDS],
    heap: Vec<u64>,
    len: usize,
}

const INLINE_WORDS: usize = 8;

impl ControlBuf {
    pub fn with_len(len: usize) -> Self {
        let words = len.div_ceil(8);
        ControlBuf {
            inline: [0; INLINE_WORDS],
            heap: if words > INLINE_WORDS {
                vec![0u64; words]
            } else {
                Vec::new()
            },
            len,
        }
    }

    /// Packs (level, type, data) messages as sendmsg(2) wants them.
    pub fn encode<D: AsRef<[u8]>>(msgs: &[(i32, i32, D)]) -> Self {
        let total = msgs.iter().map(|(_, _, d)| space(d.as_ref().len())).sum();
        let mut buf = ControlBuf::with_len(total);
        let bytes = buf.bytes_mut();
        let mut off = 0;
        for (level, ctype, data) in msgs {
            let data = data.as_ref();
            let w = size_of::<usize>();
            bytes[off..off + w].copy_from_slice(&(HDR_LEN + data.len()).to_ne_bytes());
            bytes[off + w..off + w + 4].copy_from_slice(&level.to_ne_bytes());
            bytes[off + w + 4..off + w + 8].copy_from_slice(&ctype.to_ne_bytes());
            bytes[off + HDR_LEN..off + HDR_LEN + data.len()].copy_from_slice(data);
            off += space(data.len());
        }
        buf
    }

    /// Keeps the first `len` bytes (what recvmsg filled in).
    pub fn truncate(&mut self, len: usize) {
        self.len = self.len.min(len);
    }

    fn words(&self) -> &[u64] {
        if self.heap.is_empty() {
            &self.inline
        } else {
            &self.heap
        }
    }

    fn words_mut(&mut self) -> &mut [u64] {
        if self.heap.is_empty() {
            &mut self.inline
        } else {
            &mut self.heap
        }
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn as_mut_ptr(&mut self) -> *mut libc::c_void {
        self.words_mut().as_mut_ptr() as *mut libc::c_void
    }

    pub fn bytes(&self) -> &[u8] {
        // len never exceeds the words' bytes (with_len sizes them, truncate shrinks).
        unsafe { std::slice::from_raw_parts(self.words().as_ptr() as *const u8, self.len) }
    }

    fn bytes_mut(&mut self) -> &mut [u8] {
        let len = self.len;
        unsafe { std::slice::from_raw_parts_mut(self.words_mut().as_mut_ptr() as *mut u8, len) }
    }
}

// ---- inspect text, pure Rust ----

fn ifname(index: u32) -> Option<String> {
    let mut buf = [0 as libc::c_char; libc::IF_NAMESIZE];
    let p = unsafe { libc::if_indextoname(index, buf.as_mut_ptr()) };
    if p.is_null() {
        return None;
    }
    Some(
        unsafe { std::ffi::CStr::from_ptr(buf.as_ptr()) }
            .to_string_lossy()
            .into_owned(),
    )
}

/// An interface by name, or "ifindex:N" (printed as a C int) when unknown.
fn iface_text(index: u32) -> String {
    ifname(index).unwrap_or_else(|| format!("ifindex:{}", index as i32))
}

extern "C" {
    fn tzset();
}

/// "2023-11-14 22:13:20" in local time, as strftime prints it.
fn local_time_text(secs: i64) -> Option<String> {
    let t = secs as libc::time_t;
    let mut tm: libc::tm = unsafe { std::mem::zeroed() };
    unsafe { tzset() };
    if unsafe { libc::localtime_r(&t, &mut tm) }.is_null() {
        return None;
    }
    let mut out = [0u8; 128];
    let fmt = b"%Y-%m-%d %H:%M:%S\0";
    let n = unsafe {
        libc::strftime(
            out.as_mut_ptr() as *mut libc::c_char,
            out.len(),
            fmt.as_ptr() as *const libc::c_char,
            &tm,
        )
    };
    (n > 0).then(|| String::from_utf8_lossy(&out[..n]).into_owned())
}

/// "family level type" with "family:N", "cmsg_level:N", "cmsg_type:N" for
/// values that have no name there.
pub fn head(family: i32, level: i32, ctype: i32) -> String {
    let f = constants::family_short(family)
        .map(str::to_owned)
        .unwrap_or_else(|| format!("family:{family}"));
    let l = constants::level_short(family, level)
        .map(str::to_owned)
        .unwrap_or_else(|| format!("cmsg_level:{level}"));
    let t = constants::cmsg_type_short(family, level, ctype)
        .map(str::to_owned)
        .unwrap_or_else(|| format!("cmsg_type:{ctype}"));
    format!("{f} {l} {t}")
}

/// The decoded data for the kinds the stdlib decodes, when the data has the
/// exact shape of their C type; None means "show the raw bytes".
pub fn decode(family: i32, level: i32, ctype: i32, d: &[u8]) -> Option<String> {
    if level == libc::SOL_SOCKET {
        return match ctype {
            libc::SCM_RIGHTS if !d.is_empty() && d.len().is_multiple_of(INT_SIZE) => Some(
                d.chunks_exact(INT_SIZE)
                    .map(|c| cbytes::ne_i32(c, 0).to_string())
                    .collect::<Vec<_>>()
                    .join(" "),
            ),
            libc::SCM_CREDENTIALS if d.len() == UCRED_SIZE => Some(format!(
                // All three unsigned, as the stdlib prints them.
                "pid={} uid={} gid={} (ucred)",
                cbytes::ne_u32(d, 0),
                cbytes::ne_u32(d, 4),
                cbytes::ne_u32(d, 8)
            )),
            libc::SO_TIMESTAMP if d.len() == TIMEVAL_SIZE => local_time_text(cbytes::ne_i64(d, 0))
                .map(|t| format!("{t}.{:06}", cbytes::ne_i64(d, 8))),
            libc::SO_TIMESTAMPNS if d.len() == TIMESPEC_SIZE => {
                local_time_text(cbytes::ne_i64(d, 0))
                    .map(|t| format!("{t}.{:09}", cbytes::ne_i64(d, 8)))
            }
            _ => None,
        };
    }
    if !constants::is_ip_family(family) {
        return None;
    }
    match (level, ctype) {
        (libc::IPPROTO_IP, libc::IP_PKTINFO) if d.len() == IN_PKTINFO_SIZE => {
            let v4 = |at: usize| Ipv4Addr::new(d[at], d[at + 1], d[at + 2], d[at + 3]);
            Some(format!(
                "{} {} spec_dst:{}",
                v4(8),
                iface_text(cbytes::ne_u32(d, 0)),
                v4(4)
            ))
        }
        (libc::IPPROTO_IPV6, libc::IPV6_PKTINFO) if d.len() == IN6_PKTINFO_SIZE => {
            let octets: [u8; 16] = d[..16].try_into().ok()?;
            Some(format!(
                "{} {}",
                sockaddr::ipv6_text(&Ipv6Addr::from(octets)),
                iface_text(cbytes::ne_u32(d, 16))
            ))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(buf: &[u8]) -> Vec<Cmsg<'_>> {
        parse(buf).collect()
    }

    fn msg(level: i32, ctype: i32, data: &[u8]) -> (i32, i32, Vec<u8>) {
        (level, ctype, data.to_vec())
    }

    #[test]
    fn encodes_and_parses_round_trip() {
        let fds = [3i32, 4]
            .iter()
            .flat_map(|f| f.to_ne_bytes())
            .collect::<Vec<_>>();
        let buf = ControlBuf::encode(&[
            msg(libc::SOL_SOCKET, libc::SCM_RIGHTS, &fds),
            msg(libc::IPPROTO_IP, libc::IP_TTL, &[1, 2, 3]),
        ]);
        assert_eq!(buf.len(), space(8) + space(3));
        let parsed = parsed(buf.bytes());
        assert_eq!(parsed.len(), 2);
        assert_eq!(parsed[0].fds().collect::<Vec<_>>(), vec![3, 4]);
        assert_eq!(parsed[1].data, &[1, 2, 3]);
        assert_eq!(parsed[1].fds().count(), 0);
    }

    #[test]
    fn parse_is_safe_on_truncated_and_bogus_buffers() {
        let buf = ControlBuf::encode(&[msg(1, 1, &[9; 12])]);
        let b = buf.bytes();
        for n in 0..b.len() {
            let p = parsed(&b[..n]);
            assert!(p.len() <= 1);
            if n >= HDR_LEN {
                assert_eq!(p[0].data.len(), (n - HDR_LEN).min(12));
            }
        }
        let mut huge = vec![0xffu8; 40];
        huge[..8].copy_from_slice(&usize::MAX.to_ne_bytes());
        assert_eq!(parsed(&huge).len(), 1);
        assert!(parsed(&[0u8; 40]).is_empty());
    }

    #[test]
    fn decodes_like_the_stdlib() {
        assert_eq!(head(libc::AF_UNIX, 1, 1), "UNIX SOCKET RIGHTS");
        assert_eq!(
            head(libc::AF_INET, 99, 42),
            "INET cmsg_level:99 cmsg_type:42"
        );
        assert_eq!(head(999, 1, 42), "family:999 SOCKET cmsg_type:42");
        let fds = [1i32, 2]
            .iter()
            .flat_map(|f| f.to_ne_bytes())
            .collect::<Vec<_>>();
        assert_eq!(decode(libc::AF_UNIX, 1, 1, &fds).as_deref(), Some("1 2"));
        assert_eq!(decode(libc::AF_UNIX, 1, 1, b""), None);
        assert_eq!(decode(libc::AF_UNIX, 1, 1, b"abc"), None);
        let cred = [1i32, 2, 3]
            .iter()
            .flat_map(|f| f.to_ne_bytes())
            .collect::<Vec<_>>();
        assert_eq!(
            decode(0, 1, libc::SCM_CREDENTIALS, &cred).as_deref(),
            Some("pid=1 uid=2 gid=3 (ucred)")
        );
        let pkt = [1, 0, 0, 0, 127, 0, 0, 1, 127, 0, 0, 2];
        let text = decode(libc::AF_INET, 0, libc::IP_PKTINFO, &pkt).unwrap();
        assert!(text.starts_with("127.0.0.2 ") && text.ends_with(" spec_dst:127.0.0.1"));
        assert_eq!(decode(libc::AF_UNIX, 0, libc::IP_PKTINFO, &pkt), None);
        let mut pkt6 = [0u8; 20];
        pkt6[15] = 1;
        pkt6[16..].copy_from_slice(&(-1i32).to_ne_bytes());
        assert_eq!(
            decode(
                libc::AF_INET6,
                libc::IPPROTO_IPV6,
                libc::IPV6_PKTINFO,
                &pkt6
            )
            .as_deref(),
            Some("::1 ifindex:-1")
        );
    }

    mod props {
        use super::super::*;
        use super::parsed;
        use proptest::prelude::*;

        proptest! {
            /// Any bytes parse without panicking or reading outside the buffer,
            /// and every message's data lies inside it.
            #[test]
            fn parse_never_panics(buf in proptest::collection::vec(any::<u8>(), 0..256)) {
                let total: usize = parsed(&buf).iter().map(|m| m.data.len()).sum();
                prop_assert!(total <= buf.len());
                for m in parsed(&buf) {
                    let _ = m.fds().count();
                    let _ = decode(libc::AF_INET, m.level, m.ctype, m.data);
                    let _ = decode(libc::AF_INET6, m.level, m.ctype, m.data);
                }
            }

            /// What encode packs, parse gives back.
            #[test]
            fn round_trips(msgs in proptest::collection::vec(
                (any::<i32>(), any::<i32>(), proptest::collection::vec(any::<u8>(), 0..40)), 0..6)
            ) {
                let buf = ControlBuf::encode(&msgs);
                let parsed = parsed(buf.bytes());
                prop_assert_eq!(parsed.len(), msgs.len());
                for (p, (l, t, d)) in parsed.iter().zip(&msgs) {
                    prop_assert_eq!((p.level, p.ctype, p.data), (*l, *t, &d[..]));
                }
            }

            /// The inspect decoder takes any data for any kind.
            #[test]
            fn decode_never_panics(family in -1i32..40, level in -1i32..300, ctype in -1i32..80,
                                   d in proptest::collection::vec(any::<u8>(), 0..48)) {
                let _ = decode(family, level, ctype, &d);
                let _ = head(family, level, ctype);
            }

            /// The sockaddr decoders take any bytes (recvmsg's msg_name, a
            /// caller's packed String).
            #[test]
            fn sockaddr_decoders_never_panic(b in proptest::collection::vec(any::<u8>(), 0..200),
                                             fam in prop_oneof![Just(0u16), Just(1), Just(2), Just(10), Just(17), any::<u16>()]) {
                let mut b = b;
                if b.len() >= 2 {
                    b[..2].copy_from_slice(&fam.to_ne_bytes());
                }
                let _ = sockaddr::inspect(&b);
                let _ = sockaddr::unpack_un(&b);
                let _ = sockaddr::unpack_ip(&b);
                let _ = sockaddr::family(&b);
            }
        }
    }
}
