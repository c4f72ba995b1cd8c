//! Socket's name-resolution class methods: getaddrinfo, getnameinfo,
//! gethostbyname, gethostbyaddr, getservbyname, getservbyport.

use magnus::{
    function,
    prelude::*,
    rb_sys::{AsRawValue, FromRawValue},
    Error, RArray, RClass, RString, Ruby, Value,
};
use std::ffi::CString;

use crate::glue::objects;
use crate::glue::resolver::{self, GaiError};
use crate::glue::{args, errors, sockets};
use crate::sys::{lookup, sockaddr};

/// Defines the resolution class methods on Socket.
pub fn init(socket: RClass) -> Result<(), Error> {
    socket.define_singleton_method("getaddrinfo", function!(s_getaddrinfo, -1))?;
    socket.define_singleton_method("getnameinfo", function!(s_getnameinfo, -1))?;
    socket.define_singleton_method("gethostbyname", function!(s_gethostbyname, 1))?;
    socket.define_singleton_method("gethostbyaddr", function!(s_gethostbyaddr, -1))?;
    socket.define_singleton_method("getservbyname", function!(s_getservbyname, -1))?;
    socket.define_singleton_method("getservbyport", function!(s_getservbyport, -1))?;
    Ok(())
}

fn opt_arg(v: Option<Value>, f: fn(Value) -> Result<i32, Error>) -> Result<i32, Error> {
    match v {
        Some(v) if !v.is_nil() => f(v),
        _ => Ok(0),
    }
}

/// Socket.getaddrinfo(host, port, family=nil, socktype=nil, protocol=nil,
/// flags=nil, reverse_lookup=nil): rows of ipaddr_row plus family, socktype
/// and protocol.
fn s_getaddrinfo(ruby: &Ruby, args: &[Value]) -> Result<RArray, Error> {
    let args = args::split::<2, 5>(args)?;
    let [host, port] = args.required;
    let [family, socktype, protocol, flags, revlookup] = args.optional;
    let family = opt_arg(family, args::family)?;
    let socktype = opt_arg(socktype, args::socktype)?;
    let protocol = opt_arg(protocol, args::num2int)?;
    let flags = opt_arg(flags, args::num2int)?;
    let norevlookup = match revlookup {
        Some(v) => resolver::revlookup_flag(v)?,
        None => None,
    }
    .unwrap_or_else(sockets::default_do_not_reverse_lookup);
    let found = resolver::lookup(host, port, family, socktype, protocol, flags, None)?;
    let out = ruby.ary_new_capa(found.len());
    for r in &found {
        let [family, port, mut host, numeric] =
            resolver::ipaddr_values(ruby, &r.addr, norevlookup)?;
        // With AI_CANONNAME the entry that carries the canonical name shows it.
        if let Some(canon) = &r.canonname {
            host = ruby.str_from_slice(canon.as_bytes()).as_value();
        }
        let row = ruby.ary_new_from_values(&[
            family,
            port,
            host,
            numeric,
            ruby.integer_from_i64(r.family as i64).as_value(),
            ruby.integer_from_i64(r.socktype as i64).as_value(),
            ruby.integer_from_i64(r.protocol as i64).as_value(),
        ]);
        out.push(row)?;
    }
    Ok(out)
}

/// Socket.getnameinfo(sockaddr, flags=0): a packed sockaddr (or Addrinfo),
/// or [family, port, host] / [family, port, host, numeric_host].
fn s_getnameinfo(ruby: &Ruby, args: &[Value]) -> Result<RArray, Error> {
    let args = args::split::<1, 1>(args)?;
    let sa = args.required[0];
    let flags = opt_arg(args.optional[0], args::num2int)?;
    let pair = |(h, s): (Vec<u8>, Vec<u8>)| -> Result<RArray, Error> {
        let out = ruby.ary_new_capa(2);
        out.push(ruby.str_from_slice(&h))?;
        out.push(ruby.str_from_slice(&s))?;
        Ok(out)
    };
    let addrinfo_class: RClass = ruby.class_object().const_get("Addrinfo")?;
    let raw = sa.as_raw();
    let string = if sa.is_kind_of(addrinfo_class) {
        Some(objects::sockaddr_bytes(sa)?)
    } else {
        let s = magnus::rb_sys::protect(|| unsafe { rb_sys::rb_check_string_type(raw) })?;
        RString::from_value(unsafe { Value::from_raw(s) }).map(|s| unsafe { s.as_slice() }.to_vec())
    };
    if let Some(bytes) = string {
        if bytes.len() > lookup::MAX_SOCKADDR_LEN {
            return Err(errors::type_error("sockaddr length too big"));
        }
        return pair(resolver::getnameinfo_bytes(&bytes, flags)?);
    }
    let ary = magnus::rb_sys::protect(|| unsafe { rb_sys::rb_check_array_type(raw) })?;
    let Some(ary) = RArray::from_value(unsafe { Value::from_raw(ary) }) else {
        return Err(errors::type_error("expecting String or Array"));
    };
    let len = ary.len();
    let mut lookup_flags = 0;
    let (af, port, host) = match len {
        3 => (ary.entry(0)?, ary.entry(1)?, ary.entry::<Value>(2)?),
        n if n >= 4 => {
            let numeric: Value = ary.entry(3)?;
            if numeric.is_nil() {
                (ary.entry(0)?, ary.entry(1)?, ary.entry(2)?)
            } else {
                // The 4th element is the numeric form: don't resolve it.
                lookup_flags = libc::AI_NUMERICHOST;
                (ary.entry(0)?, ary.entry(1)?, numeric)
            }
        }
        n => {
            return Err(errors::arg_error(format!(
                "array size should be 3 or 4, {n} given"
            )))
        }
    };
    let socktype = if flags & libc::NI_DGRAM != 0 {
        libc::SOCK_DGRAM
    } else {
        libc::SOCK_STREAM
    };
    let family = opt_arg(Some(af), args::family)?;
    let found = resolver::lookup(host, port, family, socktype, 0, lookup_flags, None)?;
    let mut answer: Option<(Vec<u8>, Vec<u8>)> = None;
    for r in &found {
        let this = resolver::getnameinfo_bytes(&r.addr, flags)?;
        match &answer {
            None => answer = Some(this),
            Some(first) if *first != this => {
                return Err(errors::socket_error(
                    "sockaddr resolved to multiple nodename",
                ))
            }
            Some(_) => {}
        }
    }
    match answer {
        Some(a) => pair(a),
        None => Err(resolver::resolution_error(
            "getaddrinfo",
            GaiError::new(libc::EAI_NONAME),
        )),
    }
}

/// The raw in_addr / in6_addr bytes of a sockaddr.
fn raw_address(sa: &[u8]) -> Result<&[u8], Error> {
    match sockaddr::family(sa) {
        Some(libc::AF_INET) if sa.len() >= 8 => Ok(&sa[4..8]),
        Some(libc::AF_INET6) if sa.len() >= 24 => Ok(&sa[8..24]),
        f => Err(errors::socket_error(format!(
            "unknown socket family:{}",
            f.unwrap_or(0)
        ))),
    }
}

/// Socket.gethostbyname(host): [name, aliases, family, *packed addresses].
fn s_gethostbyname(ruby: &Ruby, host: Value) -> Result<RArray, Error> {
    resolver::warn(c"Socket.gethostbyname is deprecated; use Addrinfo.getaddrinfo instead.")?;
    let h = resolver::hostent(host)?;
    let packed = h
        .addrs
        .iter()
        .map(|r| raw_address(&r.addr).map(|b| Some(ruby.str_from_slice(b).as_value())));
    resolver::hostent_row(ruby, &h.name, &h.aliases, h.family, packed)
}

/// Socket.gethostbyaddr(address, family=nil): the host entry for a packed
/// 4- or 16-byte address.
fn s_gethostbyaddr(ruby: &Ruby, args: &[Value]) -> Result<RArray, Error> {
    resolver::warn(c"Socket.gethostbyaddr is deprecated; use Addrinfo#getnameinfo instead.")?;
    let args = args::split::<1, 1>(args)?;
    let addr = string_value(args.required[0])?;
    let family = match args.optional[0] {
        Some(f) if !f.is_nil() => args::family(f)?,
        _ if addr.len() == 16 => libc::AF_INET6,
        _ => libc::AF_INET,
    };
    let h = resolver::off_gvl(move || lookup::host_by_addr(&addr, family), None)?.flatten();
    let Some(h) = h else {
        return Err(errors::socket_error("host not found"));
    };
    let packed = h
        .addrs
        .iter()
        .map(|a| Ok(Some(ruby.str_from_slice(a).as_value())));
    resolver::hostent_row(ruby, &h.name, &h.aliases, h.addrtype, packed)
}

/// StringValue: implicit String conversion with Ruby's TypeError.
fn string_value(v: Value) -> Result<Vec<u8>, Error> {
    Ok(unsafe { args::string_value(v)?.as_slice() }.to_vec())
}

fn proto_arg(v: Option<Value>) -> Result<CString, Error> {
    match v {
        Some(p) if !p.is_nil() => args::string_value_cstr(p),
        _ => Ok(c"tcp".to_owned()),
    }
}

/// Socket.getservbyname(service, proto="tcp"): the port from the services
/// database, else the service parsed as strtoul(3) with base 0 does.
fn s_getservbyname(args: &[Value]) -> Result<i64, Error> {
    let args = args::split::<1, 1>(args)?;
    let service = args.required[0];
    let proto = args.optional[0].filter(|p| !p.is_nil());
    string_value(service)?;
    if let Some(p) = proto {
        string_value(p)?;
    }
    let name = args::string_value_cstr(service)?;
    let proto = proto_arg(proto)?;
    if let Some(port) = lookup::serv_by_name(&name, &proto) {
        return Ok(port as i64);
    }
    let mut end: *mut libc::c_char = std::ptr::null_mut();
    let n = unsafe { libc::strtoul(name.as_ptr(), &mut end, 0) };
    if end.is_null() || unsafe { *end } != 0 {
        let mut msg = b"no such service ".to_vec();
        msg.extend_from_slice(name.as_bytes());
        msg.push(b'/');
        msg.extend_from_slice(proto.as_bytes());
        return Err(errors::socket_error_bytes(&msg));
    }
    // Kept in a C long, as the stdlib does: ULONG_MAX reads as -1.
    Ok(n as i64)
}

/// Socket.getservbyport(port, proto="tcp"): the service name for a port.
fn s_getservbyport(ruby: &Ruby, args: &[Value]) -> Result<RString, Error> {
    let args = args::split::<1, 1>(args)?;
    let raw = args.required[0].as_raw();
    let mut port: i64 = 0;
    magnus::rb_sys::protect(|| unsafe {
        port = rb_sys::rb_num2long(raw) as i64;
        rb_sys::Qnil as rb_sys::VALUE
    })?;
    if port != port as u16 as i64 {
        let size = if port > 0 { "big" } else { "small" };
        return Err(Error::new(
            ruby.exception_range_error(),
            format!("integer {port} too {size} to convert into `int16_t'"),
        ));
    }
    let proto = proto_arg(args.optional[0])?;
    match lookup::serv_by_port(port as u16, &proto) {
        Some(name) => Ok(ruby.str_from_slice(&name)),
        None => {
            let mut msg = format!("no such service for port {port}/").into_bytes();
            msg.extend_from_slice(proto.as_bytes());
            Err(errors::socket_error_bytes(&msg))
        }
    }
}
