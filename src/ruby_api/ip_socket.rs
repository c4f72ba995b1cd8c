//! IPSocket: what IP sockets (TCP and UDP) add to BasicSocket: their
//! addresses as ["AF_INET", port, host, numeric host] arrays, recvfrom with
//! such a sender, an inspect that shows the local address, and getaddress.

use magnus::{
    function, method, prelude::*, rb_sys::AsRawValue, Error, RArray, RClass, RString, Ruby, Value,
};

use crate::glue::sockets::Mode;
use crate::ruby_api::basic_socket::{self, Received};
use crate::sys::lookup;
use crate::sys::sockaddr::SockAddr;
use crate::{glue::errors, glue::resolver, glue::ruby_version, glue::sockio, sys::constants};

/// addr / peeraddr: only the first argument counts, as in the stdlib.
fn address(rb_self: Value, args: &[Value], peer: bool) -> Result<RArray, Error> {
    // Closed, then the flag (the other way round from 3.4), then the address.
    if !ruby_version::ADDR_CHECKS_FLAG_FIRST {
        sockio::fd(rb_self)?;
    }
    let norevlookup = match args.first() {
        Some(&v) => resolver::revlookup_flag(v)?,
        None => None,
    };
    sockio::fd(rb_self)?;
    let norevlookup = match norevlookup {
        Some(n) => n,
        None => basic_socket::do_not_reverse_lookup(rb_self)?,
    };
    let sa = basic_socket::name_of(rb_self, peer)?;
    resolver::ipaddr_row(&Ruby::get_with(rb_self), sa.as_bytes(), norevlookup)
}

fn addr(rb_self: Value, args: &[Value]) -> Result<RArray, Error> {
    address(rb_self, args, false)
}

fn peeraddr(rb_self: Value, args: &[Value]) -> Result<RArray, Error> {
    address(rb_self, args, true)
}

/// [data, sender as an ipaddr array]; the sender is nil when the kernel
/// gives none (connected streams), the whole result nil at end of stream.
pub fn recvfrom_result(ruby: &Ruby, rb_self: Value, got: Received) -> Result<Value, Error> {
    match got {
        Received::WouldBlock => Ok(basic_socket::wait_readable_symbol(ruby)),
        Received::Data(s, _) if s.is_nil() => Ok(s),
        Received::Data(s, sa) => {
            let from = if sa.as_bytes().is_empty() {
                ruby.qnil().as_value()
            } else {
                resolver::ipaddr_row(
                    ruby,
                    sa.as_bytes(),
                    basic_socket::do_not_reverse_lookup(rb_self)?,
                )?
                .as_value()
            };
            Ok(ruby.ary_new_from_values(&[s, from]).as_value())
        }
    }
}

fn recvfrom(ruby: &Ruby, rb_self: Value, args: &[Value]) -> Result<Value, Error> {
    let args = crate::glue::args::split::<1, 2>(args)?;
    let [flags, outbuf] = args.optional;
    let got = basic_socket::receive(
        rb_self,
        args.required[0],
        flags,
        outbuf,
        Mode::Blocking,
        "recv",
    )?;
    recvfrom_result(ruby, rb_self, got)
}

/// IO#inspect with the local address: "#<UDPSocket:fd 5, AF_INET, 127.0.0.1, 4242>".
fn inspect(ruby: &Ruby, rb_self: Value) -> Result<RString, Error> {
    let base: RString = ruby.call_super(())?;
    let Ok(fd) = sockio::fd(rb_self) else {
        return Ok(base);
    };
    let mut sa = SockAddr::buffer();
    if unsafe { libc::getsockname(fd, sa.as_mut_ptr(), sa.len_mut()) } < 0 {
        return Ok(base);
    }
    let bytes = sa.as_bytes();
    let Some(family) =
        crate::sys::sockaddr::family(bytes).and_then(|f| constants::name("AF_", f as i64))
    else {
        return Ok(base);
    };
    let text = unsafe { base.as_slice() };
    let (head, closing) = match text.split_last() {
        Some((b'>', rest)) if text.len() > 1 => (rest, true),
        _ => (text, false),
    };
    let mut out = head.to_vec();
    out.extend_from_slice(b", ");
    out.extend_from_slice(family.as_bytes());
    if let Ok((host, port)) = resolver::getnameinfo(bytes, lookup::NUMERIC) {
        out.extend_from_slice(format!(", {host}, {port}").as_bytes());
    }
    if closing {
        out.push(b'>');
    }
    let s = ruby.str_from_slice(&out);
    s.enc_associate(base.enc_get())?;
    Ok(s)
}

/// IPSocket.getaddress(host): the first address the host resolves to, as text.
fn s_getaddress(host: Value) -> Result<String, Error> {
    let found = resolver::lookup(
        host,
        Ruby::get_with(host).qnil().as_value(),
        libc::AF_UNSPEC,
        libc::SOCK_STREAM,
        0,
        0,
        None,
    )?;
    let Some(first) = found.first() else {
        return Err(errors::socket_error("getaddrinfo: no address"));
    };
    let (text, _) = resolver::getnameinfo(&first.addr, lookup::NUMERIC)?;
    Ok(text)
}

pub fn init(ruby: &Ruby, basic_socket: RClass) -> Result<RClass, Error> {
    let class = ruby.define_class("IPSocket", basic_socket)?;
    class.define_method("addr", method!(addr, -1))?;
    class.define_method("peeraddr", method!(peeraddr, -1))?;
    class.define_method("recvfrom", method!(recvfrom, -1))?;
    class.define_method("inspect", method!(inspect, 0))?;
    class.define_singleton_method("getaddress", function!(s_getaddress, 1))?;
    // Peer credentials exist for UNIX sockets only: the stdlib undefines it here.
    let raw = class.as_raw();
    magnus::rb_sys::protect(|| unsafe {
        rb_sys::rb_undef_method(raw, c"getpeereid".as_ptr());
        rb_sys::Qnil as rb_sys::VALUE
    })?;
    Ok(class)
}
