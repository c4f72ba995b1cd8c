//! Socket::Option: a socket option's family, level, name and raw data, as
//! BasicSocket#getsockopt returns it. A plain object: the four parts live in
//! hidden instance variables (names without "@"), as in the stdlib, so dup,
//! clone and Marshal carry them. Decoding for #inspect is pure Rust.

use std::net::{Ipv4Addr, Ipv6Addr};

use magnus::{
    function, method,
    prelude::*,
    rb_sys::{AsRawValue, FromRawValue},
    Error, RArray, RClass, RString, Ruby, Value,
};

use crate::glue::objects::{int_value, new_option, store_option};
use crate::{glue::args, glue::errors, glue::hidden, sys::cbytes, sys::constants, sys::sockaddr};

const INT_SIZE: usize = std::mem::size_of::<libc::c_int>();

const LINGER_SIZE: usize = std::mem::size_of::<libc::linger>();

const TIMEVAL_SIZE: usize = std::mem::size_of::<libc::timeval>();

const UCRED_SIZE: usize = std::mem::size_of::<libc::ucred>();

const MREQ_SIZE: usize = std::mem::size_of::<libc::ip_mreq>();

const MREQN_SIZE: usize = std::mem::size_of::<libc::ip_mreqn>();

const IPV6_MREQ_SIZE: usize = std::mem::size_of::<libc::ipv6_mreq>();

/// glibc's <netinet/tcp.h> struct tcp_info, the layout the stdlib decodes.
const TCP_INFO_SIZE: usize = 104;

// ---- Ruby methods ----

fn initialize(
    rb_self: Value,
    family: Value,
    level: Value,
    optname: Value,
    data: Value,
) -> Result<Value, Error> {
    let family = args::family(family)?;
    let level = args::level(family, level)?;
    let optname = args::optname(family, level, optname)?;
    let data = args::string_value(data)?;
    store_option(rb_self, family, level, optname, data.as_value())?;
    Ok(rb_self)
}

fn family(rb_self: Value) -> Value {
    hidden::get(rb_self, &hidden::FAMILY)
}

fn level_of(rb_self: Value) -> Result<i32, Error> {
    args::num2int(hidden::get(rb_self, &hidden::LEVEL))
}

fn optname_of(rb_self: Value) -> Result<i32, Error> {
    args::num2int(hidden::get(rb_self, &hidden::OPTNAME))
}

fn family_of(rb_self: Value) -> Result<i32, Error> {
    args::num2int(hidden::get(rb_self, &hidden::FAMILY))
}

fn level(rb_self: Value) -> Result<i32, Error> {
    level_of(rb_self)
}

fn optname(rb_self: Value) -> Result<i32, Error> {
    optname_of(rb_self)
}

fn data(rb_self: Value) -> Result<RString, Error> {
    args::string_value(hidden::get(rb_self, &hidden::DATA))
}

fn data_bytes(rb_self: Value) -> Result<Vec<u8>, Error> {
    let s = data(rb_self)?;
    Ok(unsafe { s.as_slice() }.to_vec())
}

fn size_differ(what: &str, expected: usize, got: usize) -> Error {
    errors::type_error(format!(
        "size differ.  expected as sizeof({what})={expected} but {got}"
    ))
}

fn int(rb_self: Value) -> Result<i32, Error> {
    let d = data_bytes(rb_self)?;
    if d.len() != INT_SIZE {
        return Err(size_differ("int", INT_SIZE, d.len()));
    }
    Ok(cbytes::ne_i32(&d, 0))
}

/// An int, or a single byte (some options are a char on some systems).
fn bool_(rb_self: Value) -> Result<bool, Error> {
    let d = data_bytes(rb_self)?;
    match d.len() {
        1 => Ok(d[0] != 0),
        INT_SIZE => Ok(cbytes::ne_i32(&d, 0) != 0),
        n => Err(size_differ("int", INT_SIZE, n)),
    }
}

fn byte(rb_self: Value) -> Result<u8, Error> {
    let d = data_bytes(rb_self)?;
    if d.len() != 1 {
        return Err(size_differ("char", 1, d.len()));
    }
    Ok(d[0])
}

/// l_onoff as the stdlib shows it: false/true for 0/1, else the Integer.
fn onoff_value(ruby: &Ruby, onoff: i32) -> Value {
    match onoff {
        0 => ruby.qfalse().as_value(),
        1 => ruby.qtrue().as_value(),
        n => int_value(ruby, n),
    }
}

fn linger(rb_self: Value) -> Result<RArray, Error> {
    let level = level_of(rb_self)?;
    let optname = optname_of(rb_self)?;
    if level != libc::SOL_SOCKET || optname != libc::SO_LINGER {
        return Err(errors::type_error("linger socket option expected"));
    }
    let d = data_bytes(rb_self)?;
    if d.len() != LINGER_SIZE {
        return Err(size_differ("struct linger", LINGER_SIZE, d.len()));
    }
    let ruby = Ruby::get_with(rb_self);
    let ary = ruby.ary_new_capa(2);
    ary.push(onoff_value(&ruby, cbytes::ne_i32(&d, 0)))?;
    ary.push(cbytes::ne_i32(&d, 4))?;
    Ok(ary)
}

/// The int of an AF_INET/IPPROTO_IP option `want`, else "<what> socket option expected".
fn ipv4_int(rb_self: Value, want: i32, what: &str) -> Result<i32, Error> {
    let family = family_of(rb_self)?;
    let level = level_of(rb_self)?;
    let optname = optname_of(rb_self)?;
    if family != libc::AF_INET || level != libc::IPPROTO_IP || optname != want {
        return Err(errors::type_error(format!("{what} socket option expected")));
    }
    int(rb_self)
}

fn ipv4_multicast_loop(rb_self: Value) -> Result<i32, Error> {
    ipv4_int(rb_self, libc::IP_MULTICAST_LOOP, "ipv4_multicast_loop")
}

fn ipv4_multicast_ttl(rb_self: Value) -> Result<i32, Error> {
    ipv4_int(rb_self, libc::IP_MULTICAST_TTL, "ipv4_multicast_ttl")
}

fn unpack(rb_self: Value, template: Value) -> Result<Value, Error> {
    data(rb_self)?.funcall("unpack", (template,))
}

fn inspect(rb_self: Value) -> Result<RString, Error> {
    let (family, level, optname) = (
        family_of(rb_self)?,
        level_of(rb_self)?,
        optname_of(rb_self)?,
    );
    let data = data(rb_self)?;
    let decoded = decode(family, level, optname, unsafe { data.as_slice() });
    hidden::inspect(rb_self, &head(family, level, optname), decoded, data)
}

// ---- constructors ----

fn s_int(family: Value, level: Value, optname: Value, v: Value) -> Result<Value, Error> {
    let (f, l, o) = parse_fields(family, level, optname)?;
    let i = args::to_int(v)?;
    new_option(&Ruby::get_with(family), f, l, o, &i.to_ne_bytes())
}

fn s_bool(family: Value, level: Value, optname: Value, v: Value) -> Result<Value, Error> {
    let (f, l, o) = parse_fields(family, level, optname)?;
    let i: i32 = v.to_bool().into();
    new_option(&Ruby::get_with(family), f, l, o, &i.to_ne_bytes())
}

fn s_byte(family: Value, level: Value, optname: Value, v: Value) -> Result<Value, Error> {
    let (f, l, o) = parse_fields(family, level, optname)?;
    let i = args::to_int(v)?;
    new_option(&Ruby::get_with(family), f, l, o, &[i as u8])
}

fn s_linger(onoff: Value, secs: Value) -> Result<Value, Error> {
    let ruby = Ruby::get_with(onoff);
    // An Integer, or anything with to_int (Rational(1, 2) is 0; NaN raises);
    // otherwise its truth.
    let onoff = if onoff.is_kind_of(ruby.class_integer()) {
        args::num2int(onoff)?
    } else {
        let raw = onoff.as_raw();
        let int = magnus::rb_sys::protect(|| unsafe { rb_sys::rb_check_to_int(raw) })?;
        let int = unsafe { Value::from_raw(int) };
        if int.is_nil() {
            onoff.to_bool().into()
        } else {
            args::num2int(int)?
        }
    };
    let secs = args::num2int(secs)?;
    let mut d = [0u8; LINGER_SIZE];
    d[..4].copy_from_slice(&onoff.to_ne_bytes());
    d[4..].copy_from_slice(&secs.to_ne_bytes());
    new_option(
        &ruby,
        libc::AF_UNSPEC,
        libc::SOL_SOCKET,
        libc::SO_LINGER,
        &d,
    )
}

fn s_ipv4_multicast_loop(v: Value) -> Result<Value, Error> {
    let i = args::to_int(v)?;
    new_option(
        &Ruby::get_with(v),
        libc::AF_INET,
        libc::IPPROTO_IP,
        libc::IP_MULTICAST_LOOP,
        &i.to_ne_bytes(),
    )
}

fn s_ipv4_multicast_ttl(v: Value) -> Result<Value, Error> {
    let i = args::to_int(v)?;
    new_option(
        &Ruby::get_with(v),
        libc::AF_INET,
        libc::IPPROTO_IP,
        libc::IP_MULTICAST_TTL,
        &i.to_ne_bytes(),
    )
}

fn parse_fields(family: Value, level: Value, optname: Value) -> Result<(i32, i32, i32), Error> {
    let f = args::family(family)?;
    let l = args::level(f, level)?;
    let o = args::optname(f, l, optname)?;
    Ok((f, l, o))
}

pub fn init(ruby: &Ruby) -> Result<(), Error> {
    let basic_socket: RClass = ruby.define_class("BasicSocket", ruby.class_io())?;
    let socket = ruby.define_class("Socket", basic_socket)?;
    let class = socket.define_class("Option", ruby.class_object())?;
    class.define_method("initialize", method!(initialize, 4))?;
    class.define_method("family", method!(family, 0))?;
    class.define_method("level", method!(level, 0))?;
    class.define_method("optname", method!(optname, 0))?;
    class.define_method("data", method!(data, 0))?;
    class.define_method("to_s", method!(data, 0))?;
    class.define_method("int", method!(int, 0))?;
    class.define_method("bool", method!(bool_, 0))?;
    class.define_method("byte", method!(byte, 0))?;
    class.define_method("linger", method!(linger, 0))?;
    class.define_method("ipv4_multicast_loop", method!(ipv4_multicast_loop, 0))?;
    class.define_method("ipv4_multicast_ttl", method!(ipv4_multicast_ttl, 0))?;
    class.define_method("unpack", method!(unpack, 1))?;
    class.define_method("inspect", method!(inspect, 0))?;
    class.define_singleton_method("int", function!(s_int, 4))?;
    class.define_singleton_method("bool", function!(s_bool, 4))?;
    class.define_singleton_method("byte", function!(s_byte, 4))?;
    class.define_singleton_method("linger", function!(s_linger, 2))?;
    class.define_singleton_method("ipv4_multicast_loop", function!(s_ipv4_multicast_loop, 1))?;
    class.define_singleton_method("ipv4_multicast_ttl", function!(s_ipv4_multicast_ttl, 1))?;
    Ok(())
}

// ---- inspect text, pure Rust ----

/// "INET SOCKET REUSEADDR", with "family:N", "level:N", "optname:N" for
/// values that have no name at that place.
pub fn head(family: i32, level: i32, optname: i32) -> String {
    let f = constants::family_short(family)
        .map(str::to_owned)
        .unwrap_or_else(|| format!("family:{family}"));
    let l = constants::level_short(family, level)
        .map(str::to_owned)
        .unwrap_or_else(|| format!("level:{level}"));
    let o = constants::optname_short(family, level, optname)
        .map(str::to_owned)
        .unwrap_or_else(|| format!("optname:{optname}"));
    format!("{f} {l} {o}")
}

fn strerror(errno: i32) -> String {
    let mut buf = [0 as libc::c_char; 256];
    unsafe { libc::strerror_r(errno, buf.as_mut_ptr(), buf.len()) };
    let text = unsafe { std::ffi::CStr::from_ptr(buf.as_ptr()) }.to_string_lossy();
    if text.is_empty() {
        format!("Unknown error {errno}")
    } else {
        text.into_owned()
    }
}

fn ifname(index: u32) -> Option<String> {
    let mut buf = [0 as libc::c_char; libc::IF_NAMESIZE];
    let p = unsafe { libc::if_indextoname(index, buf.as_mut_ptr()) };
    if p.is_null() {
        None
    } else {
        Some(
            unsafe { std::ffi::CStr::from_ptr(buf.as_ptr()) }
                .to_string_lossy()
                .into_owned(),
        )
    }
}

fn v4(b: &[u8], at: usize) -> Ipv4Addr {
    Ipv4Addr::new(b[at], b[at + 1], b[at + 2], b[at + 3])
}

/// ip_mreqn: "group address ifname" (or "ifindex:N").
fn mreqn_text(b: &[u8]) -> String {
    let index = cbytes::ne_u32(b, 8);
    let iface = ifname(index).unwrap_or_else(|| format!("ifindex:{index}"));
    format!("{} {} {}", v4(b, 0), v4(b, 4), iface)
}

/// The decoded value for the options the stdlib decodes, when `d` has the
/// exact size of their C type; None means "show the raw bytes".
pub fn decode(family: i32, level: i32, optname: i32, d: &[u8]) -> Option<String> {
    let int = || (d.len() == INT_SIZE).then(|| cbytes::ne_i32(d, 0));
    if level == libc::SOL_SOCKET {
        return match optname {
            libc::SO_DEBUG
            | libc::SO_REUSEADDR
            | libc::SO_DONTROUTE
            | libc::SO_BROADCAST
            | libc::SO_SNDBUF
            | libc::SO_RCVBUF
            | libc::SO_KEEPALIVE
            | libc::SO_OOBINLINE
            | libc::SO_RCVLOWAT
            | libc::SO_SNDLOWAT
            | libc::SO_ACCEPTCONN => int().map(|i| i.to_string()),
            libc::SO_TYPE => int().map(|t| {
                constants::name("SOCK_", t as i64)
                    .map(str::to_owned)
                    .unwrap_or_else(|| t.to_string())
            }),
            libc::SO_ERROR => int().map(|e| format!("{} ({e})", strerror(e))),
            libc::SO_LINGER if d.len() == LINGER_SIZE => {
                let onoff = match cbytes::ne_i32(d, 0) {
                    0 => "off".to_owned(),
                    1 => "on".to_owned(),
                    n => format!("on({n})"),
                };
                Some(format!("{onoff} {}sec", cbytes::ne_i32(d, 4)))
            }
            libc::SO_RCVTIMEO | libc::SO_SNDTIMEO if d.len() == TIMEVAL_SIZE => Some(format!(
                "{}.{:06}sec",
                cbytes::ne_i64(d, 0),
                cbytes::ne_i64(d, 8)
            )),
            libc::SO_PEERCRED if d.len() == UCRED_SIZE => Some(format!(
                "pid={} euid={} egid={} (ucred)",
                cbytes::ne_u32(d, 0),
                cbytes::ne_u32(d, 4),
                cbytes::ne_u32(d, 8)
            )),
            _ => None,
        };
    }
    if !constants::is_ip_family(family) {
        return None;
    }
    match (level, optname) {
        (libc::IPPROTO_IP, libc::IP_MULTICAST_IF) => match d.len() {
            4 => Some(v4(d, 0).to_string()),
            MREQN_SIZE => Some(mreqn_text(d)),
            _ => None,
        },
        (libc::IPPROTO_IP, libc::IP_MULTICAST_TTL | libc::IP_MULTICAST_LOOP) => {
            int().map(|i| i.to_string())
        }
        (libc::IPPROTO_IP, libc::IP_ADD_MEMBERSHIP | libc::IP_DROP_MEMBERSHIP) => match d.len() {
            MREQ_SIZE => Some(format!("{} {}", v4(d, 0), v4(d, 4))),
            MREQN_SIZE => Some(mreqn_text(d)),
            _ => None,
        },
        (
            libc::IPPROTO_IPV6,
            libc::IPV6_UNICAST_HOPS | libc::IPV6_MULTICAST_HOPS | libc::IPV6_V6ONLY,
        ) => int().map(|i| i.to_string()),
        // An unsigned int, as the stdlib prints it.
        (libc::IPPROTO_IPV6, libc::IPV6_MULTICAST_LOOP) => int().map(|i| (i as u32).to_string()),
        (libc::IPPROTO_IPV6, libc::IPV6_MULTICAST_IF) => {
            int().map(|i| sockaddr::scope_text(i as u32))
        }
        (libc::IPPROTO_IPV6, libc::IPV6_ADD_MEMBERSHIP | libc::IPV6_DROP_MEMBERSHIP)
            if d.len() == IPV6_MREQ_SIZE =>
        {
            let mut a = [0u8; 16];
            a.copy_from_slice(&d[..16]);
            let index = cbytes::ne_u32(d, 16);
            let iface = ifname(index).unwrap_or_else(|| format!("interface:{index}"));
            Some(format!(
                "{} {}",
                sockaddr::ipv6_text(&Ipv6Addr::from(a)),
                iface
            ))
        }
        (libc::IPPROTO_TCP, libc::TCP_NODELAY) => int().map(|i| i.to_string()),
        (libc::IPPROTO_TCP, libc::TCP_INFO) if d.len() >= TCP_INFO_SIZE => Some(tcp_info_text(d)),
        _ => None,
    }
}

fn tcp_state_name(s: u8) -> Option<&'static str> {
    Some(match s {
        1 => "ESTABLISHED",
        2 => "SYN_SENT",
        3 => "SYN_RECV",
        4 => "FIN_WAIT1",
        5 => "FIN_WAIT2",
        6 => "TIME_WAIT",
        7 => "CLOSED",
        8 => "CLOSE_WAIT",
        9 => "LAST_ACK",
        10 => "LISTEN",
        11 => "CLOSING",
        _ => return None,
    })
}

fn tcp_ca_state_name(s: u8) -> Option<&'static str> {
    Some(match s {
        0 => "Open",
        1 => "Disorder",
        2 => "CWR",
        3 => "Recovery",
        4 => "Loss",
        _ => return None,
    })
}

/// tcpi_options: known flags by name, leftover bits as a number, "0" for none.
fn tcp_options_text(opts: u8) -> String {
    const FLAGS: [(u8, &str); 6] = [
        (1, "TIMESTAMPS"),
        (2, "SACK"),
        (4, "WSCALE"),
        (8, "ECN"),
        (16, "ECN_SEEN"),
        (32, "SYN_DATA"),
    ];
    if opts == 0 {
        return "0".to_owned();
    }
    let mut parts: Vec<String> = Vec::new();
    let mut rest = opts;
    for (bit, name) in FLAGS {
        if opts & bit != 0 {
            parts.push(name.to_owned());
            rest &= !bit;
        }
    }
    if rest != 0 {
        parts.push(rest.to_string());
    }
    parts.join(",")
}

/// struct tcp_info field by field; times in microseconds ("0.204000s") or
/// milliseconds ("1.500s") as the kernel keeps them.
pub fn tcp_info_text(d: &[u8]) -> String {
    let u = |at: usize| cbytes::ne_u32(d, at);
    let usec = |at: usize| format!("{}.{:06}s", u(at) / 1_000_000, u(at) % 1_000_000);
    let msec = |at: usize| format!("{}.{:03}s", u(at) / 1000, u(at) % 1000);
    let state = tcp_state_name(d[0])
        .map(str::to_owned)
        .unwrap_or_else(|| d[0].to_string());
    let ca_state = tcp_ca_state_name(d[1])
        .map(str::to_owned)
        .unwrap_or_else(|| d[1].to_string());
    let mut s = format!(
        "state={state} ca_state={ca_state} retransmits={} probes={} backoff={} options={}",
        d[2],
        d[3],
        d[4],
        tcp_options_text(d[5])
    );
    let fields: [(&str, usize, u8); 24] = [
        ("rto", 8, b'u'),
        ("ato", 12, b'u'),
        ("snd_mss", 16, b'n'),
        ("rcv_mss", 20, b'n'),
        ("unacked", 24, b'n'),
        ("sacked", 28, b'n'),
        ("lost", 32, b'n'),
        ("retrans", 36, b'n'),
        ("fackets", 40, b'n'),
        ("last_data_sent", 44, b'm'),
        ("last_ack_sent", 48, b'm'),
        ("last_data_recv", 52, b'm'),
        ("last_ack_recv", 56, b'm'),
        ("pmtu", 60, b'n'),
        ("rcv_ssthresh", 64, b'n'),
        ("rtt", 68, b'u'),
        ("rttvar", 72, b'u'),
        ("snd_ssthresh", 76, b'n'),
        ("snd_cwnd", 80, b'n'),
        ("advmss", 84, b'n'),
        ("reordering", 88, b'n'),
        ("rcv_rtt", 92, b'u'),
        ("rcv_space", 96, b'n'),
        ("total_retrans", 100, b'n'),
    ];
    for (name, at, kind) in fields {
        let v = match kind {
            b'u' => usec(at),
            b'm' => msec(at),
            _ => u(at).to_string(),
        };
        s.push(' ');
        s.push_str(name);
        s.push('=');
        s.push_str(&v);
    }
    if d.len() > TCP_INFO_SIZE {
        s.push_str(&format!(" ({} bytes too long)", d.len() - TCP_INFO_SIZE));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn int(i: i32) -> Vec<u8> {
        i.to_ne_bytes().to_vec()
    }

    #[test]
    fn heads() {
        assert_eq!(head(2, 1, 2), "INET SOCKET REUSEADDR");
        assert_eq!(head(1, 0, 1), "UNIX level:0 optname:1");
        assert_eq!(head(99, 1, 9999), "family:99 SOCKET optname:9999");
        assert_eq!(head(10, 6, 1), "INET6 TCP NODELAY");
    }

    #[test]
    fn socket_level() {
        assert_eq!(
            decode(2, 1, libc::SO_TYPE, &int(1)).as_deref(),
            Some("SOCK_STREAM")
        );
        assert_eq!(decode(2, 1, libc::SO_TYPE, &int(99)).as_deref(), Some("99"));
        assert_eq!(
            decode(2, 1, libc::SO_ERROR, &int(111)).as_deref(),
            Some("Connection refused (111)")
        );
        assert_eq!(
            decode(2, 1, libc::SO_ERROR, &int(9999)).as_deref(),
            Some("Unknown error 9999 (9999)")
        );
        assert_eq!(decode(2, 1, libc::SO_REUSEADDR, &[1]), None);
        assert_eq!(decode(2, 1, libc::SO_PRIORITY, &int(1)), None);
        let mut tv = 1i64.to_ne_bytes().to_vec();
        tv.extend_from_slice(&(-5i64).to_ne_bytes());
        assert_eq!(
            decode(1, 1, libc::SO_RCVTIMEO, &tv).as_deref(),
            Some("1.-00005sec")
        );
        let mut l = int(7);
        l.extend_from_slice(&int(5));
        assert_eq!(
            decode(0, 1, libc::SO_LINGER, &l).as_deref(),
            Some("on(7) 5sec")
        );
    }

    #[test]
    fn ip_levels_only_for_ip_families() {
        assert_eq!(decode(2, 6, 1, &int(1)).as_deref(), Some("1"));
        assert_eq!(decode(1, 6, 1, &int(1)), None);
        let m = [224, 0, 0, 1, 127, 0, 0, 1];
        assert_eq!(decode(2, 0, 35, &m).as_deref(), Some("224.0.0.1 127.0.0.1"));
        assert_eq!(decode(10, 41, 17, &int(0)).as_deref(), Some("0"));
        assert_eq!(
            decode(10, 41, libc::IPV6_MULTICAST_LOOP, &int(-1)).as_deref(),
            Some("4294967295")
        );
        assert_eq!(
            decode(10, 41, libc::IPV6_UNICAST_HOPS, &int(-1)).as_deref(),
            Some("-1")
        );
    }

    #[test]
    fn tcp_info() {
        let d: Vec<u8> = (1..=105).map(|i| i as u8).collect();
        let s = tcp_info_text(&d);
        assert!(s.starts_with(
            "state=ESTABLISHED ca_state=CWR retransmits=3 probes=4 backoff=5 options=SACK,WSCALE rto=202.050057s"
        ));
        assert!(s.contains(" last_data_sent=808398.381s "));
        assert!(s.ends_with(" total_retrans=1751606885 (1 bytes too long)"));
        assert_eq!(
            tcp_options_text(255),
            "TIMESTAMPS,SACK,WSCALE,ECN,ECN_SEEN,SYN_DATA,192"
        );
    }
}
