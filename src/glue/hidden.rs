//! Plain Ruby objects whose state lives in hidden instance variables (names
//! without "@", as the stdlib keeps them): Socket::Option and
//! Socket::AncillaryData. Also their shared inspect layout.

use magnus::{
    prelude::*,
    rb_sys::{AsRawValue, FromRawValue},
    Error, RString, Ruby, Value,
};
use rb_sys::ID;
use std::sync::atomic::{AtomicUsize, Ordering};

/// A hidden ivar's name, interned on first use. IDs are permanent and the
/// same on every thread, so one atomic slot per name serves the process
/// (getsockopt reads four of these per call).
pub struct Ivar {
    name: &'static str,
    id: AtomicUsize,
}

impl Ivar {
    const fn new(name: &'static str) -> Self {
        Ivar {
            name,
            id: AtomicUsize::new(0),
        }
    }

    pub fn id(&self) -> ID {
        match self.id.load(Ordering::Relaxed) {
            0 => {
                let (ptr, len) = (self.name.as_ptr() as *const _, self.name.len() as _);
                let id = unsafe { rb_sys::rb_intern2(ptr, len) };
                self.id.store(id as usize, Ordering::Relaxed);
                id
            }
            id => id as ID,
        }
    }
}

pub static FAMILY: Ivar = Ivar::new("family");
pub static LEVEL: Ivar = Ivar::new("level");
pub static OPTNAME: Ivar = Ivar::new("optname");
pub static DATA: Ivar = Ivar::new("data");
pub static TYPE: Ivar = Ivar::new("type");
pub static UNIX_RIGHTS: Ivar = Ivar::new("unix_rights");

/// A hidden ivar (nil when unset, as on an allocated but uninitialized object).
pub fn get(obj: Value, ivar: &Ivar) -> Value {
    unsafe { Value::from_raw(rb_sys::rb_attr_get(obj.as_raw(), ivar.id())) }
}

pub fn set(obj: Value, ivar: &Ivar, val: Value) -> Result<(), Error> {
    let (o, id, v) = (obj.as_raw(), ivar.id(), val.as_raw());
    // Raises FrozenError on a frozen object.
    magnus::rb_sys::protect(|| unsafe { rb_sys::rb_ivar_set(o, id, v) })?;
    Ok(())
}

/// "#<Class: head value>": `decoded` when the data was understood, else the
/// data as String#dump shows it (the stdlib's layout for both classes).
pub fn inspect(
    obj: Value,
    head: &str,
    decoded: Option<String>,
    data: RString,
) -> Result<RString, Error> {
    let ruby = Ruby::get_with(obj);
    let value = match decoded {
        Some(text) => text.into_bytes(),
        None => {
            let dumped: RString = data.funcall("dump", ())?;
            unsafe { dumped.as_slice() }.to_vec()
        }
    };
    let raw = obj.as_raw();
    let class_name =
        magnus::rb_sys::protect(|| unsafe { rb_sys::rb_class_name(rb_sys::rb_obj_class(raw)) })?;
    let class_name = RString::from_value(unsafe { Value::from_raw(class_name) })
        .map(|s| unsafe { s.as_slice() }.to_vec())
        .unwrap_or_default();
    let mut out = Vec::with_capacity(64 + value.len());
    out.extend_from_slice(b"#<");
    out.extend_from_slice(&class_name);
    out.extend_from_slice(b": ");
    out.extend_from_slice(head.as_bytes());
    out.push(b' ');
    out.extend_from_slice(&value);
    out.push(b'>');
    Ok(ruby.str_from_slice(&out))
}
