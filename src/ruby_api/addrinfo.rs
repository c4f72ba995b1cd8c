//! Addrinfo: a socket address with the family, type and protocol to use it
//! with. A plain wrapped object (not an IO); names are resolved by resolver.rs.

use magnus::{
    function, method,
    prelude::*,
    rb_sys::{AsRawValue, FromRawValue},
    scan_args::{get_kwargs, scan_args},
    typed_data::Obj,
    value::{Lazy, Opaque},
    Error, RArray, RHash, RString, Ruby, Value,
};
use std::fmt::Write;
use std::net::{Ipv4Addr, Ipv6Addr};
use std::time::Duration;

use crate::glue::args::{self, Group};
use crate::glue::errors;
use crate::glue::objects::{
    afamily_of, bin_str, make, string_value, Addrinfo, Inner, Name, ADDRINFO_CLASS,
};
use crate::glue::resolver::{self, Resolved};
use crate::sys::constants;
use crate::sys::sockaddr::{self, Ip};

use crate::sys::lookup::{self, NUMERIC};
use crate::sys::text::Text;

fn is_ip(family: i32) -> bool {
    family == libc::AF_INET || family == libc::AF_INET6
}

fn opt_int(v: Option<Value>, f: fn(Value) -> Result<i32, Error>) -> Result<i32, Error> {
    match v {
        Some(v) if !v.is_nil() => f(v),
        _ => Ok(0),
    }
}

// ---- creation ---------------------------------------------------------

fn initialize(rb_self: &Addrinfo, args: &[Value]) -> Result<(), Error> {
    let args = args::split::<1, 3>(args)?;
    let [sa] = args.required;
    let [family, socktype, protocol] = args.optional;
    rb_self.check_uninitialized()?;
    let pfamily = opt_int(family, args::family)?;
    let socktype = opt_int(socktype, args::socktype)?;
    let protocol = opt_int(protocol, args::num2int)?;
    let inner = match RArray::from_value(sa) {
        Some(ary) => from_array(ary, pfamily, socktype, protocol)?,
        None => {
            let addr = string_value(sa)?;
            Inner {
                addr,
                pfamily,
                socktype,
                protocol,
                canonname: None,
                inspectname: None,
            }
        }
    };
    rb_self.set(inner)
}

/// ["AF_INET", port, hostname, numeric_address] / ["AF_UNIX", path].
fn from_array(ary: RArray, pfamily: i32, socktype: i32, protocol: i32) -> Result<Inner, Error> {
    let entry = |i: isize| ary.entry::<Value>(i);
    let fam_name = string_value(entry(0)?)?;
    let af = match std::str::from_utf8(&fam_name)
        .ok()
        .and_then(|n| args::lookup(Group::Family, n))
    {
        Some(af) => af,
        None => {
            let name = args::string_value_cstr(entry(0)?)?.into_bytes();
            let mut msg = b"unknown address family: ".to_vec();
            msg.extend_from_slice(&name);
            return Err(errors::socket_error_bytes(&msg));
        }
    };
    match af {
        libc::AF_INET | libc::AF_INET6 => {
            let service = entry(1)?;
            let nodename = entry(2)?;
            let numeric = entry(3)?;
            // The port is an int (NUM2INT: 1.5 is 1), looked up as its number.
            let port = args::num2int(service)?;
            if !nodename.is_nil() {
                string_value(nodename)?;
            }
            string_value(numeric)?;
            let hint = if pfamily != 0 { pfamily } else { af };
            let flags = libc::AI_NUMERICHOST | libc::AI_NUMERICSERV;
            // Without a socket type the stdlib asks for SOCK_DGRAM (one answer
            // per address), so a protocol other than UDP's finds none
            // ("ai_socktype not supported"); the Addrinfo keeps socktype 0.
            let hint_socktype = if socktype == 0 {
                libc::SOCK_DGRAM
            } else {
                socktype
            };
            let port_value = Ruby::get_with(service)
                .integer_from_i64(port as i64)
                .as_value();
            let found = resolver::lookup(
                numeric,
                port_value,
                hint,
                hint_socktype,
                protocol,
                flags,
                None,
            )?;
            let first = found
                .first()
                .ok_or_else(|| resolver::resolution_error("getaddrinfo", no_name()))?;
            // A host that is the numeric address as given names nothing more.
            let same = match (RString::from_value(nodename), RString::from_value(numeric)) {
                (Some(n), Some(a)) => unsafe { n.as_slice() == a.as_slice() },
                _ => false,
            };
            let node = if same {
                Ruby::get_with(nodename).qnil().as_value()
            } else {
                nodename
            };
            let inspectname = inspect_name(node, service, first)?;
            Ok(Inner {
                addr: first.addr.clone(),
                pfamily: hint,
                socktype,
                protocol,
                canonname: None,
                inspectname,
            })
        }
        libc::AF_UNIX => {
            let path = string_value(entry(1)?)?;
            let addr = pack_unix(&path)?;
            // The stdlib makes every ["AF_UNIX", path] a stream address: the
            // socket type and protocol given are checked, then not used.
            Ok(Inner {
                addr,
                pfamily: libc::PF_UNIX,
                socktype: libc::SOCK_STREAM,
                protocol: 0,
                canonname: None,
                inspectname: None,
            })
        }
        _ => Err(errors::socket_error("unexpected address family")),
    }
}

fn no_name() -> resolver::GaiError {
    resolver::GaiError {
        code: libc::EAI_NONAME,
        errno: 0,
    }
}

fn pack_unix(path: &[u8]) -> Result<Vec<u8>, Error> {
    sockaddr::pack_un(path).map_err(|len| {
        errors::arg_error(format!(
            "too long unix socket path ({len} bytes given but {} bytes max)",
            sockaddr::SUN_PATH_MAX
        ))
    })
}

/// The "(name)" inspect shows: the host and service as given, left out where
/// they only repeat the numeric address and port of the first answer. In the
/// host's encoding, or binary when there is only the service.
fn inspect_name(node: Value, service: Value, first: &Resolved) -> Result<Option<Name>, Error> {
    let numeric = match is_ip(afamily_of(&first.addr)) {
        true => numeric_text(&first.addr).ok(),
        false => None,
    };
    // The host is kept whole, but compared (and the service taken) as the C
    // strings the resolver saw: up to the first NUL byte (a UTF-16 "1.2.3.4"
    // is "1").
    let node_str = RString::from_value(node);
    let repeats_host = |n: &[u8]| {
        numeric
            .as_ref()
            .is_some_and(|(h, _)| c_text(n) == h.as_bytes())
    };
    let node_text = node_str
        .as_ref()
        .map(|s| unsafe { s.as_slice() })
        .filter(|n| !repeats_host(n))
        .map(<[u8]>::to_vec);
    let mut serv_text: Option<Vec<u8>> = None;
    if let Some(s) = RString::from_value(service) {
        let s = c_text(unsafe { s.as_slice() });
        let mut port = Text::new();
        if let Some((_, p)) = &numeric {
            port.push_decimal(*p as u64);
        }
        if numeric.is_none() || port.as_bytes() != s {
            serv_text = Some(s.to_vec());
        }
    } else if rb_sys::FIXNUM_P(service.as_raw()) {
        let n = args::num2int(service)?;
        let port = numeric.as_ref().map(|(_, p)| *p);
        if port != Some(n) && n != 0 {
            serv_text = Some(n.to_string().into_bytes());
        }
    }
    let enc = match (&node_text, node_str) {
        (Some(_), Some(s)) => unsafe { rb_sys::rb_enc_get_index(s.as_raw()) },
        _ => unsafe { rb_sys::rb_ascii8bit_encindex() },
    };
    let mut out = node_text;
    if let Some(s) = serv_text {
        let o = out.get_or_insert_with(Vec::new);
        o.push(b':');
        o.extend_from_slice(&s);
    }
    Ok(out.map(|b| Name::Bytes(b, enc)))
}

/// Bytes up to the first NUL, as C reads them.
fn c_text(b: &[u8]) -> &[u8] {
    &b[..b.iter().position(|&c| c == 0).unwrap_or(b.len())]
}

fn atoi(s: &str) -> i32 {
    s.parse().unwrap_or(0)
}

/// Numeric host text and port of an IP sockaddr, as getnameinfo gives them:
/// read straight from a well-formed sockaddr (no allocation), else from libc.
fn numeric_text(addr: &[u8]) -> Result<(Text, i32), Error> {
    if let Some((host, port)) = lookup::numeric_host_port(addr) {
        return Ok((host, i32::from(port)));
    }
    let (host, port) = resolver::getnameinfo(addr, NUMERIC)?;
    let mut text = Text::new();
    text.push_str(&host);
    Ok((text, atoi(&port)))
}

fn resolved_list(found: &[Resolved], inspectname: Option<Name>) -> Vec<Inner> {
    found
        .iter()
        .map(|r| Inner {
            addr: r.addr.clone(),
            pfamily: r.family,
            socktype: r.socktype,
            protocol: r.protocol,
            canonname: r
                .canonname
                .as_ref()
                .map(|c| Name::binary(c.as_bytes().to_vec())),
            inspectname: inspectname.clone(),
        })
        .collect()
}

#[allow(clippy::too_many_arguments)]
fn resolve(
    node: Value,
    service: Value,
    family: i32,
    socktype: i32,
    protocol: i32,
    flags: i32,
    timeout: Option<Duration>,
) -> Result<Vec<Inner>, Error> {
    let found = resolver::lookup(node, service, family, socktype, protocol, flags, timeout)?;
    let inspectname = match found.first() {
        Some(first) => inspect_name(node, service, first)?,
        None => None,
    };
    Ok(resolved_list(&found, inspectname))
}

fn timeout_arg(v: Option<Value>) -> Result<Option<Duration>, Error> {
    match v {
        None => Ok(None),
        Some(v) if v.is_nil() => Ok(None),
        Some(v) => {
            // Only used when a name is looked up; the stdlib ignores what it cannot read.
            let Ok(secs) = f64::try_convert(v) else {
                return Ok(None);
            };
            Ok(Some(Duration::from_secs_f64(
                if secs.is_finite() && secs > 0.0 {
                    secs
                } else {
                    0.0
                },
            )))
        }
    }
}

fn s_getaddrinfo(args: &[Value]) -> Result<RArray, Error> {
    let args = scan_args::<
        (Value, Value),
        (Option<Value>, Option<Value>, Option<Value>, Option<Value>),
        (),
        (),
        RHash,
        (),
    >(args)?;
    let kw = get_kwargs::<_, (), (Option<Value>,), ()>(args.keywords, &[], &["timeout"])?;
    let (node, service) = args.required;
    let (family, socktype, protocol, flags) = args.optional;
    let family = opt_int(family, args::family)?;
    let socktype = opt_int(socktype, args::socktype)?;
    let protocol = opt_int(protocol, args::num2int)?;
    let flags = opt_int(flags, args::num2int)?;
    let timeout = timeout_arg(kw.optional.0)?;
    let list = resolve(node, service, family, socktype, protocol, flags, timeout)?;
    let ruby = Ruby::get_with(node);
    let out = ruby.ary_new_capa(list.len());
    for inner in list {
        out.push(make(inner)?)?;
    }
    Ok(out)
}

/// The first answer only, with the type and protocol given (Addrinfo.tcp/udp/ip).
fn first_only(node: Value, service: Value, socktype: i32, protocol: i32) -> Result<Value, Error> {
    let list = resolve(node, service, libc::AF_UNSPEC, socktype, protocol, 0, None)?;
    let mut first = list
        .into_iter()
        .next()
        .ok_or_else(|| resolver::resolution_error("getaddrinfo", no_name()))?;
    first.socktype = socktype;
    first.protocol = protocol;
    make(first)
}

fn s_tcp(host: Value, port: Value) -> Result<Value, Error> {
    first_only(host, port, libc::SOCK_STREAM, libc::IPPROTO_TCP)
}

fn s_udp(host: Value, port: Value) -> Result<Value, Error> {
    first_only(host, port, libc::SOCK_DGRAM, libc::IPPROTO_UDP)
}

fn s_ip(host: Value) -> Result<Value, Error> {
    let ruby = Ruby::get_with(host);
    first_only(host, ruby.qnil().as_value(), 0, 0)
}

fn s_unix(args: &[Value]) -> Result<Value, Error> {
    let args = args::split::<1, 1>(args)?;
    // The socket type is read first, as the stdlib does.
    let socktype = match args.optional[0] {
        Some(v) if !v.is_nil() => args::socktype(v)?,
        _ => libc::SOCK_STREAM,
    };
    let path = string_value(args.required[0])?;
    let addr = pack_unix(&path)?;
    make(Inner {
        addr,
        pfamily: libc::PF_UNIX,
        socktype,
        protocol: 0,
        canonname: None,
        inspectname: None,
    })
}

// ---- accessors --------------------------------------------------------

fn afamily(rb_self: &Addrinfo) -> Result<i32, Error> {
    rb_self.with(|i| afamily_of(&i.addr))
}

fn pfamily(rb_self: &Addrinfo) -> Result<i32, Error> {
    rb_self.with(|i| i.pfamily)
}

fn socktype(rb_self: &Addrinfo) -> Result<i32, Error> {
    rb_self.with(|i| i.socktype)
}

fn protocol(rb_self: &Addrinfo) -> Result<i32, Error> {
    rb_self.with(|i| i.protocol)
}

fn canonname(ruby: &Ruby, rb_self: &Addrinfo) -> Result<Option<RString>, Error> {
    let c = rb_self.with(|i| i.canonname.clone())?;
    Ok(c.map(|c| c.value(ruby)))
}

fn to_sockaddr(ruby: &Ruby, rb_self: &Addrinfo) -> Result<RString, Error> {
    Ok(bin_str(ruby, &rb_self.with(|i| i.addr.clone())?))
}

fn ip_p(rb_self: &Addrinfo) -> Result<bool, Error> {
    rb_self.with(|i| is_ip(afamily_of(&i.addr)))
}

fn ipv4_p(rb_self: &Addrinfo) -> Result<bool, Error> {
    rb_self.with(|i| afamily_of(&i.addr) == libc::AF_INET)
}

fn ipv6_p(rb_self: &Addrinfo) -> Result<bool, Error> {
    rb_self.with(|i| afamily_of(&i.addr) == libc::AF_INET6)
}

fn unix_p(rb_self: &Addrinfo) -> Result<bool, Error> {
    rb_self.with(|i| afamily_of(&i.addr) == libc::AF_UNIX)
}

fn need_ip(i: &Inner) -> Result<(), Error> {
    if is_ip(afamily_of(&i.addr)) {
        Ok(())
    } else {
        Err(errors::socket_error("need IPv4 or IPv6 address"))
    }
}

/// The numeric host text and port of an IP Addrinfo: read straight from a
/// well-formed sockaddr (no allocation on this hot path), else as libc's
/// getnameinfo gives them, as the stdlib asks.
fn numeric_host_port(rb_self: &Addrinfo) -> Result<(Text, i32), Error> {
    let fast = rb_self.with(|i| need_ip(i).map(|()| lookup::numeric_host_port(&i.addr)))??;
    if let Some((host, port)) = fast {
        return Ok((host, i32::from(port)));
    }
    // libc's getnameinfo lets other threads run: work on a copy, not under the borrow.
    numeric_text(&rb_self.get()?.addr)
}

fn ip_address(ruby: &Ruby, rb_self: &Addrinfo) -> Result<RString, Error> {
    let (host, _) = numeric_host_port(rb_self)?;
    Ok(bin_str(ruby, host.as_bytes()))
}

fn ip_port(rb_self: &Addrinfo) -> Result<u16, Error> {
    rb_self.with(|i| {
        need_ip(i)?;
        let (want, what) = match afamily_of(&i.addr) {
            libc::AF_INET => (sockaddr::SIN_LEN, "IPv4"),
            _ => (sockaddr::SIN6_LEN, "IPv6"),
        };
        if i.addr.len() != want {
            return Err(errors::socket_error(format!(
                "unexpected sockaddr size for {what}"
            )));
        }
        Ok(u16::from_be_bytes([i.addr[2], i.addr[3]]))
    })?
}

fn ip_unpack(ruby: &Ruby, rb_self: &Addrinfo) -> Result<RArray, Error> {
    let (host, port) = numeric_host_port(rb_self)?;
    let host = bin_str(ruby, host.as_bytes()).as_value();
    Ok(ruby.ary_new_from_values(&[host, ruby.integer_from_i64(port.into()).as_value()]))
}

fn unix_path(ruby: &Ruby, rb_self: &Addrinfo) -> Result<RString, Error> {
    let i = rb_self.get()?;
    if afamily_of(&i.addr) != libc::AF_UNIX {
        return Err(errors::socket_error("need AF_UNIX address"));
    }
    let path = &i.addr[2..];
    let end = path.iter().rposition(|&c| c != 0).map_or(0, |p| p + 1);
    if end > sockaddr::SUN_PATH_MAX {
        return Err(errors::socket_error(format!(
            "too long AF_UNIX path ({end} bytes given but {} bytes max)",
            sockaddr::SUN_PATH_MAX
        )));
    }
    Ok(bin_str(ruby, &path[..end]))
}

/// The sockaddr as the stdlib reads it for the predicates: from a zero-filled
/// buffer, so bytes past a short sockaddr's end read as 0.
fn padded(addr: &[u8], len: usize) -> Vec<u8> {
    let mut b = addr.to_vec();
    if b.len() < len {
        b.resize(len, 0);
    }
    b
}

fn v4(i: &Inner) -> Option<Ipv4Addr> {
    if afamily_of(&i.addr) != libc::AF_INET {
        return None;
    }
    let b = padded(&i.addr, sockaddr::SIN_LEN);
    Some(Ipv4Addr::new(b[4], b[5], b[6], b[7]))
}

fn v6(i: &Inner) -> Option<Ipv6Addr> {
    if afamily_of(&i.addr) != libc::AF_INET6 {
        return None;
    }
    let b = padded(&i.addr, sockaddr::SIN6_LEN);
    let octets: [u8; 16] = b[8..24].try_into().ok()?;
    Some(Ipv6Addr::from(octets))
}

fn v4_pred(rb_self: &Addrinfo, f: fn(u32) -> bool) -> Result<bool, Error> {
    rb_self.with(|i| v4(i).is_some_and(|a| f(u32::from(a))))
}

fn v6_pred(rb_self: &Addrinfo, f: fn(&[u8; 16]) -> bool) -> Result<bool, Error> {
    rb_self.with(|i| v6(i).is_some_and(|a| f(&a.octets())))
}

fn ipv4_private(s: &Addrinfo) -> Result<bool, Error> {
    v4_pred(s, |a| {
        a & 0xff00_0000 == 0x0a00_0000
            || a & 0xfff0_0000 == 0xac10_0000
            || a & 0xffff_0000 == 0xc0a8_0000
    })
}

fn ipv4_loopback(s: &Addrinfo) -> Result<bool, Error> {
    v4_pred(s, |a| a & 0xff00_0000 == 0x7f00_0000)
}

fn ipv4_multicast(s: &Addrinfo) -> Result<bool, Error> {
    v4_pred(s, |a| a & 0xf000_0000 == 0xe000_0000)
}

fn is_unspecified(o: &[u8; 16]) -> bool {
    o.iter().all(|&b| b == 0)
}

fn is_loopback(o: &[u8; 16]) -> bool {
    o[..15].iter().all(|&b| b == 0) && o[15] == 1
}

fn is_multicast(o: &[u8; 16]) -> bool {
    o[0] == 0xff
}

fn is_v4mapped(o: &[u8; 16]) -> bool {
    o[..10].iter().all(|&b| b == 0) && o[10] == 0xff && o[11] == 0xff
}

/// ::a.b.c.d, but not :: or ::1.
fn is_v4compat(o: &[u8; 16]) -> bool {
    o[..12].iter().all(|&b| b == 0) && u32::from_be_bytes([o[12], o[13], o[14], o[15]]) > 1
}

fn mc_scope(o: &[u8; 16], scope: u8) -> bool {
    o[0] == 0xff && o[1] & 0x0f == scope
}

fn ipv6_unspecified(s: &Addrinfo) -> Result<bool, Error> {
    v6_pred(s, is_unspecified)
}

fn ipv6_loopback(s: &Addrinfo) -> Result<bool, Error> {
    v6_pred(s, is_loopback)
}

fn ipv6_multicast(s: &Addrinfo) -> Result<bool, Error> {
    v6_pred(s, is_multicast)
}

fn ipv6_linklocal(s: &Addrinfo) -> Result<bool, Error> {
    v6_pred(s, |o| o[0] == 0xfe && o[1] & 0xc0 == 0x80)
}

fn ipv6_sitelocal(s: &Addrinfo) -> Result<bool, Error> {
    v6_pred(s, |o| o[0] == 0xfe && o[1] & 0xc0 == 0xc0)
}

fn ipv6_unique_local(s: &Addrinfo) -> Result<bool, Error> {
    v6_pred(s, |o| o[0] & 0xfe == 0xfc)
}

fn ipv6_v4mapped(s: &Addrinfo) -> Result<bool, Error> {
    v6_pred(s, is_v4mapped)
}

fn ipv6_v4compat(s: &Addrinfo) -> Result<bool, Error> {
    v6_pred(s, is_v4compat)
}

fn ipv6_mc_nodelocal(s: &Addrinfo) -> Result<bool, Error> {
    v6_pred(s, |o| mc_scope(o, 0x1))
}

fn ipv6_mc_linklocal(s: &Addrinfo) -> Result<bool, Error> {
    v6_pred(s, |o| mc_scope(o, 0x2))
}

fn ipv6_mc_sitelocal(s: &Addrinfo) -> Result<bool, Error> {
    v6_pred(s, |o| mc_scope(o, 0x5))
}

fn ipv6_mc_orglocal(s: &Addrinfo) -> Result<bool, Error> {
    v6_pred(s, |o| mc_scope(o, 0x8))
}

fn ipv6_mc_global(s: &Addrinfo) -> Result<bool, Error> {
    v6_pred(s, |o| mc_scope(o, 0xe))
}

fn ipv6_to_ipv4(ruby: &Ruby, rb_self: &Addrinfo) -> Result<Value, Error> {
    let i = rb_self.get()?;
    let Some(a) = v6(&i) else {
        return Ok(ruby.qnil().as_value());
    };
    let o = a.octets();
    if !is_v4mapped(&o) && !is_v4compat(&o) {
        return Ok(ruby.qnil().as_value());
    }
    // The port is not carried over, the names are, as in the stdlib.
    let addr = sockaddr::pack_v4(0, Ipv4Addr::new(o[12], o[13], o[14], o[15])).to_vec();
    make(Inner {
        addr,
        pfamily: libc::PF_INET,
        socktype: i.socktype,
        protocol: i.protocol,
        canonname: i.canonname,
        inspectname: i.inspectname,
    })
}

fn getnameinfo(ruby: &Ruby, rb_self: &Addrinfo, args: &[Value]) -> Result<RArray, Error> {
    let args = args::split::<0, 1>(args)?;
    let mut flags = opt_int(args.optional[0], args::num2int)?;
    let i = rb_self.get()?;
    // A datagram address looks its port up as a UDP service, as the stdlib does.
    if i.socktype == libc::SOCK_DGRAM {
        flags |= libc::NI_DGRAM;
    }
    let (host, serv) = resolver::getnameinfo_bytes(&i.addr, flags)?;
    let out = ruby.ary_new_capa(2);
    out.push(bin_str(ruby, &host))?;
    out.push(bin_str(ruby, &serv))?;
    Ok(out)
}

// ---- text -------------------------------------------------------------

fn inspect_sockaddr(ruby: &Ruby, rb_self: &Addrinfo) -> Result<RString, Error> {
    let text = rb_self.with(|i| sockaddr::inspect(&i.addr))?;
    Ok(bin_str(ruby, text.as_bytes()))
}

/// "#<Addrinfo: ...>", with `class` (a subclass's name) in place of Addrinfo.
fn inspect_text(s: &mut Text, i: &Inner) {
    sockaddr::write_inspect(s, &i.addr);
    let af = afamily_of(&i.addr);
    if i.pfamily != 0 && i.pfamily != af {
        match constants::name("PF_", i.pfamily as i64) {
            Some(n) => {
                s.push_ascii(b' ');
                s.push_str(n);
            }
            None => {
                let _ = write!(s, " PF_???({})", i.pfamily);
            }
        }
    }
    let internet = is_ip(i.pfamily);
    if internet
        && i.socktype == libc::SOCK_STREAM
        && (i.protocol == 0 || i.protocol == libc::IPPROTO_TCP)
    {
        s.push_str(" TCP");
    } else if internet
        && i.socktype == libc::SOCK_DGRAM
        && (i.protocol == 0 || i.protocol == libc::IPPROTO_UDP)
    {
        s.push_str(" UDP");
    } else {
        if i.socktype != 0 {
            match constants::name("SOCK_", i.socktype as i64) {
                Some(n) => {
                    s.push_ascii(b' ');
                    s.push_str(n);
                }
                None => {
                    let _ = write!(s, " SOCK_???({})", i.socktype);
                }
            }
        }
        if i.protocol != 0 {
            let name = if internet {
                constants::name("IPPROTO_", i.protocol as i64)
            } else {
                None
            };
            match name {
                Some(n) => {
                    s.push_ascii(b' ');
                    s.push_str(n);
                }
                None => {
                    let _ = write!(s, " UNKNOWN_PROTOCOL({})", i.protocol);
                }
            }
        }
    }
}

/// The names inspect appends, as bytes: they need not be UTF-8.
fn inspect_names(ruby: &Ruby, out: &mut Vec<u8>, i: &Inner) -> Result<(), Error> {
    if let Some(c) = &i.canonname {
        out.push(b' ');
        out.extend_from_slice(&c.c_bytes(ruby)?);
    }
    if let Some(n) = &i.inspectname {
        out.extend_from_slice(b" (");
        out.extend_from_slice(&n.c_bytes(ruby)?);
        out.push(b')');
    }
    Ok(())
}

fn inspect(ruby: &Ruby, obj: Obj<Addrinfo>) -> Result<RString, Error> {
    let class = obj.class();
    let subclass_name = if class.equal(ruby.get_inner(&ADDRINFO_CLASS))? {
        None
    } else {
        let raw = class.as_raw();
        let name = magnus::rb_sys::protect(|| unsafe { rb_sys::rb_class_name(raw) })?;
        unsafe { RString::from_value(Value::from_raw(name)).map(|n| n.as_slice().to_vec()) }
    };
    let rb_self: &Addrinfo = &obj;
    // Only Strings are read under the borrow: no Ruby code runs there.
    rb_self.with(|i| {
        let mut body = Text::new();
        body.push_str(": ");
        inspect_text(&mut body, i);
        let named = i.canonname.is_some() || i.inspectname.is_some();
        if subclass_name.is_none() && !named {
            // The usual case, built on the stack.
            let mut text = Text::new();
            text.push_str("#<Addrinfo");
            text.push_str(body.as_str());
            text.push_ascii(b'>');
            return Ok(bin_str(ruby, text.as_bytes()));
        }
        // A class name or a name from the caller need not be UTF-8.
        let mut bytes = Vec::with_capacity(64);
        bytes.extend_from_slice(b"#<");
        bytes.extend_from_slice(subclass_name.as_deref().unwrap_or(b"Addrinfo"));
        bytes.extend_from_slice(body.as_bytes());
        inspect_names(ruby, &mut bytes, i)?;
        bytes.push(b'>');
        Ok(bin_str(ruby, &bytes))
    })?
}

// ---- Marshal ----------------------------------------------------------

/// A constant's name as its Symbol's frozen US-ASCII string (what the stdlib
/// dumps). Those strings live as long as the process, so each is made once
/// (and pinned for the GC) and then reused without calling into Ruby.
fn const_name_str(name: &'static str) -> Result<Value, Error> {
    static CACHE: std::sync::Mutex<Vec<(&'static str, rb_sys::VALUE)>> =
        std::sync::Mutex::new(Vec::new());
    let mut cache = CACHE.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(&(_, v)) = cache.iter().find(|(n, _)| std::ptr::eq(*n, name)) {
        return Ok(unsafe { Value::from_raw(v) });
    }
    let (ptr, len) = (
        name.as_ptr() as *const std::ffi::c_char,
        name.len() as std::ffi::c_long,
    );
    let v = magnus::rb_sys::protect(|| unsafe {
        let s = rb_sys::rb_id2str(rb_sys::rb_intern2(ptr, len));
        rb_sys::rb_gc_register_mark_object(s);
        s
    })?;
    cache.push((name, v));
    Ok(unsafe { Value::from_raw(v) })
}

fn marshal_dump(ruby: &Ruby, rb_self: &Addrinfo) -> Result<RArray, Error> {
    let i = rb_self.get()?;
    let af = afamily_of(&i.addr);
    // Constant names are US-ASCII, addresses binary, as the stdlib dumps them.
    let ascii = const_name_str;
    let pfamily = constants::name("PF_", i.pfamily as i64)
        .ok_or_else(|| errors::socket_error(format!("unknown protocol family: {}", i.pfamily)))?;
    let socktype = if i.socktype == 0 {
        ruby.integer_from_i64(0).as_value()
    } else {
        ascii(
            constants::name("SOCK_", i.socktype as i64)
                .ok_or_else(|| errors::socket_error(format!("unknown socktype: {}", i.socktype)))?,
        )?
    };
    let protocol = if i.protocol == 0 {
        ruby.integer_from_i64(0).as_value()
    } else if is_ip(af) {
        ascii(
            constants::name("IPPROTO_", i.protocol as i64).ok_or_else(|| {
                errors::socket_error(format!("unknown IP protocol: {}", i.protocol))
            })?,
        )?
    } else {
        return Err(errors::socket_error(format!(
            "unknown protocol: {}",
            i.protocol
        )));
    };
    let afamily = constants::name("AF_", af as i64)
        .ok_or_else(|| errors::socket_error(format!("unknown address family: {af}")))?;
    let addr = if af == libc::AF_UNIX {
        let path = &i.addr[2..];
        let end = path.iter().rposition(|&c| c != 0).map_or(0, |p| p + 1);
        bin_str(ruby, &path[..end]).as_value()
    } else {
        let (host, serv) = resolver::getnameinfo(&i.addr, NUMERIC)?;
        ruby.ary_new_from_values(&[
            bin_str(ruby, host.as_bytes()).as_value(),
            bin_str(ruby, serv.as_bytes()).as_value(),
        ])
        .as_value()
    };
    let opt = |v: &Option<Name>| match v {
        Some(n) => n.value(ruby).as_value(),
        None => ruby.qnil().as_value(),
    };
    // Built in one go: pushing one by one costs a rb_protect each.
    Ok(ruby.ary_new_from_values(&[
        ascii(afamily)?,
        addr,
        ascii(pfamily)?,
        socktype,
        protocol,
        opt(&i.canonname),
        opt(&i.inspectname),
    ]))
}

fn name_arg(v: Value, group: Group, msg: &'static str) -> Result<i32, Error> {
    let name = string_value(v)?;
    std::str::from_utf8(&name)
        .ok()
        .and_then(|n| args::lookup(group, n))
        .ok_or_else(|| errors::type_error(msg))
}

fn is_zero(v: Value) -> bool {
    rb_sys::FIXNUM_P(v.as_raw()) && args::num2int(v).ok() == Some(0)
}

/// Returns self, as the stdlib's does.
fn marshal_load(obj: Obj<Addrinfo>, data: Value) -> Result<Obj<Addrinfo>, Error> {
    let rb_self: &Addrinfo = &obj;
    rb_self.check_uninitialized()?;
    let ary = args::to_ary(data)?;
    let entry = |i: isize| ary.entry::<Value>(i);
    let af = name_arg(entry(0)?, Group::Family, "unexpected address family")?;
    let pfamily = name_arg(entry(2)?, Group::Family, "unexpected protocol family")?;
    let socktype = match entry(3)? {
        v if is_zero(v) => 0,
        v => name_arg(v, Group::SockType, "unexpected socktype")?,
    };
    // A protocol other than 0 must be a String (for any family), naming an
    // IPPROTO_ constant of an IP address.
    let protocol = match entry(4)? {
        v if is_zero(v) => 0,
        v if is_ip(af) => name_arg(v, Group::IpLevel, "unexpected protocol")?,
        v => {
            string_value(v)?;
            return Err(errors::type_error("unexpected protocol"));
        }
    };
    // The Strings themselves are kept, as the stdlib keeps them.
    let opt = |v: Value| -> Result<Option<Name>, Error> {
        if v.is_nil() {
            Ok(None)
        } else {
            Ok(Some(Name::Str(Opaque::from(args::string_value(v)?))))
        }
    };
    let canonname = opt(entry(5)?)?;
    let inspectname = opt(entry(6)?)?;
    let addr = if af == libc::AF_UNIX {
        // Always a full sockaddr_un, abstract and empty names too.
        let path = string_value(entry(1)?)?;
        sockaddr::pack_un_full(&path).map_err(|len| {
            errors::socket_error(format!(
                "too long AF_UNIX path ({len} bytes given but {} bytes max)",
                sockaddr::SUN_PATH_MAX
            ))
        })?
    } else {
        let pair = args::to_ary(entry(1)?)?;
        // As for Addrinfo.new: no socket type with a numeric port asks for
        // SOCK_DGRAM (one answer per address).
        let hint_socktype = if socktype == 0 && numeric_service(pair.entry(1)?) {
            libc::SOCK_DGRAM
        } else {
            socktype
        };
        let plain = matches!(
            (hint_socktype, protocol),
            (libc::SOCK_STREAM, 0 | libc::IPPROTO_TCP) | (libc::SOCK_DGRAM, 0 | libc::IPPROTO_UDP)
        );
        if let Some(packed) =
            numeric_pair(pair.entry(0)?, pair.entry(1)?, pfamily).filter(|_| plain)
        {
            rb_self.set(Inner {
                addr: packed,
                pfamily,
                socktype,
                protocol,
                canonname,
                inspectname,
            })?;
            return Ok(obj);
        }
        let flags = libc::AI_NUMERICHOST | libc::AI_NUMERICSERV;
        let found = resolver::lookup(
            pair.entry(0)?,
            pair.entry(1)?,
            pfamily,
            hint_socktype,
            protocol,
            flags,
            None,
        )?;
        let first = found
            .into_iter()
            .next()
            .ok_or_else(|| resolver::resolution_error("getaddrinfo", no_name()))?;
        first.addr
    };
    rb_self.set(Inner {
        addr,
        pfamily,
        socktype,
        protocol,
        canonname,
        inspectname,
    })?;
    Ok(obj)
}

/// Whether the stdlib takes a service as a number: an Integer, or a String
/// strtoul(3) reads to its end (" 80", "-1", but not "", "80 " or "http").
fn numeric_service(v: Value) -> bool {
    if v.is_kind_of(Ruby::get_with(v).class_integer()) {
        return true;
    }
    let Some(s) = RString::from_value(v) else {
        return false;
    };
    let b = unsafe { s.as_slice() };
    let start = b
        .iter()
        .position(|c| !c.is_ascii_whitespace() && *c != 0x0b)
        .unwrap_or(b.len());
    let digits = match b.get(start) {
        Some(b'+' | b'-') => &b[start + 1..],
        _ => &b[start..],
    };
    !digits.is_empty() && digits.iter().all(u8::is_ascii_digit)
}

/// The packed sockaddr for a dumped [address, port] pair of Strings that
/// parse in Rust and match `pfamily`; None sends the pair to the resolver
/// (which words any error the stdlib's way).
fn numeric_pair(host: Value, port: Value, pfamily: i32) -> Option<Vec<u8>> {
    let (host, port) = (RString::from_value(host)?, RString::from_value(port)?);
    let host = std::str::from_utf8(unsafe { host.as_slice() }).ok()?;
    let port = std::str::from_utf8(unsafe { port.as_slice() }).ok()?;
    if port.is_empty() || !port.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let port: u16 = port.parse().ok()?;
    match sockaddr::parse_numeric(host)? {
        Ip::V4(a, _) if pfamily == libc::PF_INET => Some(sockaddr::pack_v4(port, a).to_vec()),
        Ip::V6(a, _, scope) if pfamily == libc::PF_INET6 => {
            Some(sockaddr::pack_v6(port, a, 0, scope).to_vec())
        }
        _ => None,
    }
}

pub fn init(ruby: &Ruby) -> Result<(), Error> {
    let class = ruby.define_class("Addrinfo", ruby.class_object())?;
    class.define_alloc_func::<Addrinfo>();
    Lazy::force(&ADDRINFO_CLASS, ruby);
    class.define_private_method("initialize", method!(initialize, -1))?;
    class.define_singleton_method("getaddrinfo", function!(s_getaddrinfo, -1))?;
    class.define_singleton_method("tcp", function!(s_tcp, 2))?;
    class.define_singleton_method("udp", function!(s_udp, 2))?;
    class.define_singleton_method("ip", function!(s_ip, 1))?;
    class.define_singleton_method("unix", function!(s_unix, -1))?;
    class.define_method("afamily", method!(afamily, 0))?;
    class.define_method("pfamily", method!(pfamily, 0))?;
    class.define_method("socktype", method!(socktype, 0))?;
    class.define_method("protocol", method!(protocol, 0))?;
    class.define_method("canonname", method!(canonname, 0))?;
    class.define_method("to_sockaddr", method!(to_sockaddr, 0))?;
    class.define_method("to_s", method!(to_sockaddr, 0))?;
    class.define_method("ip?", method!(ip_p, 0))?;
    class.define_method("ipv4?", method!(ipv4_p, 0))?;
    class.define_method("ipv6?", method!(ipv6_p, 0))?;
    class.define_method("unix?", method!(unix_p, 0))?;
    class.define_method("ip_address", method!(ip_address, 0))?;
    class.define_method("ip_port", method!(ip_port, 0))?;
    class.define_method("ip_unpack", method!(ip_unpack, 0))?;
    class.define_method("unix_path", method!(unix_path, 0))?;
    class.define_method("ipv4_private?", method!(ipv4_private, 0))?;
    class.define_method("ipv4_loopback?", method!(ipv4_loopback, 0))?;
    class.define_method("ipv4_multicast?", method!(ipv4_multicast, 0))?;
    class.define_method("ipv6_unspecified?", method!(ipv6_unspecified, 0))?;
    class.define_method("ipv6_loopback?", method!(ipv6_loopback, 0))?;
    class.define_method("ipv6_multicast?", method!(ipv6_multicast, 0))?;
    class.define_method("ipv6_linklocal?", method!(ipv6_linklocal, 0))?;
    class.define_method("ipv6_sitelocal?", method!(ipv6_sitelocal, 0))?;
    class.define_method("ipv6_unique_local?", method!(ipv6_unique_local, 0))?;
    class.define_method("ipv6_v4mapped?", method!(ipv6_v4mapped, 0))?;
    class.define_method("ipv6_v4compat?", method!(ipv6_v4compat, 0))?;
    class.define_method("ipv6_mc_nodelocal?", method!(ipv6_mc_nodelocal, 0))?;
    class.define_method("ipv6_mc_linklocal?", method!(ipv6_mc_linklocal, 0))?;
    class.define_method("ipv6_mc_sitelocal?", method!(ipv6_mc_sitelocal, 0))?;
    class.define_method("ipv6_mc_orglocal?", method!(ipv6_mc_orglocal, 0))?;
    class.define_method("ipv6_mc_global?", method!(ipv6_mc_global, 0))?;
    class.define_method("ipv6_to_ipv4", method!(ipv6_to_ipv4, 0))?;
    class.define_method("getnameinfo", method!(getnameinfo, -1))?;
    class.define_method("inspect_sockaddr", method!(inspect_sockaddr, 0))?;
    class.define_method("inspect", method!(inspect, 0))?;
    class.define_method("marshal_dump", method!(marshal_dump, 0))?;
    class.define_method("marshal_load", method!(marshal_load, 1))?;
    Ok(())
}
