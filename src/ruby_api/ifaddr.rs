//! Socket::Ifaddr (one getifaddrs(3) entry), Socket.getifaddrs and
//! Socket.ip_address_list. Entries are copied out of the libc list at once,
//! so an Ifaddr owns plain bytes and needs no shared root.

use magnus::{function, method, prelude::*, value::Lazy, Error, RArray, RClass, RString, Ruby};
use std::ffi::CStr;

use crate::glue::objects;
use crate::{glue::errors, sys::sockaddr};

#[magnus::wrap(class = "Socket::Ifaddr", free_immediately, size)]
pub struct Ifaddr {
    name: Vec<u8>,
    flags: u32,
    addr: Option<Vec<u8>>,
    netmask: Option<Vec<u8>>,
    /// ifa_broadaddr / ifa_dstaddr: one field, read by the flags
    /// (IFF_BROADCAST or IFF_POINTOPOINT) as the stdlib does.
    ifu: Option<Vec<u8>>,
}

static CLASS: Lazy<RClass> = Lazy::new(|ruby| {
    ruby.class_object()
        .const_get::<_, RClass>("Socket")
        .and_then(|s| s.const_get("Ifaddr"))
        .unwrap_or_else(|_| ruby.class_object())
});

/// How many bytes of a libc sockaddr belong to it, by its family (no sa_len
/// on Linux): sockaddr_ll counts up to its hardware address.
unsafe fn sockaddr_bytes(sa: *const libc::sockaddr) -> Option<Vec<u8>> {
    if sa.is_null() {
        return None;
    }
    let len = match (*sa).sa_family as i32 {
        libc::AF_INET => sockaddr::SIN_LEN,
        libc::AF_INET6 => sockaddr::SIN6_LEN,
        libc::AF_UNIX => sockaddr::SUN_LEN,
        libc::AF_PACKET => {
            let ll = &*(sa as *const libc::sockaddr_ll);
            12 + ll.sll_halen as usize
        }
        _ => 2,
    };
    Some(std::slice::from_raw_parts(sa as *const u8, len).to_vec())
}

/// getifaddrs(3), copied. Errno::X "getifaddrs" when it fails.
fn read_ifaddrs() -> Result<Vec<Ifaddr>, Error> {
    let mut list: *mut libc::ifaddrs = std::ptr::null_mut();
    if unsafe { libc::getifaddrs(&mut list) } < 0 {
        return Err(errors::last_syserr("getifaddrs"));
    }
    let mut out = Vec::new();
    let mut p = list;
    while !p.is_null() {
        let ifa = unsafe { &*p };
        let name = if ifa.ifa_name.is_null() {
            Vec::new()
        } else {
            unsafe { CStr::from_ptr(ifa.ifa_name) }.to_bytes().to_vec()
        };
        out.push(Ifaddr {
            name,
            flags: ifa.ifa_flags,
            addr: unsafe { sockaddr_bytes(ifa.ifa_addr) },
            netmask: unsafe { sockaddr_bytes(ifa.ifa_netmask) },
            ifu: unsafe { sockaddr_bytes(ifa.ifa_ifu) },
        });
        p = ifa.ifa_next;
    }
    unsafe { libc::freeifaddrs(list) };
    Ok(out)
}

impl Ifaddr {
    fn broadaddr_bytes(&self) -> Option<&[u8]> {
        if self.flags & libc::IFF_BROADCAST as u32 == 0 {
            return None;
        }
        self.ifu.as_deref()
    }

    fn dstaddr_bytes(&self) -> Option<&[u8]> {
        if self.flags & libc::IFF_POINTOPOINT as u32 == 0 {
            return None;
        }
        self.ifu.as_deref()
    }
}

fn addrinfo_of(bytes: Option<&[u8]>) -> Result<Option<magnus::Value>, Error> {
    bytes.map(|b| objects::new_addrinfo(b, 0, 0, 0)).transpose()
}

fn name(ruby: &Ruby, rb_self: &Ifaddr) -> RString {
    ruby.str_from_slice(&rb_self.name)
}

/// The interface's index, looked up by name when asked, as the stdlib does.
fn ifindex(rb_self: &Ifaddr) -> Result<u32, Error> {
    let mut cname = rb_self.name.clone();
    cname.push(0);
    let index = match CStr::from_bytes_with_nul(&cname) {
        Ok(c) => unsafe { libc::if_nametoindex(c.as_ptr()) },
        Err(_) => 0,
    };
    if index == 0 {
        let mut msg = b"invalid interface name: ".to_vec();
        msg.extend_from_slice(&rb_self.name);
        return Err(errors::arg_error(
            String::from_utf8_lossy(&msg).into_owned(),
        ));
    }
    Ok(index)
}

fn flags(rb_self: &Ifaddr) -> u32 {
    rb_self.flags
}

fn addr(rb_self: &Ifaddr) -> Result<Option<magnus::Value>, Error> {
    addrinfo_of(rb_self.addr.as_deref())
}

fn netmask(rb_self: &Ifaddr) -> Result<Option<magnus::Value>, Error> {
    addrinfo_of(rb_self.netmask.as_deref())
}

fn broadaddr(rb_self: &Ifaddr) -> Result<Option<magnus::Value>, Error> {
    addrinfo_of(rb_self.broadaddr_bytes())
}

fn dstaddr(rb_self: &Ifaddr) -> Result<Option<magnus::Value>, Error> {
    addrinfo_of(rb_self.dstaddr_bytes())
}

/// Flag names in the stdlib's order; bits without a name follow in hex.
const FLAG_NAMES: &[(libc::c_int, &str)] = &[
    (libc::IFF_UP, "UP"),
    (libc::IFF_BROADCAST, "BROADCAST"),
    (libc::IFF_DEBUG, "DEBUG"),
    (libc::IFF_LOOPBACK, "LOOPBACK"),
    (libc::IFF_POINTOPOINT, "POINTOPOINT"),
    (libc::IFF_RUNNING, "RUNNING"),
    (libc::IFF_NOARP, "NOARP"),
    (libc::IFF_PROMISC, "PROMISC"),
    (libc::IFF_NOTRAILERS, "NOTRAILERS"),
    (libc::IFF_ALLMULTI, "ALLMULTI"),
    (libc::IFF_MASTER, "MASTER"),
    (libc::IFF_SLAVE, "SLAVE"),
    (libc::IFF_MULTICAST, "MULTICAST"),
    (libc::IFF_PORTSEL, "PORTSEL"),
    (libc::IFF_AUTOMEDIA, "AUTOMEDIA"),
    (libc::IFF_DYNAMIC, "DYNAMIC"),
];

/// " UP,LOOPBACK,RUNNING,0x10000", or "" for no flags.
fn flags_text(flags: u32) -> String {
    let mut rest = flags;
    let mut parts: Vec<String> = Vec::new();
    for &(bit, name) in FLAG_NAMES {
        if rest & bit as u32 != 0 {
            parts.push(name.into());
            rest &= !(bit as u32);
        }
    }
    if rest != 0 {
        parts.push(format!("{rest:#x}"));
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!(" {}", parts.join(","))
    }
}

/// The text after the class name: "lo UP,... 127.0.0.1 netmask=255.0.0.0".
fn inspect_body(i: &Ifaddr) -> Vec<u8> {
    let mut s = i.name.clone();
    s.extend_from_slice(flags_text(i.flags).as_bytes());
    if let Some(a) = &i.addr {
        s.push(b' ');
        s.extend_from_slice(sockaddr::inspect(a).as_bytes());
    }
    let mut field = |label: &str, bytes: Option<&[u8]>| {
        if let Some(b) = bytes {
            s.extend_from_slice(label.as_bytes());
            s.extend_from_slice(sockaddr::inspect(b).as_bytes());
        }
    };
    field(" netmask=", i.netmask.as_deref());
    field(" broadcast=", i.broadaddr_bytes());
    field(" dstaddr=", i.dstaddr_bytes());
    s
}

fn inspect(ruby: &Ruby, rb_self: magnus::Value) -> Result<RString, Error> {
    let i = <&Ifaddr>::try_convert(rb_self)?;
    let class_name = unsafe { rb_self.class().name() }.into_owned();
    let mut s = format!("#<{class_name} ").into_bytes();
    s.extend_from_slice(&inspect_body(i));
    s.push(b'>');
    Ok(ruby.str_from_slice(&s))
}

/// Socket.getifaddrs: every interface address, as Socket::Ifaddr objects.
fn s_getifaddrs(ruby: &Ruby) -> Result<RArray, Error> {
    let list = read_ifaddrs()?;
    let class = ruby.get_inner(&CLASS);
    let out = ruby.ary_new_capa(list.len());
    for i in list {
        out.push(ruby.obj_wrap_as(i, class))?;
    }
    Ok(out)
}

/// Socket.ip_address_list: the IPv4 and IPv6 interface addresses as Addrinfo.
fn s_ip_address_list(ruby: &Ruby) -> Result<RArray, Error> {
    let out = ruby.ary_new();
    for i in read_ifaddrs()? {
        if let Some(a) = &i.addr {
            if matches!(sockaddr::family(a), Some(libc::AF_INET | libc::AF_INET6)) {
                out.push(objects::new_addrinfo(a, 0, 0, 0)?)?;
            }
        }
    }
    Ok(out)
}

pub fn init(ruby: &Ruby) -> Result<(), Error> {
    let basic_socket = ruby.define_class("BasicSocket", ruby.class_io())?;
    let socket = ruby.define_class("Socket", basic_socket)?;
    let class = socket.define_class("Ifaddr", ruby.class_object())?;
    // Only Socket.getifaddrs makes them (no new, allocate or dup).
    class.undef_default_alloc_func();
    Lazy::force(&CLASS, ruby);
    class.define_method("name", method!(name, 0))?;
    class.define_method("ifindex", method!(ifindex, 0))?;
    class.define_method("flags", method!(flags, 0))?;
    class.define_method("addr", method!(addr, 0))?;
    class.define_method("netmask", method!(netmask, 0))?;
    class.define_method("broadaddr", method!(broadaddr, 0))?;
    class.define_method("dstaddr", method!(dstaddr, 0))?;
    class.define_method("inspect", method!(inspect, 0))?;
    socket.define_singleton_method("getifaddrs", function!(s_getifaddrs, 0))?;
    socket.define_singleton_method("ip_address_list", function!(s_ip_address_list, 0))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_read_like_the_stdlib() {
        assert_eq!(flags_text(0x10049), " UP,LOOPBACK,RUNNING,0x10000");
        assert_eq!(flags_text(0x82), " BROADCAST,NOARP");
        assert_eq!(flags_text(0), "");
    }

    #[test]
    fn broadcast_and_dstaddr_follow_the_flags() {
        let mut i = Ifaddr {
            name: b"tun0".to_vec(),
            flags: libc::IFF_POINTOPOINT as u32,
            addr: None,
            netmask: None,
            ifu: Some(sockaddr::pack_v4(0, std::net::Ipv4Addr::new(10, 0, 0, 1)).to_vec()),
        };
        assert_eq!(inspect_body(&i), b"tun0 POINTOPOINT dstaddr=10.0.0.1");
        i.flags = libc::IFF_BROADCAST as u32;
        assert_eq!(inspect_body(&i), b"tun0 BROADCAST broadcast=10.0.0.1");
        i.flags = 0;
        assert_eq!(inspect_body(&i), b"tun0");
    }
}
