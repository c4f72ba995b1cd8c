//! sockaddr bytes: packing, unpacking and the stdlib's inspect text. Knows no
//! Ruby, so `cargo test` covers it.

use std::fmt::Write;
use std::mem::size_of;
use std::net::{Ipv4Addr, Ipv6Addr};

use super::text::Text;

pub const SIN_LEN: usize = size_of::<libc::sockaddr_in>();
pub const SIN6_LEN: usize = size_of::<libc::sockaddr_in6>();
pub const SUN_LEN: usize = size_of::<libc::sockaddr_un>();
pub const SUN_PATH_MAX: usize = SUN_LEN - 2;
pub const STORAGE_LEN: usize = size_of::<libc::sockaddr_storage>();
const SLL_LEN: usize = size_of::<libc::sockaddr_ll>();

/// A sockaddr in a properly aligned buffer, ready for libc calls.
#[derive(Clone)]
pub struct SockAddr {
    storage: libc::sockaddr_storage,
    len: libc::socklen_t,
}

impl SockAddr {
    /// An empty buffer for calls that fill one in (accept, getsockname, recvfrom).
    pub fn buffer() -> Self {
        SockAddr {
            storage: unsafe { std::mem::zeroed() },
            len: STORAGE_LEN as libc::socklen_t,
        }
    }

    /// Copies `bytes`; None when they don't fit a sockaddr_storage.
    pub fn from_bytes(bytes: &[u8]) -> Option<Self> {
        if bytes.len() > STORAGE_LEN {
            return None;
        }
        let mut sa = SockAddr::buffer();
        unsafe {
            std::ptr::copy_nonoverlapping(
                bytes.as_ptr(),
                &mut sa.storage as *mut _ as *mut u8,
                bytes.len(),
            )
        };
        sa.len = bytes.len() as libc::socklen_t;
        Some(sa)
    }

    /// Ready for another call that fills it in: the full length again (the
    /// kernel writes what it reports, so stale bytes past it don't matter).
    pub fn reset(&mut self) {
        self.len = STORAGE_LEN as libc::socklen_t;
    }

    pub fn as_ptr(&self) -> *const libc::sockaddr {
        &self.storage as *const _ as *const libc::sockaddr
    }

    pub fn as_mut_ptr(&mut self) -> *mut libc::sockaddr {
        &mut self.storage as *mut _ as *mut libc::sockaddr
    }

    pub fn len(&self) -> libc::socklen_t {
        self.len
    }

    pub fn len_mut(&mut self) -> &mut libc::socklen_t {
        &mut self.len
    }

    /// The bytes the kernel filled in (never more than the buffer holds).
    pub fn as_bytes(&self) -> &[u8] {
        let n = (self.len as usize).min(STORAGE_LEN);
        unsafe { std::slice::from_raw_parts(&self.storage as *const _ as *const u8, n) }
    }
}

/// The address family of packed bytes, when at least sa_family is present.
pub fn family(bytes: &[u8]) -> Option<i32> {
    (bytes.len() >= 2).then(|| u16::from_ne_bytes([bytes[0], bytes[1]]) as i32)
}

pub fn pack_v4(port: u16, ip: Ipv4Addr) -> [u8; SIN_LEN] {
    let mut out = [0u8; SIN_LEN];
    out[..2].copy_from_slice(&(libc::AF_INET as u16).to_ne_bytes());
    out[2..4].copy_from_slice(&port.to_be_bytes());
    out[4..8].copy_from_slice(&ip.octets());
    out
}

pub fn pack_v6(port: u16, ip: Ipv6Addr, flowinfo: u32, scope_id: u32) -> [u8; SIN6_LEN] {
    let mut out = [0u8; SIN6_LEN];
    out[..2].copy_from_slice(&(libc::AF_INET6 as u16).to_ne_bytes());
    out[2..4].copy_from_slice(&port.to_be_bytes());
    out[4..8].copy_from_slice(&flowinfo.to_be_bytes());
    out[8..24].copy_from_slice(&ip.octets());
    out[24..28].copy_from_slice(&scope_id.to_ne_bytes());
    out
}

/// A full-size sockaddr_un for a path, or an abstract name (leading NUL)
/// packed to its exact length, as the stdlib does. Err(len) when too long.
pub fn pack_un(path: &[u8]) -> Result<Vec<u8>, usize> {
    if path.len() > SUN_PATH_MAX {
        return Err(path.len());
    }
    let mut out = Vec::with_capacity(SUN_LEN);
    out.extend_from_slice(&(libc::AF_UNIX as u16).to_ne_bytes());
    out.extend_from_slice(path);
    if path.first() != Some(&0) && !path.is_empty() {
        out.resize(SUN_LEN, 0);
    }
    Ok(out)
}

/// A full-size sockaddr_un for any name, abstract and empty ones included
/// (as an Addrinfo loaded by Marshal has). Err(len) when too long.
pub fn pack_un_full(path: &[u8]) -> Result<Vec<u8>, usize> {
    let mut out = pack_un(path)?;
    out.resize(SUN_LEN, 0);
    Ok(out)
}

/// An IP socket address as packed bytes say.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ip {
    V4(Ipv4Addr, u16),
    V6(Ipv6Addr, u16, u32),
}

impl Ip {
    pub fn port(&self) -> u16 {
        match *self {
            Ip::V4(_, p) | Ip::V6(_, p, _) => p,
        }
    }
}

/// Decodes an AF_INET/AF_INET6 sockaddr long enough to hold its address.
pub fn unpack_ip(bytes: &[u8]) -> Option<Ip> {
    match family(bytes)? {
        libc::AF_INET if bytes.len() >= 8 => {
            let port = u16::from_be_bytes([bytes[2], bytes[3]]);
            Some(Ip::V4(
                Ipv4Addr::new(bytes[4], bytes[5], bytes[6], bytes[7]),
                port,
            ))
        }
        libc::AF_INET6 if bytes.len() >= SIN6_LEN => {
            let port = u16::from_be_bytes([bytes[2], bytes[3]]);
            let octets: [u8; 16] = bytes[8..24].try_into().ok()?;
            let scope = u32::from_ne_bytes(bytes[24..28].try_into().ok()?);
            Some(Ip::V6(Ipv6Addr::from(octets), port, scope))
        }
        _ => None,
    }
}

/// The path of an AF_UNIX sockaddr: sun_path with trailing NULs removed.
/// None unless the bytes are an AF_UNIX sockaddr no bigger than sockaddr_un.
pub fn unpack_un(bytes: &[u8]) -> Option<&[u8]> {
    if family(bytes)? != libc::AF_UNIX || bytes.len() > SUN_LEN {
        return None;
    }
    Some(trim_trailing_nuls(&bytes[2..]))
}

fn trim_trailing_nuls(b: &[u8]) -> &[u8] {
    let end = b.iter().rposition(|&c| c != 0).map_or(0, |i| i + 1);
    &b[..end]
}

/// IPv6 text as glibc's inet_ntop writes it (RFC 5952 compression, and the
/// dotted-quad tail for IPv4-mapped and IPv4-compatible addresses).
pub fn ipv6_text(ip: &Ipv6Addr) -> String {
    let mut t = Text::new();
    write_ipv6(&mut t, ip);
    t.into_string()
}

fn write_ipv6(out: &mut Text, ip: &Ipv6Addr) {
    let w = ip.segments();
    // Longest run of zero words, at least two long, first one wins ties.
    let (mut best, mut best_len, mut cur, mut cur_len) = (usize::MAX, 0, 0, 0);
    for (i, &word) in w.iter().enumerate() {
        if word == 0 {
            if cur_len == 0 {
                cur = i;
            }
            cur_len += 1;
            if cur_len > best_len {
                best = cur;
                best_len = cur_len;
            }
        } else {
            cur_len = 0;
        }
    }
    if best_len < 2 {
        best = usize::MAX;
    }
    let embedded_v4 = best == 0
        && (best_len == 6 || (best_len == 7 && w[7] != 1) || (best_len == 5 && w[5] == 0xffff));
    let mut i = 0;
    while i < 8 {
        if i == best {
            out.push_ascii(b':');
            i += best_len;
            if i == 8 {
                out.push_ascii(b':');
            }
            continue;
        }
        if i != 0 {
            out.push_ascii(b':');
        }
        if i == 6 && embedded_v4 {
            let o = ip.octets();
            write_ipv4(out, [o[12], o[13], o[14], o[15]]);
            break;
        }
        push_hex(out, w[i]);
        i += 1;
    }
}

/// Dotted-quad text.
fn write_ipv4(out: &mut Text, octets: [u8; 4]) {
    for (i, b) in octets.iter().enumerate() {
        if i > 0 {
            out.push_ascii(b'.');
        }
        out.push_decimal(u64::from(*b));
    }
}

/// Lower-case hex without leading zeros, as inet_ntop writes each word.
fn push_hex(out: &mut Text, word: u16) {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut started = false;
    for shift in [12, 8, 4, 0] {
        let d = (word >> shift) & 0xf;
        if d != 0 || started || shift == 0 {
            out.push_ascii(DIGITS[d as usize]);
            started = true;
        }
    }
}

/// Interface name for a scope id, or its number when there is none.
pub fn scope_text(scope_id: u32) -> String {
    let mut t = Text::new();
    write_scope(&mut t, scope_id);
    t.into_string()
}

fn write_scope(out: &mut Text, scope_id: u32) {
    let mut buf = [0 as libc::c_char; libc::IF_NAMESIZE];
    let p = unsafe { libc::if_indextoname(scope_id, buf.as_mut_ptr()) };
    if p.is_null() {
        out.push_decimal(u64::from(scope_id));
    } else {
        out.push_str(&unsafe { std::ffi::CStr::from_ptr(buf.as_ptr()) }.to_string_lossy());
    }
}

/// Numeric host text as getnameinfo(NI_NUMERICHOST) gives it: "127.0.0.1",
/// "::1", "fe80::1%lo" (link-local scopes by interface name).
pub fn ip_text(ip: &Ip) -> Text {
    let mut t = Text::new();
    write_ip(&mut t, ip);
    t
}

fn write_ip(out: &mut Text, ip: &Ip) {
    match ip {
        Ip::V4(a, _) => write_ipv4(out, a.octets()),
        Ip::V6(a, _, scope) => {
            write_ipv6(out, a);
            if *scope != 0 {
                out.push_ascii(b'%');
                let link_local = (a.segments()[0] & 0xffc0) == 0xfe80;
                let mc_link_local = a.octets()[0] == 0xff && (a.octets()[1] & 0x0f) == 0x02;
                if link_local || mc_link_local {
                    write_scope(out, *scope);
                } else {
                    out.push_decimal(u64::from(*scope));
                }
            }
        }
    }
}

/// Parses numeric host text without the resolver: dotted quads, IPv6 (with
/// "%scope" by number or interface name). Other forms go to getaddrinfo.
pub fn parse_numeric(host: &str) -> Option<Ip> {
    if let Ok(v4) = host.parse::<Ipv4Addr>() {
        return Some(Ip::V4(v4, 0));
    }
    let (addr, scope) = match host.split_once('%') {
        Some((a, s)) => (a, Some(s)),
        None => (host, None),
    };
    let v6 = addr.parse::<Ipv6Addr>().ok()?;
    let scope_id = match scope {
        None => 0,
        Some(s) => scope_id(&v6, s)?,
    };
    Some(Ip::V6(v6, 0, scope_id))
}

/// A "%scope" as glibc's getaddrinfo reads it: an interface name only for
/// link-local and node- or link-local multicast addresses, else a decimal
/// number that fits 32 bits.
fn scope_id(addr: &Ipv6Addr, scope: &str) -> Option<u32> {
    let o = addr.octets();
    let link_scoped =
        (o[0] == 0xfe && o[1] & 0xc0 == 0x80) || (o[0] == 0xff && matches!(o[1] & 0x0f, 0x1 | 0x2));
    if link_scoped {
        if let Ok(c) = std::ffi::CString::new(scope) {
            match unsafe { libc::if_nametoindex(c.as_ptr()) } {
                0 => {}
                n => return Some(n),
            }
        }
    }
    if !scope.is_empty() && scope.bytes().all(|b| b.is_ascii_digit()) {
        return scope.parse().ok();
    }
    None
}

/// The stdlib's text for a sockaddr, as Addrinfo#inspect_sockaddr and the
/// "connect(2) for ..." error messages show it.
pub fn inspect(bytes: &[u8]) -> String {
    let mut t = Text::new();
    write_inspect(&mut t, bytes);
    t.into_string()
}

/// `inspect`, written onto the end of `s`.
pub fn write_inspect(s: &mut Text, bytes: &[u8]) {
    if bytes.is_empty() {
        return s.push_str("empty-sockaddr");
    }
    let Some(fam) = family(bytes) else {
        return s.push_str("too-short-sockaddr");
    };
    let len = bytes.len();
    match fam {
        libc::AF_UNSPEC => s.push_str("UNSPEC"),
        libc::AF_INET => inspect_in(s, bytes),
        libc::AF_INET6 => {
            if len < SIN6_LEN {
                let _ = write!(s, "too-short-AF_INET6-sockaddr {len} bytes");
                return;
            }
            let ip = unpack_ip(bytes).expect("length checked");
            write_ip_port(s, &ip);
            if len > SIN6_LEN {
                // No space before it, unlike the AF_INET note.
                let _ = write!(s, "(sockaddr {} bytes too long)", len - SIN6_LEN);
            }
        }
        libc::AF_UNIX => inspect_un(s, &bytes[2..]),
        libc::AF_PACKET => inspect_ll(s, bytes),
        other => match super::constants::name("AF_", other as i64) {
            Some(name) => {
                let _ = write!(s, "{name} address format unknown");
            }
            None => {
                let _ = write!(s, "unknown address family {other}");
            }
        },
    }
}

/// "127.0.0.1:80", "[::1]:80"; the port is left out when 0.
fn write_ip_port(s: &mut Text, ip: &Ip) {
    let port = ip.port();
    let bracket = port != 0 && matches!(ip, Ip::V6(..));
    if bracket {
        s.push_ascii(b'[');
    }
    write_ip(s, ip);
    if bracket {
        s.push_ascii(b']');
    }
    if port != 0 {
        s.push_ascii(b':');
        s.push_decimal(u64::from(port));
    }
}

fn inspect_in(s: &mut Text, bytes: &[u8]) {
    let len = bytes.len();
    for i in 0..4 {
        if i > 0 {
            s.push_ascii(b'.');
        }
        match bytes.get(4 + i) {
            Some(&b) if len > 4 + i => s.push_decimal(u64::from(b)),
            _ => s.push_ascii(b'?'),
        }
    }
    // The stdlib shows the port once the bytes go past it.
    if len > 4 {
        let port = u16::from_be_bytes([bytes[2], bytes[3]]);
        if port != 0 {
            s.push_ascii(b':');
            s.push_decimal(u64::from(port));
        }
    } else {
        s.push_str(":?");
    }
    if len != SIN_LEN {
        let _ = write!(s, " ({len} bytes for {SIN_LEN} bytes sockaddr_in)");
    }
}

fn inspect_un(s: &mut Text, path: &[u8]) {
    let path = trim_trailing_nuls(path);
    if path.is_empty() {
        return s.push_str("empty-path-AF_UNIX-sockaddr");
    }
    let printable = path.iter().all(|&c| c.is_ascii_graphic());
    if printable {
        if path[0] != b'/' {
            s.push_str("UNIX ");
        }
        s.push_str(&String::from_utf8_lossy(path));
    } else {
        s.push_str("UNIX");
        for b in path {
            let _ = write!(s, ":{b:02x}");
        }
    }
}

/// sockaddr_ll, as Socket.getifaddrs shows AF_PACKET addresses:
/// "PACKET[protocol=0 lo hatype=772 HOST hwaddr=00:00:00:00:00:00]". Each
/// field appears only when the bytes reach it; a length that disagrees with
/// sll_halen shows "halen=N" and a "(N bytes for 20 bytes sockaddr_ll)" note.
fn inspect_ll(s: &mut Text, bytes: &[u8]) {
    let len = bytes.len();
    s.push_str("PACKET");
    let mut first = true;
    // Opens a field: "[" before the first, " " before the others.
    let mut sep = |s: &mut Text| {
        s.push(if first { '[' } else { ' ' });
        first = false;
    };
    if len >= 4 {
        sep(s);
        let proto = u16::from_be_bytes([bytes[2], bytes[3]]);
        let _ = write!(s, "protocol={proto}");
    }
    if len >= 8 {
        sep(s);
        let ifindex = i32::from_ne_bytes([bytes[4], bytes[5], bytes[6], bytes[7]]);
        let mut name = [0 as libc::c_char; libc::IF_NAMESIZE];
        let p = unsafe { libc::if_indextoname(ifindex as u32, name.as_mut_ptr()) };
        if p.is_null() {
            let _ = write!(s, "ifindex={ifindex}");
        } else {
            s.push_str(&unsafe { std::ffi::CStr::from_ptr(name.as_ptr()) }.to_string_lossy());
        }
    }
    if len >= 10 {
        sep(s);
        let hatype = u16::from_ne_bytes([bytes[8], bytes[9]]);
        let _ = write!(s, "hatype={hatype}");
    }
    if len >= 11 {
        sep(s);
        match bytes[10] {
            0 => s.push_str("HOST"),
            1 => s.push_str("BROADCAST"),
            2 => s.push_str("MULTICAST"),
            3 => s.push_str("OTHERHOST"),
            4 => s.push_str("OUTGOING"),
            t => {
                let _ = write!(s, "pkttype={t}");
            }
        }
    }
    let halen = bytes.get(11).map(|&h| h as usize);
    let consistent = halen.is_some_and(|h| len == 12 + h);
    if !consistent {
        sep(s);
        if let Some(h) = halen {
            let _ = write!(s, "halen={h}");
        }
    }
    if len > 12 {
        sep(s);
        s.push_str("hwaddr");
        let shown = halen.unwrap_or(0).min(len - 12);
        for (i, b) in bytes[12..12 + shown].iter().enumerate() {
            s.push(if i == 0 { '=' } else { ':' });
            let _ = write!(s, "{b:02x}");
        }
    }
    if !consistent {
        sep(s);
        let _ = write!(s, "({len} bytes for {SLL_LEN} bytes sockaddr_ll)");
    }
    s.push(']');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packs_ipv4_like_the_stdlib() {
        let b = pack_v4(80, Ipv4Addr::new(127, 0, 0, 1));
        assert_eq!(&b[..], b"\x02\x00\x00P\x7f\x00\x00\x01\0\0\0\0\0\0\0\0");
        assert_eq!(unpack_ip(&b), Some(Ip::V4(Ipv4Addr::LOCALHOST, 80)));
    }

    #[test]
    fn packs_unix_paths_full_size_and_abstract_names_exact() {
        assert_eq!(pack_un(b"/tmp/s").unwrap().len(), SUN_LEN);
        assert_eq!(pack_un(b"\0abs").unwrap(), b"\x01\x00\x00abs");
        assert_eq!(pack_un(b"").unwrap(), b"\x01\x00");
        assert_eq!(pack_un(&[b'x'; 200]), Err(200));
        assert_eq!(
            unpack_un(&pack_un(b"/tmp/s").unwrap()),
            Some(&b"/tmp/s"[..])
        );
    }

    #[test]
    fn formats_ipv6_as_inet_ntop() {
        let t = |s: &str| ipv6_text(&s.parse().unwrap());
        assert_eq!(t("::1"), "::1");
        assert_eq!(t("::"), "::");
        assert_eq!(t("::ffff:1.2.3.4"), "::ffff:1.2.3.4");
        assert_eq!(t("::1.2.3.4"), "::1.2.3.4");
        assert_eq!(t("::2"), "::2");
        assert_eq!(t("1:0:0:1:0:0:0:1"), "1:0:0:1::1");
        assert_eq!(t("1:0:1:0:1:0:1:0"), "1:0:1:0:1:0:1:0");
        assert_eq!(t("fe80::1"), "fe80::1");
        assert_eq!(t("2001:db8::"), "2001:db8::");
    }

    #[test]
    fn inspects_like_the_stdlib() {
        assert_eq!(inspect(&pack_v4(80, Ipv4Addr::LOCALHOST)), "127.0.0.1:80");
        assert_eq!(inspect(&pack_v4(0, Ipv4Addr::LOCALHOST)), "127.0.0.1");
        assert_eq!(
            inspect(b"\x02\x00"),
            "?.?.?.?:? (2 bytes for 16 bytes sockaddr_in)"
        );
        assert_eq!(
            inspect(b"\x02\x00\x00P"),
            "?.?.?.?:? (4 bytes for 16 bytes sockaddr_in)"
        );
        assert_eq!(
            inspect(b"\x02\x00\x00P\x7f\x00\x00"),
            "127.0.0.?:80 (7 bytes for 16 bytes sockaddr_in)"
        );
        assert_eq!(inspect(&pack_v6(80, Ipv6Addr::LOCALHOST, 0, 0)), "[::1]:80");
        let mut long = pack_v6(80, Ipv6Addr::LOCALHOST, 0, 0).to_vec();
        long.extend_from_slice(b"abc");
        assert_eq!(inspect(&long), "[::1]:80(sockaddr 3 bytes too long)");
        assert_eq!(
            inspect(b"\x0a\x00\x00P"),
            "too-short-AF_INET6-sockaddr 4 bytes"
        );
        assert_eq!(inspect(b"\x01\x00"), "empty-path-AF_UNIX-sockaddr");
        assert_eq!(inspect(b"\x01\x00\x00abs"), "UNIX:00:61:62:73");
        assert_eq!(inspect(&pack_un(b"rel").unwrap()), "UNIX rel");
        assert_eq!(inspect(&pack_un(b"/tmp/s").unwrap()), "/tmp/s");
        assert_eq!(inspect(b"c\x00abc"), "unknown address family 99");
        assert_eq!(inspect(b"\x03\x00abc"), "AF_AX25 address format unknown");
        assert_eq!(inspect(b"\x00\x00abc"), "UNSPEC");
        assert_eq!(inspect(b"x"), "too-short-sockaddr");
        assert_eq!(inspect(b""), "empty-sockaddr");
    }

    fn ll(pkttype: u8, halen: u8, addr: &[u8], len: usize) -> Vec<u8> {
        let mut b = (libc::AF_PACKET as u16).to_ne_bytes().to_vec();
        b.extend_from_slice(&3u16.to_be_bytes());
        b.extend_from_slice(&0i32.to_ne_bytes());
        b.extend_from_slice(&1u16.to_ne_bytes());
        b.extend_from_slice(&[pkttype, halen]);
        b.extend_from_slice(addr);
        b.resize(len, 0);
        b
    }

    #[test]
    fn inspects_packet_addresses_like_the_stdlib() {
        let mac = [1, 2, 3, 4, 5, 6];
        assert_eq!(
            inspect(&ll(0, 6, &mac, 18)),
            "PACKET[protocol=3 ifindex=0 hatype=1 HOST hwaddr=01:02:03:04:05:06]"
        );
        assert_eq!(
            inspect(&ll(5, 0, &[], 12)),
            "PACKET[protocol=3 ifindex=0 hatype=1 pkttype=5]"
        );
        assert_eq!(
            inspect(&ll(1, 6, &mac, 15)),
            "PACKET[protocol=3 ifindex=0 hatype=1 BROADCAST halen=6 hwaddr=01:02:03 (15 bytes for 20 bytes sockaddr_ll)]"
        );
        assert_eq!(
            inspect(&ll(0, 6, &mac, 11)),
            "PACKET[protocol=3 ifindex=0 hatype=1 HOST  (11 bytes for 20 bytes sockaddr_ll)]"
        );
        assert_eq!(
            inspect(&ll(0, 6, &mac, 3)),
            "PACKET[ (3 bytes for 20 bytes sockaddr_ll)]"
        );
    }

    #[test]
    fn parses_numeric_hosts_without_the_resolver() {
        assert_eq!(
            parse_numeric("127.0.0.1"),
            Some(Ip::V4(Ipv4Addr::LOCALHOST, 0))
        );
        assert_eq!(
            parse_numeric("::1"),
            Some(Ip::V6(Ipv6Addr::LOCALHOST, 0, 0))
        );
        assert_eq!(
            parse_numeric("fe80::1%1"),
            Some(Ip::V6("fe80::1".parse().unwrap(), 0, 1))
        );
        assert_eq!(parse_numeric("localhost"), None);
        assert_eq!(parse_numeric("127.1"), None);
    }
}
