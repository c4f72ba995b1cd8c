//! The value objects classes hand each other: Addrinfo's data (a wrapped
//! Rust value), and Socket::Option and Socket::AncillaryData, plain objects
//! whose fields live in hidden instance variables as in the stdlib.

use magnus::{
    prelude::*,
    rb_sys::{AsRawValue, FromRawValue},
    typed_data::DataTypeFunctions,
    value::{Lazy, Opaque},
    Error, RArray, RClass, RString, Ruby, Value,
};
use std::cell::RefCell;

use crate::glue::{args, errors, hidden, sockio};
use crate::sys::sockaddr;

// ---- Addrinfo ----

#[derive(Default, Clone)]
pub struct Inner {
    pub addr: Vec<u8>,
    pub pfamily: i32,
    pub socktype: i32,
    pub protocol: i32,
    pub canonname: Option<Name>,
    pub inspectname: Option<Name>,
}

/// A canonname or inspectname: bytes with the encoding (index) their String
/// gets (binary from the resolver; an inspectname has its host's), or the
/// very String a Marshal load was given (the stdlib keeps and returns that
/// object, and a later change to it shows).
#[derive(Clone)]
pub enum Name {
    Bytes(Vec<u8>, i32),
    Str(Opaque<RString>),
}

impl Name {
    /// The text inspect shows: the String as a C string (StringValueCStr), so
    /// "string contains null byte" for a NUL inside, and a wide string (UTF-16)
    /// ends at its first NUL byte.
    pub fn c_bytes(&self, ruby: &Ruby) -> Result<Vec<u8>, Error> {
        if let Name::Bytes(b, _) = self {
            if !b.contains(&0) {
                return Ok(b.clone());
            }
        }
        Ok(args::string_value_cstr(self.value(ruby).as_value())?.into_bytes())
    }

    pub fn binary(b: Vec<u8>) -> Name {
        Name::Bytes(b, unsafe { rb_sys::rb_ascii8bit_encindex() })
    }

    /// The String itself, or a new frozen one for the bytes.
    pub fn value(&self, ruby: &Ruby) -> RString {
        match self {
            Name::Bytes(b, enc) => {
                let s = bin_str(ruby, b);
                unsafe { rb_sys::rb_enc_associate_index(s.as_raw(), *enc) };
                s.freeze();
                s
            }
            Name::Str(s) => ruby.get_inner(*s),
        }
    }
}

#[derive(Default, magnus::TypedData)]
#[magnus(class = "Addrinfo", free_immediately, size, mark)]
pub struct Addrinfo(pub RefCell<Option<Inner>>);

impl DataTypeFunctions for Addrinfo {
    /// Keeps the Strings a Marshal load stored alive.
    fn mark(&self, marker: &magnus::gc::Marker) {
        if let Ok(slot) = self.0.try_borrow() {
            if let Some(i) = slot.as_ref() {
                for name in [&i.canonname, &i.inspectname].into_iter().flatten() {
                    if let Name::Str(s) = name {
                        marker.mark(*s);
                    }
                }
            }
        }
    }
}

pub static ADDRINFO_CLASS: Lazy<RClass> = Lazy::new(|ruby| {
    ruby.class_object()
        .const_get("Addrinfo")
        .unwrap_or_else(|_| ruby.class_object())
});

impl Addrinfo {
    pub fn get(&self) -> Result<Inner, Error> {
        self.0
            .borrow()
            .clone()
            .ok_or_else(|| errors::type_error("uninitialized socket address"))
    }

    pub fn with<T>(&self, f: impl FnOnce(&Inner) -> T) -> Result<T, Error> {
        match self.0.borrow().as_ref() {
            Some(i) => Ok(f(i)),
            None => Err(errors::type_error("uninitialized socket address")),
        }
    }

    pub fn set(&self, inner: Inner) -> Result<(), Error> {
        let mut slot = self.0.borrow_mut();
        if slot.is_some() {
            return Err(errors::type_error("already initialized socket address"));
        }
        *slot = Some(inner);
        Ok(())
    }

    pub fn check_uninitialized(&self) -> Result<(), Error> {
        if self.0.borrow().is_some() {
            return Err(errors::type_error("already initialized socket address"));
        }
        Ok(())
    }
}

pub fn make(inner: Inner) -> Result<Value, Error> {
    let ruby = Ruby::get().map_err(|_| errors::type_error("no Ruby VM"))?;
    let obj = ruby.obj_wrap_as(
        Addrinfo(RefCell::new(Some(inner))),
        ruby.get_inner(&ADDRINFO_CLASS),
    );
    Ok(obj.as_value())
}

/// A new Addrinfo for packed bytes (BasicSocket#local_address and friends);
/// a `family` of 0 takes the sockaddr's own.
pub fn new_addrinfo(
    sockaddr: &[u8],
    family: i32,
    socktype: i32,
    protocol: i32,
) -> Result<Value, Error> {
    let pfamily = if family != 0 {
        family
    } else {
        afamily_of(sockaddr)
    };
    make(Inner {
        addr: sockaddr.to_vec(),
        pfamily,
        socktype,
        protocol,
        canonname: None,
        inspectname: None,
    })
}

/// The packed bytes of a sockaddr argument: an Addrinfo, or anything that
/// converts to a String (TypeError otherwise, as the stdlib says it).
pub fn sockaddr_bytes(v: Value) -> Result<Vec<u8>, Error> {
    // A String first: the usual argument, and a failed Addrinfo conversion
    // would format a TypeError message only to drop it.
    if let Some(s) = RString::from_value(v) {
        return Ok(unsafe { s.as_slice() }.to_vec());
    }
    if let Ok(ai) = <&Addrinfo>::try_convert(v) {
        return ai.with(|i| i.addr.clone());
    }
    Ok(string_value(v)?.to_vec())
}

/// StringValue: implicit String conversion with the stdlib's TypeError.
pub fn string_value(v: Value) -> Result<Vec<u8>, Error> {
    Ok(unsafe { args::string_value(v)?.as_slice() }.to_vec())
}

pub fn afamily_of(addr: &[u8]) -> i32 {
    sockaddr::family(addr).unwrap_or(0)
}

pub fn bin_str(ruby: &Ruby, b: &[u8]) -> RString {
    ruby.str_from_slice(b)
}

// ---- Socket::Option ----

/// Socket::Option, defined by `init` before any method can run.
pub static OPTION_CLASS: Lazy<RClass> = Lazy::new(|ruby| {
    let socket: RClass = ruby
        .class_object()
        .const_get("Socket")
        .unwrap_or_else(|_| ruby.class_object());
    socket
        .const_get("Option")
        .unwrap_or_else(|_| ruby.class_object())
});

pub fn int_value(ruby: &Ruby, i: i32) -> Value {
    ruby.integer_from_i64(i as i64).as_value()
}

pub fn store_option(
    obj: Value,
    family: i32,
    level: i32,
    optname: i32,
    data: Value,
) -> Result<(), Error> {
    let ruby = Ruby::get_with(obj);
    hidden::set(obj, &hidden::FAMILY, int_value(&ruby, family))?;
    hidden::set(obj, &hidden::LEVEL, int_value(&ruby, level))?;
    hidden::set(obj, &hidden::OPTNAME, int_value(&ruby, optname))?;
    hidden::set(obj, &hidden::DATA, data)
}

/// A new Socket::Option (never a subclass, as the stdlib's getsockopt and
/// the class-level constructors give) holding `data` as a binary String.
pub fn new_option(
    ruby: &Ruby,
    family: i32,
    level: i32,
    optname: i32,
    data: &[u8],
) -> Result<Value, Error> {
    let class = ruby.get_inner(&OPTION_CLASS);
    // A fresh object of a class with an allocator: allocating and setting its
    // ivars can only fail for lack of memory, so no rb_protect round trips here
    // (getsockopt makes one of these per call).
    let obj = unsafe { rb_sys::rb_obj_alloc(class.as_raw()) };
    let data = ruby.str_from_slice(data).as_raw();
    let int = |i: i32| ruby.integer_from_i64(i as i64).as_raw();
    unsafe {
        rb_sys::rb_ivar_set(obj, hidden::id(ruby, &hidden::FAMILY), int(family));
        rb_sys::rb_ivar_set(obj, hidden::id(ruby, &hidden::LEVEL), int(level));
        rb_sys::rb_ivar_set(obj, hidden::id(ruby, &hidden::OPTNAME), int(optname));
        rb_sys::rb_ivar_set(obj, hidden::id(ruby, &hidden::DATA), data);
        Ok(Value::from_raw(obj))
    }
}

/// What setsockopt(option) reads: #level, #optname, #data, called in that
/// order (so any object answering them works, and others raise NoMethodError).
/// The raw values, for the caller to parse as setsockopt(level, optname, data).
pub fn option_values(v: Value) -> Result<(Value, Value, Value), Error> {
    let level: Value = v.funcall("level", ())?;
    let optname: Value = v.funcall("optname", ())?;
    let data: Value = v.funcall("data", ())?;
    Ok((level, optname, data))
}

// ---- Socket::AncillaryData ----

/// Socket::AncillaryData, defined by `init` before any method can run.
pub static ANCILLARY_CLASS: Lazy<RClass> = Lazy::new(|ruby| {
    let socket: RClass = ruby
        .class_object()
        .const_get("Socket")
        .unwrap_or_else(|_| ruby.class_object());
    socket
        .const_get("AncillaryData")
        .unwrap_or_else(|_| ruby.class_object())
});

// ---- the Ruby object ----

pub fn store_ancdata(
    obj: Value,
    family: i32,
    level: i32,
    ctype: i32,
    data: Value,
) -> Result<(), Error> {
    let ruby = Ruby::get_with(obj);
    hidden::set(
        obj,
        &hidden::FAMILY,
        ruby.integer_from_i64(family as i64).as_value(),
    )?;
    hidden::set(
        obj,
        &hidden::LEVEL,
        ruby.integer_from_i64(level as i64).as_value(),
    )?;
    hidden::set(
        obj,
        &hidden::TYPE,
        ruby.integer_from_i64(ctype as i64).as_value(),
    )?;
    hidden::set(obj, &hidden::DATA, data)
}

/// A new Socket::AncillaryData (never a subclass, as the stdlib's recvmsg
/// and class-level constructors give) holding `data` as a binary String.
pub fn new_ancdata(family: i32, level: i32, ctype: i32, data: &[u8]) -> Result<Value, Error> {
    let ruby = Ruby::get().map_err(|_| errors::type_error("not on a Ruby thread"))?;
    let obj = sockio::alloc(ruby.get_inner(&ANCILLARY_CLASS))?;
    store_ancdata(
        obj,
        family,
        level,
        ctype,
        ruby.str_from_slice(data).as_value(),
    )?;
    Ok(obj)
}

/// Records the IO objects an SCM_RIGHTS message carries (#unix_rights).
pub fn set_unix_rights(obj: Value, ios: RArray) -> Result<(), Error> {
    hidden::set(obj, &hidden::UNIX_RIGHTS, ios.as_value())
}
