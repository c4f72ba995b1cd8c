//! Socket::AncillaryData, and the control-message (cmsg) codec that
//! sendmsg/recvmsg use. A plain object: family, level, type and data live in
//! hidden instance variables (names without "@") as in the stdlib, so dup,
//! clone and Marshal carry them. Encoding, parsing and the inspect text are
//! pure Rust and safe on arbitrary bytes.

use std::mem::size_of;
use std::net::{Ipv4Addr, Ipv6Addr};

use magnus::{
    function, method,
    prelude::*,
    rb_sys::{AsRawValue, FromRawValue},
    Error, RArray, RClass, RString, Ruby, Value,
};

use crate::glue::objects::{self, new_ancdata, set_unix_rights, store_ancdata};
use crate::sys::cmsg;
use crate::{glue::args, glue::errors, glue::hidden, glue::sockio, sys::cbytes, sys::sockaddr};

const INT_SIZE: usize = size_of::<libc::c_int>();

fn family_of(v: Value) -> Result<i32, Error> {
    args::num2int(hidden::get(v, &hidden::FAMILY))
}

fn level_of(v: Value) -> Result<i32, Error> {
    args::num2int(hidden::get(v, &hidden::LEVEL))
}

fn type_of(v: Value) -> Result<i32, Error> {
    args::num2int(hidden::get(v, &hidden::TYPE))
}

fn data(v: Value) -> Result<RString, Error> {
    args::string_value(hidden::get(v, &hidden::DATA))
}

fn data_bytes(v: Value) -> Result<Vec<u8>, Error> {
    Ok(unsafe { data(v)?.as_slice() }.to_vec())
}

fn initialize(
    rb_self: Value,
    family: Value,
    level: Value,
    ctype: Value,
    data: Value,
) -> Result<Value, Error> {
    let family = args::family(family)?;
    let level = args::level(family, level)?;
    let ctype = args::cmsg_type(family, level, ctype)?;
    // The stdlib keeps the caller's String itself.
    let data = args::string_value(data)?;
    store_ancdata(rb_self, family, level, ctype, data.as_value())?;
    Ok(rb_self)
}

fn family(v: Value) -> Result<i32, Error> {
    family_of(v)
}

fn level(v: Value) -> Result<i32, Error> {
    level_of(v)
}

fn ctype(v: Value) -> Result<i32, Error> {
    type_of(v)
}

fn cmsg_is(rb_self: Value, level: Value, ctype: Value) -> Result<bool, Error> {
    let family = family_of(rb_self)?;
    let l = args::level(family, level)?;
    let t = args::cmsg_type(family, l, ctype)?;
    Ok(level_of(rb_self)? == l && type_of(rb_self)? == t)
}

fn int(rb_self: Value) -> Result<i32, Error> {
    let d = data_bytes(rb_self)?;
    if d.len() != INT_SIZE {
        return Err(errors::type_error(format!(
            "size differ.  expected as sizeof(int)={INT_SIZE} but {}",
            d.len()
        )));
    }
    Ok(cbytes::ne_i32(&d, 0))
}

fn s_int(family: Value, level: Value, ctype: Value, v: Value) -> Result<Value, Error> {
    let family = args::family(family)?;
    let level = args::level(family, level)?;
    let ctype = args::cmsg_type(family, level, ctype)?;
    let i = args::num2int(v)?;
    new_ancdata(family, level, ctype, &i.to_ne_bytes())
}

fn is_io(v: Value) -> bool {
    unsafe { rb_sys::RB_TYPE_P(v.as_raw(), rb_sys::ruby_value_type::RUBY_T_FILE) }
}

fn s_unix_rights(ruby: &Ruby, ios: &[Value]) -> Result<Value, Error> {
    let mut d = Vec::with_capacity(ios.len() * INT_SIZE);
    let list = ruby.ary_new_capa(ios.len());
    for &io in ios {
        if !is_io(io) {
            return Err(errors::type_error("IO expected"));
        }
        d.extend_from_slice(&sockio::fd(io)?.to_ne_bytes());
        list.push(io)?;
    }
    let obj = new_ancdata(libc::AF_UNIX, libc::SOL_SOCKET, libc::SCM_RIGHTS, &d)?;
    set_unix_rights(obj, list)?;
    Ok(obj)
}

fn unix_rights(rb_self: Value) -> Result<Value, Error> {
    if level_of(rb_self)? != libc::SOL_SOCKET || type_of(rb_self)? != libc::SCM_RIGHTS {
        return Err(errors::type_error("SCM_RIGHTS ancillary data expected"));
    }
    Ok(hidden::get(rb_self, &hidden::UNIX_RIGHTS))
}

fn timestamp(rb_self: Value) -> Result<Value, Error> {
    let level = level_of(rb_self)?;
    let ctype = type_of(rb_self)?;
    let d = data_bytes(rb_self)?;
    let ns = match ctype {
        libc::SO_TIMESTAMP if d.len() == cmsg::TIMEVAL_SIZE => false,
        libc::SO_TIMESTAMPNS if d.len() == cmsg::TIMESPEC_SIZE => true,
        _ => return Err(errors::type_error("timestamp ancillary data expected")),
    };
    if level != libc::SOL_SOCKET {
        return Err(errors::type_error("timestamp ancillary data expected"));
    }
    let (sec, frac) = (cbytes::ne_i64(&d, 0), cbytes::ne_i64(&d, 8));
    let t = magnus::rb_sys::protect(|| unsafe {
        if ns {
            rb_sys::rb_time_nano_new(sec as libc::time_t, frac as libc::c_long)
        } else {
            rb_sys::rb_time_new(sec as libc::time_t, frac as libc::c_long)
        }
    })?;
    Ok(unsafe { Value::from_raw(t) })
}

/// NUM2UINT (an interface index): "no implicit conversion from nil to
/// integer", negative values wrap as in C.
fn to_uint(v: Value) -> Result<u32, Error> {
    let raw = v.as_raw();
    let n = magnus::rb_sys::protect(|| unsafe { rb_sys::rb_num2uint(raw) as rb_sys::VALUE })?;
    Ok(n as u32)
}

/// Checks the packed address of an IP argument (sockaddr String or Addrinfo,
/// see objects::sockaddr_bytes) for the family's size and family.
/// `what` names the argument in the size error and in the family error.
fn ip_arg(b: Vec<u8>, what: (&str, &str), family: i32) -> Result<Vec<u8>, Error> {
    let (len, name) = if family == libc::AF_INET {
        (sockaddr::SIN_LEN, "AF_INET")
    } else {
        (sockaddr::SIN6_LEN, "AF_INET6")
    };
    if b.len() != len {
        return Err(errors::arg_error(format!(
            "{} size different to {name} sockaddr",
            what.0
        )));
    }
    if sockaddr::family(&b) != Some(family) {
        return Err(errors::arg_error(format!(
            "{} is not {name} sockaddr",
            what.1
        )));
    }
    Ok(b)
}

fn s_ip_pktinfo(args: &[Value]) -> Result<Value, Error> {
    args::check_arity(args.len(), 2, 3)?;
    // The stdlib's order: each argument converted, then the addresses checked.
    let addr = objects::sockaddr_bytes(args[0])?;
    let ifindex = to_uint(args[1])?;
    let spec = args::optional(args, 2)
        .map(objects::sockaddr_bytes)
        .transpose()?;
    let addr = ip_arg(addr, ("addr", "addr"), libc::AF_INET)?;
    let spec = match spec {
        // The stdlib spells the argument two ways in its two errors.
        Some(b) => ip_arg(b, ("spec_dat", "spec_dst"), libc::AF_INET)?,
        None => addr.clone(),
    };
    let mut d = Vec::with_capacity(cmsg::IN_PKTINFO_SIZE);
    d.extend_from_slice(&ifindex.to_ne_bytes());
    d.extend_from_slice(&spec[4..8]);
    d.extend_from_slice(&addr[4..8]);
    new_ancdata(libc::AF_INET, libc::IPPROTO_IP, libc::IP_PKTINFO, &d)
}

fn v4_addrinfo(b: &[u8]) -> Result<Value, Error> {
    let sa = sockaddr::pack_v4(0, Ipv4Addr::new(b[0], b[1], b[2], b[3]));
    objects::new_addrinfo(&sa, libc::AF_INET, 0, 0)
}

fn ip_pktinfo(ruby: &Ruby, rb_self: Value) -> Result<RArray, Error> {
    // Level, type, then data, each converted before any is compared.
    let (level, ctype, d) = (level_of(rb_self)?, type_of(rb_self)?, data_bytes(rb_self)?);
    if level != libc::IPPROTO_IP || ctype != libc::IP_PKTINFO || d.len() != cmsg::IN_PKTINFO_SIZE {
        return Err(errors::type_error("IP_PKTINFO ancillary data expected"));
    }
    let out = ruby.ary_new_capa(3);
    out.push(v4_addrinfo(&d[8..12])?)?;
    out.push(cbytes::ne_u32(&d, 0))?;
    out.push(v4_addrinfo(&d[4..8])?)?;
    Ok(out)
}

fn s_ipv6_pktinfo(addr: Value, ifindex: Value) -> Result<Value, Error> {
    let addr = objects::sockaddr_bytes(addr)?;
    let ifindex = to_uint(ifindex)?;
    let addr = ip_arg(addr, ("addr", "addr"), libc::AF_INET6)?;
    let mut d = Vec::with_capacity(cmsg::IN6_PKTINFO_SIZE);
    d.extend_from_slice(&addr[8..24]);
    d.extend_from_slice(&ifindex.to_ne_bytes());
    new_ancdata(libc::AF_INET6, libc::IPPROTO_IPV6, libc::IPV6_PKTINFO, &d)
}

/// (Addrinfo, ifindex) of an IPV6_PKTINFO message; link-local addresses get
/// the interface as their scope.
fn ipv6_parts(rb_self: Value) -> Result<(Value, u32), Error> {
    let (level, ctype, d) = (level_of(rb_self)?, type_of(rb_self)?, data_bytes(rb_self)?);
    if level != libc::IPPROTO_IPV6
        || ctype != libc::IPV6_PKTINFO
        || d.len() != cmsg::IN6_PKTINFO_SIZE
    {
        return Err(errors::type_error("IPV6_PKTINFO ancillary data expected"));
    }
    let octets: [u8; 16] = d[..16]
        .try_into()
        .map_err(|_| errors::type_error("IPV6_PKTINFO ancillary data expected"))?;
    let ip = Ipv6Addr::from(octets);
    let ifindex = cbytes::ne_u32(&d, 16);
    let scope = if ip.segments()[0] & 0xffc0 == 0xfe80 {
        ifindex
    } else {
        0
    };
    let sa = sockaddr::pack_v6(0, ip, 0, scope);
    Ok((objects::new_addrinfo(&sa, libc::AF_INET6, 0, 0)?, ifindex))
}

fn ipv6_pktinfo(rb_self: Value) -> Result<(Value, u32), Error> {
    ipv6_parts(rb_self)
}

fn ipv6_pktinfo_addr(rb_self: Value) -> Result<Value, Error> {
    Ok(ipv6_parts(rb_self)?.0)
}

fn ipv6_pktinfo_ifindex(rb_self: Value) -> Result<u32, Error> {
    Ok(ipv6_parts(rb_self)?.1)
}

fn inspect(rb_self: Value) -> Result<RString, Error> {
    let (family, level, ctype) = (family_of(rb_self)?, level_of(rb_self)?, type_of(rb_self)?);
    let data = data(rb_self)?;
    let decoded = cmsg::decode(family, level, ctype, unsafe { data.as_slice() });
    hidden::inspect(rb_self, &cmsg::head(family, level, ctype), decoded, data)
}

pub fn init(ruby: &Ruby, socket: RClass) -> Result<(), Error> {
    let class = socket.define_class("AncillaryData", ruby.class_object())?;
    class.define_method("initialize", method!(initialize, 4))?;
    class.define_method("inspect", method!(inspect, 0))?;
    class.define_method("family", method!(family, 0))?;
    class.define_method("level", method!(level, 0))?;
    class.define_method("type", method!(ctype, 0))?;
    class.define_method("data", method!(data, 0))?;
    class.define_method("cmsg_is?", method!(cmsg_is, 2))?;
    class.define_singleton_method("int", function!(s_int, 4))?;
    class.define_method("int", method!(int, 0))?;
    class.define_singleton_method("unix_rights", function!(s_unix_rights, -1))?;
    class.define_method("unix_rights", method!(unix_rights, 0))?;
    class.define_method("timestamp", method!(timestamp, 0))?;
    class.define_singleton_method("ip_pktinfo", function!(s_ip_pktinfo, -1))?;
    class.define_method("ip_pktinfo", method!(ip_pktinfo, 0))?;
    class.define_singleton_method("ipv6_pktinfo", function!(s_ipv6_pktinfo, 2))?;
    class.define_method("ipv6_pktinfo", method!(ipv6_pktinfo, 0))?;
    class.define_method("ipv6_pktinfo_addr", method!(ipv6_pktinfo_addr, 0))?;
    class.define_method("ipv6_pktinfo_ifindex", method!(ipv6_pktinfo_ifindex, 0))?;
    Ok(())
}
