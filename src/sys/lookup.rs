//! Name lookups without Ruby: numeric hosts and ports answered in Rust (as
//! the stdlib answers them without getaddrinfo), libc's getaddrinfo and
//! getnameinfo copied into Rust values, and glibc's reentrant service and
//! host database lookups. glue/resolver.rs runs these off the GVL.

use std::ffi::{c_void, CStr};

use crate::sys::text::Text;
use crate::sys::{fd, sockaddr};

/// The most sockaddr bytes Socket.getnameinfo takes, as the stdlib's buffer.
pub const MAX_SOCKADDR_LEN: usize = 2048;

/// getnameinfo flags for numbers only.
pub const NUMERIC: i32 = libc::NI_NUMERICHOST | libc::NI_NUMERICSERV;

/// One getaddrinfo answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Resolved {
    pub family: i32,
    pub socktype: i32,
    pub protocol: i32,
    /// packed sockaddr
    pub addr: Vec<u8>,
    pub canonname: Option<String>,
}

/// A failed lookup: the EAI_* code, and for EAI_SYSTEM the helper's errno.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GaiError {
    pub code: i32,
    pub errno: i32,
}

impl GaiError {
    pub fn new(code: i32) -> Self {
        GaiError { code, errno: 0 }
    }
}

pub fn gai_message(code: i32) -> String {
    let p = unsafe { libc::gai_strerror(code) };
    if p.is_null() {
        return format!("Unknown error {code}");
    }
    unsafe { CStr::from_ptr(p) }.to_string_lossy().into_owned()
}

pub const NI_MAXHOST: usize = 1025;

pub const NI_MAXSERV: usize = 32;

/// A port the stdlib takes as numeric without getaddrinfo: nothing, or only
/// digits with a value below 65536.
pub fn numeric_port(service: Option<&str>) -> Option<u16> {
    match service {
        None => Some(0),
        Some(s) if s.bytes().all(|b| b.is_ascii_digit()) => {
            let digits = s.trim_start_matches('0');
            if digits.len() > 5 {
                return None;
            }
            if digits.is_empty() {
                return Some(0);
            }
            digits
                .parse::<u32>()
                .ok()
                .filter(|&n| n < 0x10000)
                .map(|n| n as u16)
        }
        Some(_) => None,
    }
}

/// The stdlib's resolver-free answer for a numeric host and port: STREAM/TCP,
/// DGRAM/UDP and RAW entries filtered by the hints. None when it does not
/// apply, and getaddrinfo must decide.
pub fn numeric_lookup(
    host: Option<&str>,
    service: Option<&str>,
    family: i32,
    socktype: i32,
    protocol: i32,
) -> Option<Vec<Resolved>> {
    numeric_lookup_port(host?, numeric_port(service)?, family, socktype, protocol)
}

/// `numeric_lookup` with the port already a number.
pub fn numeric_lookup_port(
    host: &str,
    port: u16,
    family: i32,
    socktype: i32,
    protocol: i32,
) -> Option<Vec<Resolved>> {
    const LIST: [(i32, i32); 3] = [
        (libc::SOCK_STREAM, libc::IPPROTO_TCP),
        (libc::SOCK_DGRAM, libc::IPPROTO_UDP),
        (libc::SOCK_RAW, 0),
    ];
    let sa = numeric_sockaddr(host, port, family)?;
    let addr = sa.as_bytes().to_vec();
    let fam = sockaddr::family(&addr)?;
    let out: Vec<Resolved> = LIST
        .iter()
        .filter(|(st, pr)| {
            (socktype == 0 || socktype == *st) && (protocol == 0 || *pr == 0 || protocol == *pr)
        })
        .map(|&(st, pr)| Resolved {
            family: fam,
            socktype: st,
            protocol: if protocol != 0 { protocol } else { pr },
            addr: addr.clone(),
            canonname: None,
        })
        .collect();
    (!out.is_empty()).then_some(out)
}

/// The sockaddr of a numeric host in the forms the stdlib answers without
/// the resolver (a dotted quad, or IPv6 text without a scope) for `family`
/// (AF_UNSPEC: either), or None.
pub fn numeric_sockaddr(host: &str, port: u16, family: i32) -> Option<sockaddr::SockAddr> {
    let any = family == libc::AF_UNSPEC;
    // A host is an IPv4 or an IPv6 address, never both.
    if host.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        let a = host.parse::<std::net::Ipv4Addr>().ok()?;
        (any || family == libc::AF_INET)
            .then(|| sockaddr::SockAddr::from_bytes(&sockaddr::pack_v4(port, a)))?
    } else if host
        .bytes()
        .all(|b| b.is_ascii_hexdigit() || b == b'.' || b == b':')
    {
        let a = host.parse::<std::net::Ipv6Addr>().ok()?;
        (any || family == libc::AF_INET6)
            .then(|| sockaddr::SockAddr::from_bytes(&sockaddr::pack_v6(port, a, 0, 0)))?
    } else {
        None
    }
}

/// Whether strtoul(s, &end, 10) consumes all of a non-empty `s`.
pub fn strtoul_whole(s: &str) -> bool {
    let t = s.trim_start_matches([' ', '\t', '\n', '\x0b', '\x0c', '\r']);
    let t = t.strip_prefix(['+', '-']).unwrap_or(t);
    !s.is_empty() && !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit())
}

#[derive(Clone, Copy)]
pub struct Hints {
    pub family: i32,
    pub socktype: i32,
    pub protocol: i32,
    pub flags: i32,
}

/// libc's getaddrinfo, copied into Rust values and freed at once. Runs on the
/// helper thread: errno for EAI_SYSTEM is read here, where it was set.
pub fn getaddrinfo(
    node: Option<&CStr>,
    service: Option<&CStr>,
    h: Hints,
) -> Result<Vec<Resolved>, GaiError> {
    let mut hints: libc::addrinfo = unsafe { std::mem::zeroed() };
    hints.ai_family = h.family;
    hints.ai_socktype = h.socktype;
    hints.ai_protocol = h.protocol;
    hints.ai_flags = h.flags;
    let mut res: *mut libc::addrinfo = std::ptr::null_mut();
    let code = unsafe {
        libc::getaddrinfo(
            node.map_or(std::ptr::null(), |c| c.as_ptr()),
            service.map_or(std::ptr::null(), |c| c.as_ptr()),
            &hints,
            &mut res,
        )
    };
    if code != 0 {
        return Err(GaiError {
            code,
            errno: fd::errno(),
        });
    }
    let mut out = Vec::new();
    let mut p = res;
    while !p.is_null() {
        let ai = unsafe { &*p };
        let addr = if ai.ai_addr.is_null() {
            Vec::new()
        } else {
            unsafe { std::slice::from_raw_parts(ai.ai_addr as *const u8, ai.ai_addrlen as usize) }
                .to_vec()
        };
        let canonname = (!ai.ai_canonname.is_null()).then(|| {
            unsafe { CStr::from_ptr(ai.ai_canonname) }
                .to_string_lossy()
                .into_owned()
        });
        out.push(Resolved {
            family: ai.ai_family,
            socktype: ai.ai_socktype,
            protocol: ai.ai_protocol,
            addr,
            canonname,
        });
        p = ai.ai_next;
    }
    unsafe { libc::freeaddrinfo(res) };
    Ok(out)
}

pub fn numeric_nameinfo(sa: &[u8], flags: i32) -> Option<(String, String)> {
    let harmless = NUMERIC | libc::NI_DGRAM | libc::NI_NOFQDN;
    if flags & NUMERIC != NUMERIC || flags & !harmless != 0 {
        return None;
    }
    let (host, port) = numeric_host_port(sa)?;
    Some((host.into_string(), port.to_string()))
}

/// The host text and port of a well-formed IP sockaddr, as getnameinfo with
/// NI_NUMERICHOST | NI_NUMERICSERV gives them; the host on the stack.
pub fn numeric_host_port(sa: &[u8]) -> Option<(Text, u16)> {
    let ip = match sockaddr::family(sa)? {
        libc::AF_INET if sa.len() == sockaddr::SIN_LEN => sockaddr::unpack_ip(sa)?,
        libc::AF_INET6 if sa.len() == sockaddr::SIN6_LEN => sockaddr::unpack_ip(sa)?,
        _ => return None,
    };
    Some((sockaddr::ip_text(&ip), ip.port()))
}

/// libc's getnameinfo: the host and service as bytes (a UNIX socket's
/// "service" is its path, which need not be UTF-8).
pub fn getnameinfo_libc(sa: &[u8], flags: i32) -> Result<(Vec<u8>, Vec<u8>), GaiError> {
    // Socket.getnameinfo passes up to MAX_SOCKADDR_LEN bytes, more than a
    // sockaddr_storage holds; glibc reads only what the family needs.
    #[repr(C, align(8))]
    struct Buf([u8; MAX_SOCKADDR_LEN]);
    if sa.len() > MAX_SOCKADDR_LEN {
        return Err(GaiError::new(libc::EAI_FAMILY));
    }
    let mut buf = Buf([0; MAX_SOCKADDR_LEN]);
    buf.0[..sa.len()].copy_from_slice(sa);
    let mut host = [0 as libc::c_char; NI_MAXHOST];
    // Room for a UNIX socket's path, which glibc gives as the service.
    let mut serv = [0 as libc::c_char; MAX_SOCKADDR_LEN];
    let code = unsafe {
        libc::getnameinfo(
            buf.0.as_ptr() as *const libc::sockaddr,
            sa.len() as libc::socklen_t,
            host.as_mut_ptr(),
            host.len() as libc::socklen_t,
            serv.as_mut_ptr(),
            serv.len() as libc::socklen_t,
            flags,
        )
    };
    if code != 0 {
        return Err(GaiError {
            code,
            errno: fd::errno(),
        });
    }
    let bytes = |b: &[libc::c_char]| unsafe { CStr::from_ptr(b.as_ptr()) }.to_bytes().to_vec();
    Ok((bytes(&host), bytes(&serv)))
}

// glibc's reentrant database lookups (the libc crate lacks them).
extern "C" {
    fn getservbyname_r(
        name: *const libc::c_char,
        proto: *const libc::c_char,
        result_buf: *mut libc::servent,
        buf: *mut libc::c_char,
        buflen: libc::size_t,
        result: *mut *mut libc::servent,
    ) -> libc::c_int;
    fn getservbyport_r(
        port: libc::c_int,
        proto: *const libc::c_char,
        result_buf: *mut libc::servent,
        buf: *mut libc::c_char,
        buflen: libc::size_t,
        result: *mut *mut libc::servent,
    ) -> libc::c_int;
    fn gethostbyname_r(
        name: *const libc::c_char,
        ret: *mut libc::hostent,
        buf: *mut libc::c_char,
        buflen: libc::size_t,
        result: *mut *mut libc::hostent,
        h_errnop: *mut libc::c_int,
    ) -> libc::c_int;
    fn gethostbyaddr_r(
        addr: *const c_void,
        len: libc::socklen_t,
        family: libc::c_int,
        ret: *mut libc::hostent,
        buf: *mut libc::c_char,
        buflen: libc::size_t,
        result: *mut *mut libc::hostent,
        h_errnop: *mut libc::c_int,
    ) -> libc::c_int;
}

/// Calls a *_r lookup with a buffer that grows while it says ERANGE.
/// None when nothing was found (or the buffer would grow past 1 MiB).
fn with_buffer<T, R>(
    mut call: impl FnMut(*mut T, &mut [u8], *mut *mut T) -> libc::c_int,
    read: impl FnOnce(&T) -> R,
) -> Option<R> {
    let mut size = 1024;
    loop {
        let mut entry: T = unsafe { std::mem::zeroed() };
        let mut buf = vec![0u8; size];
        let mut result: *mut T = std::ptr::null_mut();
        let rc = call(&mut entry, &mut buf, &mut result);
        if rc == libc::ERANGE && size < 1 << 20 {
            size *= 4;
            continue;
        }
        if rc != 0 || result.is_null() {
            return None;
        }
        return Some(read(unsafe { &*result }));
    }
}

pub fn serv_by_name(name: &CStr, proto: &CStr) -> Option<u16> {
    with_buffer(
        |entry: *mut libc::servent, buf, result| unsafe {
            getservbyname_r(
                name.as_ptr(),
                proto.as_ptr(),
                entry,
                buf.as_mut_ptr() as *mut libc::c_char,
                buf.len(),
                result,
            )
        },
        |s| u16::from_be(s.s_port as u16),
    )
}

pub fn serv_by_port(port: u16, proto: &CStr) -> Option<Vec<u8>> {
    with_buffer(
        |entry: *mut libc::servent, buf, result| unsafe {
            getservbyport_r(
                port.to_be() as libc::c_int,
                proto.as_ptr(),
                entry,
                buf.as_mut_ptr() as *mut libc::c_char,
                buf.len(),
                result,
            )
        },
        |s| unsafe { CStr::from_ptr(s.s_name) }.to_bytes().to_vec(),
    )
}

/// A struct hostent copied into Rust values.
pub struct HostEntry {
    pub name: Vec<u8>,
    pub aliases: Vec<Vec<u8>>,
    pub addrtype: i32,
    pub addrs: Vec<Vec<u8>>,
}

fn copy_hostent(h: &libc::hostent) -> HostEntry {
    let mut aliases = Vec::new();
    let mut addrs = Vec::new();
    unsafe {
        let mut p = h.h_aliases;
        while !p.is_null() && !(*p).is_null() {
            aliases.push(CStr::from_ptr(*p).to_bytes().to_vec());
            p = p.add(1);
        }
        let mut p = h.h_addr_list;
        while !p.is_null() && !(*p).is_null() {
            addrs.push(
                std::slice::from_raw_parts(*p as *const u8, h.h_length.max(0) as usize).to_vec(),
            );
            p = p.add(1);
        }
    }
    let name = if h.h_name.is_null() {
        Vec::new()
    } else {
        unsafe { CStr::from_ptr(h.h_name) }.to_bytes().to_vec()
    };
    HostEntry {
        name,
        aliases,
        addrtype: h.h_addrtype,
        addrs,
    }
}

pub fn host_by_name(name: &CStr) -> Option<HostEntry> {
    let mut herr = 0;
    with_buffer(
        |entry: *mut libc::hostent, buf, result| unsafe {
            gethostbyname_r(
                name.as_ptr(),
                entry,
                buf.as_mut_ptr() as *mut libc::c_char,
                buf.len(),
                result,
                &mut herr,
            )
        },
        copy_hostent,
    )
}

pub fn host_by_addr(addr: &[u8], family: i32) -> Option<HostEntry> {
    let mut herr = 0;
    with_buffer(
        |entry: *mut libc::hostent, buf, result| unsafe {
            gethostbyaddr_r(
                addr.as_ptr() as *const c_void,
                addr.len() as libc::socklen_t,
                family,
                entry,
                buf.as_mut_ptr() as *mut libc::c_char,
                buf.len(),
                result,
                &mut herr,
            )
        },
        copy_hostent,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::CString;

    fn libc_lookup(
        host: &str,
        port: Option<&str>,
        family: i32,
        socktype: i32,
        protocol: i32,
    ) -> Option<Vec<Resolved>> {
        let node = CString::new(host).unwrap();
        let serv = port.map(|p| CString::new(p).unwrap());
        let h = Hints {
            family,
            socktype,
            protocol,
            flags: libc::AI_NUMERICHOST | libc::AI_NUMERICSERV,
        };
        getaddrinfo(Some(&node), serv.as_deref(), h).ok()
    }

    #[test]
    fn numeric_answers_match_getaddrinfo() {
        for host in [
            "127.0.0.1",
            "::1",
            "0.0.0.0",
            "::ffff:1.2.3.4",
            "255.255.255.255",
        ] {
            for port in [None, Some("80"), Some("0"), Some("65535")] {
                for family in [libc::AF_UNSPEC, libc::AF_INET, libc::AF_INET6] {
                    for socktype in [0, libc::SOCK_STREAM, libc::SOCK_DGRAM, libc::SOCK_RAW] {
                        for protocol in [0, libc::IPPROTO_TCP, libc::IPPROTO_UDP] {
                            // Here the stdlib adds a RAW entry glibc leaves out
                            // (the specs check that against the stdlib itself).
                            if socktype == 0 && protocol != 0 {
                                continue;
                            }
                            let ours = numeric_lookup(Some(host), port, family, socktype, protocol);
                            let theirs = libc_lookup(host, port, family, socktype, protocol);
                            if let (Some(o), Some(t)) = (&ours, &theirs) {
                                assert_eq!(o, t, "{host} {port:?} {family} {socktype} {protocol}");
                            }
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn numeric_ports_are_digits_below_65536() {
        assert_eq!(numeric_port(None), Some(0));
        assert_eq!(numeric_port(Some("")), Some(0));
        assert_eq!(numeric_port(Some("00080")), Some(80));
        assert_eq!(numeric_port(Some("65536")), None);
        assert_eq!(numeric_port(Some("-1")), None);
        assert_eq!(numeric_port(Some("http")), None);
        assert_eq!(numeric_port(Some("99999999999999999999999")), None);
    }

    #[test]
    fn numeric_hosts_only_in_the_stdlib_forms() {
        assert!(numeric_lookup(Some("127.1"), None, 0, 0, 0).is_none());
        assert!(numeric_lookup(Some("fe80::1%1"), None, 0, 0, 0).is_none());
        assert!(numeric_lookup(Some("127.0.0.1"), None, libc::AF_INET6, 0, 0).is_none());
        assert!(numeric_lookup(
            Some("127.0.0.1"),
            None,
            0,
            libc::SOCK_DGRAM,
            libc::IPPROTO_TCP
        )
        .is_none());
        let raw = numeric_lookup(Some("127.0.0.1"), Some("80"), 0, 0, 132).unwrap();
        assert_eq!(raw.len(), 1);
        assert_eq!((raw[0].socktype, raw[0].protocol), (libc::SOCK_RAW, 132));
    }

    #[test]
    fn numeric_nameinfo_is_text() {
        let sa = sockaddr::pack_v4(80, std::net::Ipv4Addr::LOCALHOST);
        let f = libc::NI_NUMERICHOST | libc::NI_NUMERICSERV;
        assert_eq!(
            numeric_nameinfo(&sa, f),
            Some(("127.0.0.1".into(), "80".into()))
        );
        let bytes = |(h, s): (String, String)| (h.into_bytes(), s.into_bytes());
        assert_eq!(
            numeric_nameinfo(&sa, f).map(bytes),
            getnameinfo_libc(&sa, f).ok()
        );
        assert_eq!(numeric_nameinfo(&sa[..10], f), None);
        assert_eq!(numeric_nameinfo(&sa, libc::NI_NUMERICHOST), None);
    }

    #[test]
    fn strtoul_whole_like_c() {
        assert!(strtoul_whole("80"));
        assert!(strtoul_whole("-1"));
        assert!(strtoul_whole(" 8"));
        assert!(!strtoul_whole(""));
        assert!(!strtoul_whole("8 "));
        assert!(!strtoul_whole("http"));
    }
}
