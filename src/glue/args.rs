//! The one parser for constant-like arguments: family, socket type, protocol
//! level, option name, shutdown direction, control-message type. Each takes an
//! Integer (anything NUM2INT takes), or a Symbol or String naming a constant
//! with or without its prefix (:INET, "AF_INET", :PF_INET), as the stdlib does.

use magnus::{
    prelude::*,
    rb_sys::{AsRawValue, FromRawValue},
    Error, RString, Value,
};

use crate::glue::errors;
use crate::sys::constants;
use crate::sys::fast_map::{FastMap, SlotCache};

/// A set of names an argument may take.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Group {
    /// AF_* and PF_*.
    Family,
    /// SOCK_*.
    SockType,
    /// SOL_SOCKET and IPPROTO_*: levels for IP sockets.
    IpLevel,
    /// SOL_SOCKET alone: levels for any other family.
    SockLevel,
    /// SO_*.
    SoOpt,
    /// IP_*.
    IpOpt,
    /// IPV6_*.
    Ipv6Opt,
    /// TCP_*.
    TcpOpt,
    /// UDP_*.
    UdpOpt,
    /// SHUT_*.
    Shutdown,
    /// SCM_*.
    Scm,
}

fn prefixes(group: Group) -> &'static [&'static str] {
    match group {
        Group::Family => &["AF_", "PF_"],
        Group::SockType => &["SOCK_"],
        Group::IpLevel => &["IPPROTO_"],
        Group::SockLevel => &[],
        Group::SoOpt => &["SO_"],
        Group::IpOpt => &["IP_"],
        Group::Ipv6Opt => &["IPV6_"],
        Group::TcpOpt => &["TCP_"],
        Group::UdpOpt => &["UDP_"],
        Group::Shutdown => &["SHUT_"],
        Group::Scm => &["SCM_"],
    }
}

/// The value `name` stands for in `group`: the full constant name or the
/// name without its prefix, case-sensitive ("INET", "AF_INET"; not "inet").
pub fn lookup(group: Group, name: &str) -> Option<i32> {
    if matches!(group, Group::IpLevel | Group::SockLevel)
        && (name == "SOL_SOCKET" || name == "SOCKET")
    {
        return Some(libc::SOL_SOCKET);
    }
    // The first table entry (in table order) spelled `name` or prefix+`name`.
    let index = by_name();
    let mut best: Option<(usize, i64)> = None;
    let mut consider = |full: &str| {
        if let Some(&(i, v)) = index.get(full) {
            if best.is_none_or(|(b, _)| i < b) {
                best = Some((i, v));
            }
        }
    };
    for p in prefixes(group) {
        if name.starts_with(p) {
            consider(name);
        }
        // prefix+name in a stack buffer: no allocation on this hot path.
        let mut buf = [0u8; 64];
        let len = p.len() + name.len();
        if len <= buf.len() {
            buf[..p.len()].copy_from_slice(p.as_bytes());
            buf[p.len()..len].copy_from_slice(name.as_bytes());
            if let Ok(full) = std::str::from_utf8(&buf[..len]) {
                consider(full);
            }
        }
    }
    best.map(|(_, v)| v as i32)
}

/// Constant name -> (position in the table, value), built once: lookups by name
/// are hot (Addrinfo's Marshal, Socket.new(:INET, :STREAM)).
fn by_name() -> &'static FastMap<&'static str, (usize, i64)> {
    static INDEX: std::sync::OnceLock<FastMap<&'static str, (usize, i64)>> =
        std::sync::OnceLock::new();
    INDEX.get_or_init(|| {
        let table = constants::table();
        let mut m = FastMap::with_capacity_and_hasher(table.len(), Default::default());
        for (i, &(n, v)) in table.iter().enumerate() {
            m.entry(n).or_insert((i, v));
        }
        m
    })
}

/// `lookup` on raw bytes: a name with bytes outside UTF-8 (or a NUL) names nothing.
fn lookup_bytes(group: Group, name: &[u8]) -> Option<i32> {
    std::str::from_utf8(name)
        .ok()
        .and_then(|s| lookup(group, s))
}

/// Checks a variadic method's argument count, raising Ruby's own
/// ArgumentError ("wrong number of arguments (given 1, expected 2..3)").
pub fn check_arity(given: usize, min: usize, max: usize) -> Result<(), Error> {
    if (min..=max).contains(&given) {
        return Ok(());
    }
    magnus::rb_sys::protect(|| unsafe {
        rb_sys::rb_error_arity(given as libc::c_int, min as libc::c_int, max as libc::c_int)
    })?;
    Ok(())
}

/// A variadic method's arguments split into `R` required and up to `O`
/// optional ones (an explicit nil is Some(nil)), after Ruby's arity check.
pub struct Split<const R: usize, const O: usize> {
    pub required: [Value; R],
    pub optional: [Option<Value>; O],
}

pub fn split<const R: usize, const O: usize>(args: &[Value]) -> Result<Split<R, O>, Error> {
    check_arity(args.len(), R, R + O)?;
    let required = std::array::from_fn(|i| args[i]);
    let optional = std::array::from_fn(|i| args.get(R + i).copied());
    Ok(Split { required, optional })
}

/// The optional argument at `i`, if given and not nil.
pub fn optional(args: &[Value], i: usize) -> Option<Value> {
    args.get(i).copied().filter(|v| !v.is_nil())
}

/// StringValue: a String, or the result of to_str ("no implicit conversion of
/// Integer into String" otherwise).
/// StringValueCStr: implicit String conversion, and no NUL bytes inside
/// (ArgumentError "string contains null byte"). The bytes without the NUL.
pub fn string_value_cstr(v: Value) -> Result<std::ffi::CString, Error> {
    // A String without NUL bytes, the usual case, needs no rb_protect round trip.
    if let Some(s) = RString::from_value(v) {
        if let Ok(c) = std::ffi::CString::new(unsafe { s.as_slice() }) {
            return Ok(c);
        }
    }
    let mut raw = v.as_raw();
    let mut out = std::ffi::CString::default();
    magnus::rb_sys::protect(|| unsafe {
        let p = rb_sys::rb_string_value_cstr(&mut raw);
        out = std::ffi::CStr::from_ptr(p).to_owned();
        rb_sys::Qnil as rb_sys::VALUE
    })?;
    Ok(out)
}

/// Implicit Array conversion (`to_ary`), with Ruby's TypeError otherwise.
pub fn to_ary(v: Value) -> Result<magnus::RArray, Error> {
    if let Some(a) = magnus::RArray::from_value(v) {
        return Ok(a);
    }
    let raw = v.as_raw();
    let ary = magnus::rb_sys::protect(|| unsafe {
        rb_sys::rb_convert_type(
            raw,
            rb_sys::ruby_value_type::RUBY_T_ARRAY as i32,
            c"Array".as_ptr(),
            c"to_ary".as_ptr(),
        )
    })?;
    magnus::RArray::from_value(unsafe { Value::from_raw(ary) })
        .ok_or_else(|| errors::type_error("not an Array"))
}

pub fn string_value(v: Value) -> Result<RString, Error> {
    if let Some(s) = RString::from_value(v) {
        return Ok(s);
    }
    let mut raw = v.as_raw();
    let s = magnus::rb_sys::protect(|| unsafe { rb_sys::rb_string_value(&mut raw) })?;
    RString::from_value(unsafe { Value::from_raw(s) })
        .ok_or_else(|| errors::type_error("not a String"))
}

/// NUM2INT: the stdlib's conversion and messages ("no implicit conversion from
/// nil to integer", "integer 2147483648 too big to convert to `int'", Floats
/// truncated).
pub fn num2int(v: Value) -> Result<i32, Error> {
    if let Some(i) = magnus::Fixnum::from_value(v).and_then(|f| i32::try_from(f.to_i64()).ok()) {
        return Ok(i);
    }
    let raw = v.as_raw();
    let n = magnus::rb_sys::protect(|| unsafe { rb_sys::rb_num2int(raw) as rb_sys::VALUE })?;
    Ok(n as i32)
}

/// `Integer(v)`-style implicit conversion then NUM2INT, as Socket::Option.int
/// does ("no implicit conversion of nil into Integer").
pub fn to_int(v: Value) -> Result<i32, Error> {
    let raw = v.as_raw();
    let int = magnus::rb_sys::protect(|| unsafe { rb_sys::rb_to_int(raw) })?;
    num2int(unsafe { Value::from_raw(int) })
}

/// A Symbol's or String's bytes (String-like objects via to_str), or None
/// for anything else.
fn name_bytes(v: Value) -> Result<Option<Vec<u8>>, Error> {
    let raw = v.as_raw();
    let s = if magnus::Symbol::from_value(v).is_some() {
        unsafe { rb_sys::rb_sym2str(raw) }
    } else {
        magnus::rb_sys::protect(|| unsafe { rb_sys::rb_check_string_type(raw) })?
    };
    let s = unsafe { Value::from_raw(s) };
    Ok(RString::from_value(s).map(|s| unsafe { s.as_slice() }.to_vec()))
}

/// "<what>: <name>", the name cut at its first NUL as the stdlib prints it.
fn unknown(what: &str, name: &[u8]) -> Error {
    let end = name.iter().position(|&b| b == 0).unwrap_or(name.len());
    let mut msg = Vec::with_capacity(what.len() + 2 + end);
    msg.extend_from_slice(what.as_bytes());
    msg.extend_from_slice(b": ");
    msg.extend_from_slice(&name[..end]);
    errors::socket_error_bytes(&msg)
}

/// A name from `group`, or an Integer; `what` starts the error for unknown names.
fn arg(group: Group, what: &str, v: Value) -> Result<i32, Error> {
    let raw = v.as_raw();
    // Fast paths for the common forms: a small Integer, or a Symbol seen before
    // (a Symbol's ID is permanent, so its answer can be remembered).
    if let Some(i) = magnus::Fixnum::from_value(v).and_then(|f| i32::try_from(f.to_i64()).ok()) {
        return Ok(i);
    }
    let key = magnus::Symbol::from_value(v).and_then(|_| symbol_key(group, raw));
    if let Some(found) = key.and_then(|k| SYMBOL_CACHE.get(k)) {
        return Ok(found as i32);
    }
    let found = arg_slow(group, what, v)?;
    if let Some(k) = key {
        SYMBOL_CACHE.put(k, found.into());
    }
    Ok(found)
}

/// (group, Symbol ID) -> value, for names already resolved.
static SYMBOL_CACHE: SlotCache = SlotCache::new();

/// The cache key of a Symbol in `group`: its ID (permanent once a Symbol
/// named an entry) and the group. None for IDs too large to pack.
fn symbol_key(group: Group, symbol: rb_sys::VALUE) -> Option<u64> {
    let id = unsafe { rb_sys::rb_sym2id(symbol) } as u64;
    (id >> 56 == 0).then(|| id << 8 | (group as u64 + 1))
}

fn arg_slow(group: Group, what: &str, v: Value) -> Result<i32, Error> {
    match name_bytes(v)? {
        Some(name) => lookup_bytes(group, &name).ok_or_else(|| unknown(what, &name)),
        None => num2int(v),
    }
}

/// Address family: 2, :INET, "AF_INET", :PF_INET, :INET6, :UNIX, :LOCAL, ...
pub fn family(v: Value) -> Result<i32, Error> {
    arg(Group::Family, "unknown socket domain", v)
}

/// Socket type: 1, :STREAM, "SOCK_STREAM", :DGRAM, ...
pub fn socktype(v: Value) -> Result<i32, Error> {
    arg(Group::SockType, "unknown socket type", v)
}

/// Protocol level. IP sockets (AF_INET, AF_INET6) take :SOCKET and the
/// IPPROTO_ names (:IP, :TCP, :IPV6, ...); other families only :SOCKET.
pub fn level(family: i32, v: Value) -> Result<i32, Error> {
    let group = if constants::is_ip_family(family) {
        Group::IpLevel
    } else {
        Group::SockLevel
    };
    arg(group, "unknown protocol level", v)
}

/// Option name; which names are known depends on the level (and, past
/// SOL_SOCKET, on the family being IP). Elsewhere only Integers are taken.
pub fn optname(family: i32, level: i32, v: Value) -> Result<i32, Error> {
    let (group, what) = if level == libc::SOL_SOCKET {
        (Group::SoOpt, "unknown socket level option name")
    } else if !constants::is_ip_family(family) {
        return num2int(v);
    } else {
        match level {
            libc::IPPROTO_IP => (Group::IpOpt, "unknown IP level option name"),
            libc::IPPROTO_IPV6 => (Group::Ipv6Opt, "unknown IPv6 level option name"),
            libc::IPPROTO_TCP => (Group::TcpOpt, "unknown TCP level option name"),
            libc::IPPROTO_UDP => (Group::UdpOpt, "unknown UDP level option name"),
            _ => return num2int(v),
        }
    };
    arg(group, what, v)
}

/// Control-message type (Socket::AncillaryData): SCM_ names at SOL_SOCKET,
/// and for IP sockets the IP_/IPV6_/TCP_/UDP_ names at those levels.
pub fn cmsg_type(family: i32, level: i32, v: Value) -> Result<i32, Error> {
    let (group, what) = if level == libc::SOL_SOCKET {
        (Group::Scm, "unknown UNIX control message")
    } else if !constants::is_ip_family(family) {
        return num2int(v);
    } else {
        match level {
            libc::IPPROTO_IP => (Group::IpOpt, "unknown IP control message"),
            libc::IPPROTO_IPV6 => (Group::Ipv6Opt, "unknown IPv6 control message"),
            libc::IPPROTO_TCP => (Group::TcpOpt, "unknown TCP control message"),
            libc::IPPROTO_UDP => (Group::UdpOpt, "unknown UDP control message"),
            _ => return num2int(v),
        }
    };
    arg(group, what, v)
}

/// BasicSocket#shutdown's argument: nil means SHUT_RDWR; :RD, "SHUT_WR",
/// :RDWR, ...; an Integer must be one of SHUT_RD, SHUT_WR, SHUT_RDWR.
pub fn shutdown_how(v: Value) -> Result<i32, Error> {
    if v.is_nil() {
        return Ok(libc::SHUT_RDWR);
    }
    let how = arg(Group::Shutdown, "unknown shutdown argument", v)?;
    if how != libc::SHUT_RD && how != libc::SHUT_WR && how != libc::SHUT_RDWR {
        return Err(errors::arg_error(
            "`how' should be either :SHUT_RD, :SHUT_WR, :SHUT_RDWR",
        ));
    }
    Ok(how)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn families() {
        for n in ["INET", "AF_INET", "PF_INET"] {
            assert_eq!(lookup(Group::Family, n), Some(libc::AF_INET));
        }
        assert_eq!(lookup(Group::Family, "LOCAL"), Some(libc::AF_UNIX));
        assert_eq!(lookup(Group::Family, "INET6"), Some(libc::AF_INET6));
        assert_eq!(lookup(Group::Family, "UNSPEC"), Some(0));
        assert_eq!(lookup(Group::Family, "DECnet"), Some(12));
        assert_eq!(lookup(Group::Family, "inet"), None);
        assert_eq!(lookup(Group::Family, "AF_"), None);
        assert_eq!(lookup(Group::Family, ""), None);
        assert_eq!(lookup_bytes(Group::Family, b"AF_INET\0"), None);
        assert_eq!(lookup(Group::Family, "SOCK_STREAM"), None);
    }

    #[test]
    fn types_levels_options() {
        assert_eq!(lookup(Group::SockType, "STREAM"), Some(1));
        assert_eq!(lookup(Group::SockType, "SOCK_SEQPACKET"), Some(5));
        assert_eq!(lookup(Group::IpLevel, "SOCKET"), Some(libc::SOL_SOCKET));
        assert_eq!(lookup(Group::IpLevel, "TCP"), Some(6));
        assert_eq!(lookup(Group::IpLevel, "IPPROTO_IPV6"), Some(41));
        assert_eq!(lookup(Group::IpLevel, "HOPOPTS"), Some(0));
        assert_eq!(lookup(Group::IpLevel, "SOL_IP"), None);
        assert_eq!(lookup(Group::SockLevel, "SOL_SOCKET"), Some(1));
        assert_eq!(lookup(Group::SockLevel, "TCP"), None);
        assert_eq!(lookup(Group::SoOpt, "REUSEADDR"), Some(2));
        assert_eq!(lookup(Group::SoOpt, "SO_TYPE"), Some(3));
        assert_eq!(lookup(Group::TcpOpt, "NODELAY"), Some(1));
        assert_eq!(lookup(Group::IpOpt, "TTL"), Some(2));
        assert_eq!(lookup(Group::IpOpt, "PMTUDISC_DO"), Some(2));
        assert_eq!(lookup(Group::Ipv6Opt, "V6ONLY"), Some(26));
        assert_eq!(lookup(Group::Ipv6Opt, "JOIN_GROUP"), Some(20));
        assert_eq!(lookup(Group::UdpOpt, "CORK"), Some(1));
        assert_eq!(lookup(Group::Shutdown, "RD"), Some(0));
        assert_eq!(lookup(Group::Shutdown, "SHUT_RDWR"), Some(2));
        assert_eq!(lookup(Group::Scm, "RIGHTS"), Some(1));
        assert_eq!(lookup(Group::Scm, "REUSEADDR"), None);
    }
}
