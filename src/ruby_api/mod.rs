pub mod addrinfo;
pub mod ancillary;
pub mod basic_socket;
pub mod constants;
pub mod ifaddr;
pub mod ip_socket;
pub mod option;
pub mod resolution_error;
pub mod socket;
pub mod tcp_server;
pub mod tcp_socket;
pub mod udp_socket;
pub mod unix_server;
pub mod unix_socket;

use magnus::{Error, Ruby};

use crate::glue::{errors, ruby_version};
use crate::sys::constants as constants_table;

/// Defines every class, parents first.
pub fn init(ruby: &Ruby) -> Result<(), Error> {
    // Before anything looks a constant up: this Ruby's set of them.
    constants_table::use_ruby(ruby_version::API_VERSION);
    errors::init(ruby)?;
    addrinfo::init(ruby)?;
    let basic_socket = basic_socket::init(ruby)?;
    let socket = socket::init(ruby, basic_socket)?;
    resolution_error::init(ruby, socket)?;
    ancillary::init(ruby, socket)?;
    let unix_socket = unix_socket::init(ruby, basic_socket)?;
    unix_server::init(ruby, unix_socket)?;
    ifaddr::init(ruby)?;
    let ip_socket = ip_socket::init(ruby, basic_socket)?;
    udp_socket::init(ruby, ip_socket)?;
    let tcp_socket = tcp_socket::init(ruby, basic_socket)?;
    tcp_server::init(ruby, tcp_socket)?;
    constants::init(ruby)?;
    option::init(ruby)?;
    Ok(())
}
